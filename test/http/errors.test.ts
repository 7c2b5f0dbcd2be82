/** The transport's errors, named and shaped as smithy's NodeHttpHandler gives them. */
import { describe, expect, it } from "vitest";
import { abortError, connectionClosedError, handlerDestroyedError, socketError, timeoutError } from "../../src/http/errors";

describe("transport errors", () => {
  it("socket errors with a reset, broken pipe or timeout code are TimeoutErrors; others keep their name", () => {
    for (const code of ["ECONNRESET", "EPIPE", "ETIMEDOUT"]) {
      expect(socketError(Object.assign(new Error(code), { code })).name).toBe("TimeoutError");
    }
    expect(socketError(Object.assign(new Error("refused"), { code: "ECONNREFUSED" })).name).toBe("Error");
    expect(socketError(new Error("no code")).name).toBe("Error");
    const same = new Error("x");
    expect(socketError(same)).toBe(same);
  });

  it("a connection closed early reads as Node's own reset, before or after the response started", () => {
    expect(connectionClosedError(false)).toMatchObject({ name: "TimeoutError", message: "socket hang up", code: "ECONNRESET" });
    expect(connectionClosedError(true)).toMatchObject({ name: "TimeoutError", message: "aborted", code: "ECONNRESET" });
  });

  it("a limit that ran out, and a destroyed handler", () => {
    expect(timeoutError("too slow")).toMatchObject({ name: "TimeoutError", message: "too slow", code: "ETIMEDOUT" });
    expect(handlerDestroyedError()).toMatchObject({
      name: "Error",
      message: "The HTTP handler was destroyed before this request got a connection.",
      code: "ERR_HTTP_HANDLER_DESTROYED",
    });
  });

  it("an abort keeps the signal's reason: an Error as the cause, anything else as the message", () => {
    const reason = new Error("user gave up");
    const withError = abortError({ aborted: true, reason } as never);
    expect(withError).toMatchObject({ name: "AbortError", message: "Request aborted" });
    expect(withError.cause).toBe(reason);
    const withText = abortError({ aborted: true, reason: "stop now" } as never);
    expect(withText).toMatchObject({ name: "AbortError", message: "stop now" });
    expect(withText.cause).toBeUndefined();
    expect(abortError({ aborted: true, reason: 42 } as never).message).toBe("42");
    const withoutReason = abortError({ aborted: true } as never);
    expect(withoutReason).toMatchObject({ name: "AbortError", message: "Request aborted" });
    expect("cause" in withoutReason).toBe(false);
    expect(abortError(undefined).message).toBe("Request aborted");
    expect(abortError({ aborted: true, reason: undefined } as never).message).toBe("Request aborted");
  });
});
