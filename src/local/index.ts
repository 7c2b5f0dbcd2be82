/**
 * `lambda-microvms/local`: a stateful emulator of AWS Lambda MicroVMs that speaks the real wire
 * protocol over HTTP, for demos and tests without an AWS account.
 *
 * @packageDocumentation
 */
export { startLocalServer, DEFAULT_CREDENTIALS } from "./server";
export type { LocalServer, LocalServerOptions, LocalCredentials, FaultKind, FaultOptions, RequestLogEntry } from "./types";
export { LocalService } from "./service/LocalService";
export type { ServiceCounts, ServiceSettings } from "./service/LocalService";
export { LocalServiceError } from "./errors";
export { FAILURE_REASON } from "./service/outcome";
