/**
 * lambda-microvms: a typed client for AWS Lambda MicroVMs, a drop-in for
 * `@aws-sdk/client-lambda-microvms`.
 *
 * @packageDocumentation
 */
export { LambdaMicrovmsClient, __Client } from "./client/LambdaMicrovmsClient";
export type {
  ClientDefaults,
  ClientInputEndpointParameters,
  LambdaMicrovmsClientConfig,
  LambdaMicrovmsClientConfigType,
  LambdaMicrovmsClientResolvedConfig,
  LambdaMicrovmsClientResolvedConfigType,
  LambdaMicrovmsExtensionConfiguration,
  LambdaMicrovmsResolvedConfig,
  RuntimeExtension,
} from "./client/configTypes";
export type { ServiceInputTypes, ServiceOutputTypes } from "./client/serviceTypes.generated";
export { LambdaMicrovms } from "./client/LambdaMicrovms.generated";
export { $Command, LambdaMicrovmsCommand } from "./client/command";
export { ConfigurationError } from "./client/config";
export { KeepAliveHttpHandler } from "./http/KeepAliveHttpHandler";
export type { KeepAliveHttpHandlerConfig, KeepAliveHttpHandlerOptions } from "./http/KeepAliveHttpHandler";
export { CredentialsError } from "./auth/credentials/errors";
export { EndpointError } from "./endpoint/resolveEndpoint";
export { DeserializationError } from "./protocol/deserialize";
export { InputValidationError } from "./middleware/validation";
export type { ValidationProblem } from "./protocol/validate";
export * from "./commands/index";
export * from "./models/models.generated";
export * from "./models/errors.generated";
export { LambdaMicrovmsServiceException } from "./models/LambdaMicrovmsServiceException";
export type { ServiceExceptionOptions } from "./models/LambdaMicrovmsServiceException";
export * from "./pagination/paginators.generated";
export type {
  LambdaMicrovmsPaginationConfiguration,
  LambdaMicrovmsPaginator,
  PageItem,
  PaginationConfiguration,
  Paginator,
  PaginationErrorFields,
} from "./pagination/createPaginator";
export * from "./waiters/waiters";
export { WaiterError, WaiterState } from "./waiters/poller";
export type { Acceptor, PollEvent, WaiterConfiguration, WaiterResult } from "./waiters/poller";
