/**
 * How a failure is classified for the retry loop, case by case (the loop's tests check what each
 * class leads to; these pin which failures land in which class), and the abortable sleep.
 */
import { describe, expect, it, vi } from "vitest";
import { classifyError, retryAfterMs, serverDate } from "../../src/middleware/retryClassify";
import { abortError, sleep } from "../../src/middleware/sleep";
import { listeningSignal } from "../helpers/listeningSignal";

const named = (name: string, status?: number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${name} happened`), { name, ...(status === undefined ? {} : { $metadata: { httpStatusCode: status } }), ...extra });

describe("classifyError", () => {
  it.each([
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
  ])("%s (HTTP 400) is throttling", (name) => {
    expect(classifyError(named(name, 400))).toBe("THROTTLING");
  });

  it.each(["InternalServerException", "ServiceException", "InternalError", "RequestTimeout", "RequestTimeoutException"])(
    "%s (HTTP 400) is transient",
    (name) => {
      expect(classifyError(named(name, 400))).toBe("TRANSIENT");
    },
  );

  it.each([500, 502, 503, 504, 509])("an unknown error with HTTP %i is transient", (status) => {
    expect(classifyError(named("UnknownError", status))).toBe("TRANSIENT");
  });

  it.each([400, 403, 404, 409, 501, 505])("an unknown error with HTTP %i is final", (status) => {
    expect(classifyError(named("UnknownError", status))).toBe("NONE");
  });

  it("HTTP 429 and a throttling $retryable are throttling; any other $retryable is transient", () => {
    expect(classifyError(named("UnknownError", 429))).toBe("THROTTLING");
    expect(classifyError(named("UnknownError", 400, { $retryable: { throttling: true } }))).toBe("THROTTLING");
    expect(classifyError(named("UnknownError", 400, { $retryable: { throttling: false } }))).toBe("TRANSIENT");
    expect(classifyError(named("UnknownError", 400, { $retryable: {} }))).toBe("TRANSIENT");
  });

  it.each(["RequestTimeTooSkewed", "RequestExpired", "RequestInTheFuture", "SignatureDoesNotMatch", "AuthFailure"])(
    "%s is clock skew, whatever its message",
    (name) => {
      expect(classifyError(named(name, 403, { message: "no hint here" }))).toBe("CLOCK_SKEW");
    },
  );

  it("InvalidSignatureException is clock skew only when its message speaks of time", () => {
    for (const message of ["Signature expired: 20260101T000000Z is now earlier than ...", "clock SKEW detected", "Signature not yet current: ..."]) {
      expect(classifyError(named("InvalidSignatureException", 403, { message }))).toBe("CLOCK_SKEW");
    }
    expect(classifyError(named("InvalidSignatureException", 403, { message: "The request signature we calculated does not match" }))).toBe("NONE");
    expect(classifyError(named("InvalidSignatureException", 403, { message: undefined }))).toBe("NONE");
  });

  it("an abort is final even when it looks retryable; a timeout is its own class", () => {
    expect(classifyError(named("AbortError", 503, { code: "ECONNRESET", $retryable: {} }))).toBe("NONE");
    expect(classifyError(named("TimeoutError"))).toBe("TIMEOUT");
    expect(classifyError(named("Error", undefined, { code: "ETIMEDOUT" }))).toBe("TIMEOUT");
  });

  it("a response that could not be read is transient", () => {
    expect(classifyError(named("DeserializationError", 200))).toBe("TRANSIENT");
  });

  it.each(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ECONNABORTED", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN", "ERR_STREAM_PREMATURE_CLOSE"])(
    "network error %s is transient",
    (code) => {
      expect(classifyError(named("Error", undefined, { code, message: "x" }))).toBe("TRANSIENT");
    },
  );

  it("a network failure known only by its message is transient when there was no response", () => {
    for (const message of ["socket hang up", "read ECONNRESET", "connect ECONNREFUSED 127.0.0.1:1"]) {
      expect(classifyError(named("Error", undefined, { message }))).toBe("TRANSIENT");
      expect(classifyError(named("Error", 400, { message }))).toBe("NONE");
    }
    expect(classifyError(named("Error", undefined, { code: "ENOENT", message: "no such file" }))).toBe("NONE");
    expect(classifyError(named("Error", undefined, { message: undefined }))).toBe("NONE");
  });

  it("what is not an object is final", () => {
    for (const thrown of [undefined, null, "ThrottlingException", 503]) expect(classifyError(thrown)).toBe("NONE");
  });
});

describe("retryAfterMs and serverDate", () => {
  const withHeaders = (headers: Record<string, string>) => ({ $response: { headers } });

  it("reads the header case-insensitively, in seconds or as a date, and ignores the rest", () => {
    vi.useFakeTimers({ now: Date.parse("2026-01-01T00:00:00Z") });
    try {
      expect(retryAfterMs(withHeaders({ "Retry-After": "1.5" }))).toBe(1500);
      expect(retryAfterMs(withHeaders({ "retry-after": "Thu, 01 Jan 2026 00:00:04 GMT" }))).toBe(4000);
      expect(retryAfterMs(withHeaders({ "retry-after": "Wed, 31 Dec 2025 23:59:00 GMT" }))).toBeUndefined();
      expect(retryAfterMs(withHeaders({ "retry-after": "0" }))).toBeUndefined();
      expect(retryAfterMs(withHeaders({ "retry-after": "-3" }))).toBeUndefined();
      expect(retryAfterMs(withHeaders({ "retry-after": "soon" }))).toBeUndefined();
      expect(retryAfterMs(withHeaders({}))).toBeUndefined();
      expect(retryAfterMs({})).toBeUndefined();
      expect(retryAfterMs(null)).toBeUndefined();
      expect(retryAfterMs({ retryAfterSeconds: 2, ...withHeaders({ "retry-after": "9" }) })).toBe(2000);
      expect(retryAfterMs({ retryAfterSeconds: Number.NaN })).toBeUndefined();
      expect(retryAfterMs({ retryAfterSeconds: Number.POSITIVE_INFINITY })).toBeUndefined();
      expect(retryAfterMs({ retryAfterSeconds: 0.001 })).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it("serverDate is the response's Date header when it parses", () => {
    expect(serverDate(withHeaders({ Date: "Thu, 01 Jan 2026 00:00:04 GMT" }))?.toISOString()).toBe("2026-01-01T00:00:04.000Z");
    expect(serverDate(withHeaders({ date: "yesterday" }))).toBeUndefined();
    expect(serverDate(withHeaders({}))).toBeUndefined();
    expect(serverDate({})).toBeUndefined();
    expect(serverDate("Thu, 01 Jan 2026 00:00:04 GMT")).toBeUndefined();
  });
});

describe("sleep and abortError", () => {
  it("the AbortError carries the signal's reason as a hidden cause, and no cause without one", () => {
    const controller = new AbortController();
    const reason = new Error("user gave up");
    controller.abort(reason);
    const error = abortError(controller.signal);
    expect(error).toMatchObject({ name: "AbortError", message: "Request aborted" });
    expect(error.cause).toBe(reason);
    expect(Object.keys(error)).not.toContain("cause");
    expect("cause" in abortError()).toBe(false);
    expect("cause" in abortError(new AbortController().signal)).toBe(false);
  });

  it("rejects at once for a fired signal, with its reason, even for a zero wait", async () => {
    const controller = new AbortController();
    controller.abort("stop");
    await expect(sleep(0, controller.signal)).rejects.toMatchObject({ name: "AbortError", cause: "stop" });
    await expect(sleep(1000, controller.signal)).rejects.toMatchObject({ name: "AbortError", cause: "stop" });
  });

  it("waits the time given, rejects when the signal fires during the wait, and leaves no listener behind", async () => {
    vi.useFakeTimers();
    try {
      const { signal, listeners } = listeningSignal();
      let done = false;
      const waited = sleep(500, signal).then(() => (done = true));
      expect(listeners.size).toBe(1);
      await vi.advanceTimersByTimeAsync(499);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await waited;
      expect(done).toBe(true);
      expect(listeners.size).toBe(0);
      expect(vi.getTimerCount()).toBe(0);

      const controller = new AbortController();
      const aborted = sleep(500, controller.signal);
      const outcome = aborted.catch((e: unknown) => e);
      await vi.advanceTimersByTimeAsync(100);
      controller.abort("late");
      expect(await outcome).toMatchObject({ name: "AbortError", cause: "late" });
      expect(vi.getTimerCount()).toBe(0);
      expect(await sleep(0).then(() => "resolved")).toBe("resolved");
      expect(await sleep(-5).then(() => "resolved")).toBe("resolved");
    } finally {
      vi.useRealTimers();
    }
  });
});
