/**
 * Metrics through the registered meter provider, named as the AWS SDKs built on smithy name them
 * (`smithy.client.call.*`), plus HTTP's `http.client.request.duration` per attempt (as
 * instrumentation-http records it for the official client) and this package's count of retries
 * by reason. Instruments are made once per meter provider.
 */
import type { Counter, Histogram, Meter } from "@opentelemetry/api";
import { PACKAGE_NAME, PACKAGE_VERSION } from "../client/version";
import { metricsRegistered, type Api } from "./otel";

export interface Instruments {
  /** `smithy.client.call.duration`: seconds per call, retries included. */
  callDuration: Histogram;
  /** `smithy.client.call.attempts`: attempts made. */
  attempts: Counter;
  /** `smithy.client.call.errors`: calls that failed, by `exception.type`. */
  errors: Counter;
  /** `lambda_microvms.client.call.retries`: retries, by `lambda_microvms.retry.reason` (throttling, …). */
  retries: Counter;
  /** `http.client.request.duration`: seconds per HTTP attempt of the default handler. */
  httpDuration: Histogram;
}

/** The boundaries OpenTelemetry advises for request durations in seconds. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

const byProvider = new WeakMap<object, Instruments>();

function make(meter: Meter): Instruments {
  const seconds = { unit: "s", advice: { explicitBucketBoundaries: DURATION_BUCKETS } };
  return {
    callDuration: meter.createHistogram("smithy.client.call.duration", { ...seconds, description: "Overall call duration, retries included." }),
    attempts: meter.createCounter("smithy.client.call.attempts", { unit: "{attempt}", description: "The number of attempts of calls." }),
    errors: meter.createCounter("smithy.client.call.errors", { unit: "{error}", description: "The number of calls that failed." }),
    retries: meter.createCounter("lambda_microvms.client.call.retries", { unit: "{retry}", description: "The number of retries, by reason (throttling, transient, timeout, clock_skew)." }),
    httpDuration: meter.createHistogram("http.client.request.duration", { ...seconds, description: "Duration of HTTP client requests." }),
  };
}

/** The instruments of the registered meter provider, or undefined when none is registered. */
export function instrumentsOf(api: Api): Instruments | undefined {
  if (!metricsRegistered()) return undefined;
  const provider = api.metrics.getMeterProvider();
  let instruments = byProvider.get(provider);
  if (instruments === undefined) {
    instruments = make(provider.getMeter(PACKAGE_NAME, PACKAGE_VERSION));
    byProvider.set(provider, instruments);
  }
  return instruments;
}
