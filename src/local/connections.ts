/**
 * Answers to requests that are not valid HTTP/1.1, in their place on the connection: a request
 * pipelined before the malformed one still gets its own answer first, then the error is written
 * and the connection closed. Node's parser reports heads over its limit (431) and heads that
 * never end (408) the same way.
 */
import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { Duplex } from "node:stream";

/** What a request that is not valid HTTP/1.1 gets, by Node's parser error code. */
function clientErrorAnswer(error: NodeJS.ErrnoException): { status: string; code: string; message: string } {
  switch (error.code) {
    case "HPE_HEADER_OVERFLOW":
      return { status: "431 Request Header Fields Too Large", code: "RequestHeaderFieldsTooLargeException", message: "The request headers are larger than the server accepts." };
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return { status: "408 Request Timeout", code: "RequestTimeoutException", message: "The request did not arrive in time." };
    default:
      return { status: "400 Bad Request", code: "SerializationException", message: "The request is not valid HTTP/1.1." };
  }
}

/** `anyOrigin`: every origin may read answers (the head, with its Origin, was not read). */
function writeClientError(socket: Duplex, error: NodeJS.ErrnoException, anyOrigin: boolean): void {
  const answer = clientErrorAnswer(error);
  const body = JSON.stringify({ message: answer.message });
  const head = [
    `HTTP/1.1 ${answer.status}`,
    "content-type: application/json",
    `x-amzn-errortype: ${answer.code}`,
    `x-amzn-requestid: ${randomUUID()}`,
    ...(anyOrigin ? ["access-control-allow-origin: *", "access-control-expose-headers: x-amzn-requestid, x-amzn-errortype"] : []),
    "connection: close",
    `content-length: ${Buffer.byteLength(body)}`,
  ].join("\r\n");
  if (socket.writable) socket.end(`${head}\r\n\r\n${body}`);
  else socket.destroy();
}

/** Per connection: answers still owed, and a parse error to answer once they are all sent. */
interface ConnectionState {
  open: number;
  failed: boolean;
  onIdle?: () => void;
}

export class ConnectionGuard {
  private readonly states = new WeakMap<Duplex, ConnectionState>();

  /** `corsAnyOrigin`: the emulator lets every origin read its answers (see CorsPolicy). */
  constructor(private readonly corsAnyOrigin = true) {}

  private stateOf(socket: Duplex): ConnectionState {
    let state = this.states.get(socket);
    if (!state) this.states.set(socket, (state = { open: 0, failed: false }));
    return state;
  }

  /** A request was read from `socket`; its answer is owed until `res` closes. */
  opened(socket: Duplex, res: ServerResponse): void {
    const state = this.stateOf(socket);
    state.open++;
    res.once("close", () => {
      if (--state.open === 0) state.onIdle?.();
    });
  }

  /** Node's parser gave up on `socket`: answer once the answers owed before it are sent. */
  failed(socket: Duplex, error: NodeJS.ErrnoException): void {
    const state = this.stateOf(socket);
    if (state.failed) return;
    state.failed = true;
    if (state.open === 0) writeClientError(socket, error, this.corsAnyOrigin);
    else state.onIdle = () => writeClientError(socket, error, this.corsAnyOrigin);
  }
}
