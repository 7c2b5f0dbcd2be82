/** Which failures are worth another attempt, and what the service said about waiting. */
import { headerValue } from "../protocol/encoding";

/** How the retry loop treats a failure. NONE is final. */
export type ErrorClass = "THROTTLING" | "TRANSIENT" | "TIMEOUT" | "CLOCK_SKEW" | "NONE";

const THROTTLING_CODES = new Set([
  "ThrottlingException",
  "TooManyRequestsException",
  "Throttling",
  "ThrottledException",
  "RequestThrottledException",
  "RequestThrottled",
  "RequestLimitExceeded",
  "BandwidthLimitExceeded",
  "SlowDown",
  "ProvisionedThroughputExceededException",
  "TransactionInProgressException",
  "PriorRequestNotComplete",
  "EC2ThrottledException",
]);
const TRANSIENT_CODES = new Set(["InternalServerException", "ServiceException", "InternalError", "RequestTimeout", "RequestTimeoutException"]);
const CLOCK_SKEW_CODES = new Set(["RequestTimeTooSkewed", "RequestExpired", "RequestInTheFuture", "InvalidSignatureException", "SignatureDoesNotMatch", "AuthFailure"]);
const TRANSIENT_STATUS = new Set([500, 502, 503, 504, 509]);
const NETWORK_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ECONNABORTED", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN", "ERR_STREAM_PREMATURE_CLOSE"]);

interface Failure {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { headers?: Record<string, string | undefined> };
  $retryable?: { throttling?: boolean };
  retryAfterSeconds?: number;
}

const asFailure = (error: unknown): Failure => (typeof error === "object" && error !== null ? (error as Failure) : {});

export function classifyError(error: unknown): ErrorClass {
  const e = asFailure(error);
  // Stryker disable next-line StringLiteral: no failure class is named by any other placeholder either
  const name = e.name ?? "";
  if (name === "AbortError") return "NONE";
  if (name === "TimeoutError" || e.code === "ETIMEDOUT") return "TIMEOUT";
  const status = e.$metadata?.httpStatusCode;
  // Stryker disable next-line StringLiteral: a placeholder message says nothing of time either
  if (CLOCK_SKEW_CODES.has(name) && (name !== "InvalidSignatureException" || /expired|skew|not yet current/i.test(e.message ?? ""))) {
    return "CLOCK_SKEW";
  }
  if (THROTTLING_CODES.has(name) || status === 429 || e.$retryable?.throttling) return "THROTTLING";
  if (TRANSIENT_CODES.has(name) || TRANSIENT_STATUS.has(status ?? 0) || e.$retryable) return "TRANSIENT";
  if (name === "DeserializationError") return "TRANSIENT";
  // Stryker disable next-line StringLiteral: a placeholder message names no network failure either
  if ((e.code && NETWORK_CODES.has(e.code)) || (status === undefined && /socket hang up|ECONNRESET|ECONNREFUSED/.test(e.message ?? ""))) {
    return "TRANSIENT";
  }
  return "NONE";
}

/** The service's `Retry-After`, in milliseconds, from the modeled member or the raw header. */
export function retryAfterMs(error: unknown): number | undefined {
  const e = asFailure(error);
  let seconds = e.retryAfterSeconds;
  if (seconds === undefined && e.$response?.headers) {
    const raw = headerValue(e.$response.headers, "retry-after");
    // Stryker disable next-line ConditionalExpression: an absent header would parse as NaN and be dropped below anyway
    if (raw !== undefined) {
      const n = Number(raw);
      seconds = Number.isFinite(n) ? n : (Date.parse(raw) - Date.now()) / 1000;
    }
  }
  const ms = (seconds ?? Number.NaN) * 1000;
  return ms > 0 && Number.isFinite(ms) ? ms : undefined;
}

/** The response's `Date` header, for clock-skew correction. */
export function serverDate(error: unknown): Date | undefined {
  const headers = asFailure(error).$response?.headers;
  const raw = headers ? headerValue(headers, "date") : undefined;
  const parsed = raw ? new Date(raw) : undefined;
  return parsed && !Number.isNaN(parsed.getTime()) ? parsed : undefined;
}
