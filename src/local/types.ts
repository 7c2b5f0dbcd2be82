/** The public options and handle of the local emulator. */
import type { LocalService } from "./service/LocalService";

export interface LocalCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * A fault on purpose. These answer before the operation runs, so the request changes nothing:
 * `throttle` (429 ThrottlingException), `internal` (500 InternalServerException), `unavailable`
 * (503 with an HTML body), `drop` (the connection is closed without an answer), `malformed` (200
 * with truncated JSON). `slow` waits `slowMs`, then runs the request as usual.
 *
 * `lost` fires after the operation has run and taken effect: its answer is thrown away and the
 * connection closed, as when the network fails on the way back. The caller cannot tell whether
 * anything happened, which is what `clientToken` is for: a retry with the same token gets the
 * resource the lost request made, not a second one. A random draw (`rate`) includes `lost` only
 * when `kinds` lists it, since it leaves state behind a call that fails.
 */
export type FaultKind = "throttle" | "internal" | "unavailable" | "drop" | "slow" | "malformed" | "lost" | "none";

export interface FaultOptions {
  /** Share of requests (0..1) that get a fault drawn from `kinds`. */
  rate?: number;
  /** The kinds `rate` draws from; all but "none" and "lost" when left out. */
  kinds?: FaultKind[];
  /** An exact script: request i gets `sequence[i]`, later requests get no fault. Wins over `rate`. */
  sequence?: FaultKind[];
  /** `Retry-After` seconds on throttle (default 1) and internal (only when set) faults. */
  retryAfterSeconds?: number;
  /** How long a "slow" answer waits, in milliseconds (default 1000). */
  slowMs?: number;
  /** Seed of the random draw, for repeatable runs. */
  seed?: number;
}

export interface LocalServerOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Milliseconds each state transition takes (default 1000); 0 makes them immediate. */
  transitionMs?: number;
  /** Keys the server accepts; default `[{ accessKeyId: "test", secretAccessKey: "test" }]`. */
  credentials?: LocalCredentials[];
  /** Default us-east-1. */
  region?: string;
  /** Default 123456789012. */
  accountId?: string;
  /** Faults on purpose; off by default. */
  faults?: FaultOptions;
  /** Largest request body accepted, in bytes (default 1 MiB); larger ones get 413. */
  maxBodyBytes?: number;
  /**
   * Bytes that request bodies still arriving may hold in memory together (default 32 MiB, or four
   * bodies of `maxBodyBytes` if that is more); a request whose body would go beyond it gets 429
   * ThrottlingException, so that many clients sending bodies slowly cannot exhaust memory.
   */
  maxBufferedBodyBytes?: number;
  /**
   * Milliseconds a request's head, and then its body, may take to arrive (default 10000); a
   * request still arriving then gets 408 and the connection is closed.
   */
  requestTimeoutMs?: number;
  /**
   * How long terminated MicroVMs, deleted images and versions and client tokens are remembered,
   * in milliseconds, before they are forgotten as the service forgets them. The default scales
   * with `transitionMs`: 3600 transitions (an hour at the default of 1000), and at least a minute.
   */
  retentionMs?: number;
  /**
   * The service's clock in epoch milliseconds, for tests that move time by hand (default
   * `Date.now`). Signatures are still checked against the real clock.
   */
  now?: () => number;
  /**
   * Keep the process alive while the server listens (the CLI does). By default the server does
   * not hold the process open, so a test run ends even if a server was left running.
   */
  keepProcessAlive?: boolean;
  /**
   * Browser pages that may call the emulator: `"*"` (the default) lets any origin read its
   * answers; a list of origins (`["http://localhost:5173"]`) only those; `[]` none. Preflight
   * requests are answered before authentication, and the request id and error type headers are
   * exposed to the page.
   */
  corsOrigins?: "*" | readonly string[];
  /** Called once per request when its answer is done (for logs); never sees headers or bodies. */
  onRequest?: (entry: RequestLogEntry) => void;
}

export interface RequestLogEntry {
  readonly method: string;
  /** Path and query as received. */
  readonly url: string;
  /** 0 when the connection closed without an answer (a "drop" fault, a client that left). */
  readonly status: number;
  /** The `x-amzn-errortype` of an error answer. */
  readonly errorType?: string;
  readonly durationMs: number;
}

export interface LocalServer {
  /** `http://127.0.0.1:PORT`. */
  endpoint: string;
  port: number;
  region: string;
  /** The first accepted key pair. */
  credentials: LocalCredentials;
  /** The in-process service, for inspecting state. */
  service: LocalService;
  /** Replaces the fault settings (undefined turns faults off) and restarts any sequence. */
  setFaults(f: FaultOptions | undefined): void;
  /** Requests received so far, faulted ones included. */
  requestCount(): number;
  /** Stops listening and closes every connection. */
  stop(): Promise<void>;
}
