/** Errors the emulator answers with. Each carries its wire code, status and members. */
export class LocalServiceError extends Error {
  override readonly name = "LocalServiceError";
  constructor(
    /** The error code sent in `x-amzn-errortype`, e.g. `ConflictException`. */
    readonly code: string,
    message: string,
    /** Modeled members besides `message`, e.g. `resourceId`. */
    readonly members: Record<string, unknown> = {},
    /** Only for codes the model does not describe (authentication, routing). */
    readonly status?: number,
  ) {
    super(message);
  }
}

export function notFound(resourceType: string, resourceId: string, message?: string): LocalServiceError {
  return new LocalServiceError("ResourceNotFoundException", message ?? `${resourceType} ${resourceId} does not exist.`, {
    resourceType,
    resourceId,
  });
}

export function conflict(resourceType: string, resourceId: string, message: string): LocalServiceError {
  return new LocalServiceError("ConflictException", message, { resourceType, resourceId });
}

export function invalid(message: string): LocalServiceError {
  return new LocalServiceError("ValidationException", message);
}
