/**
 * One-line summaries of the operations, in this project's own words, for the generated TSDoc.
 * Member docs are derived from the model's constraints (see `emit-types.ts`).
 */
export const operationSummaries: Record<string, string> = {
  CreateMicrovmAuthToken: "Mints a short-lived token that lets HTTP clients reach chosen ports of a running MicroVM.",
  CreateMicrovmImage: "Starts building a new MicroVM image from a base image and a code artifact.",
  CreateMicrovmShellAuthToken: "Mints a short-lived token for an interactive shell on a MicroVM started with shell ingress.",
  DeleteMicrovmImage: "Deletes a MicroVM image together with all of its versions.",
  DeleteMicrovmImageVersion: "Deletes one version of a MicroVM image.",
  GetMicrovm: "Describes one MicroVM: its state, endpoint, image and settings.",
  GetMicrovmImage: "Describes one MicroVM image and its latest versions.",
  GetMicrovmImageBuild: "Describes one build (one CPU configuration) of an image version.",
  GetMicrovmImageVersion: "Describes one version of a MicroVM image.",
  ListManagedMicrovmImageVersions: "Lists the versions of an AWS-managed base image.",
  ListManagedMicrovmImages: "Lists the AWS-managed base images that images can be built on.",
  ListMicrovmImageBuilds: "Lists the builds of an image version, optionally filtered by CPU configuration.",
  ListMicrovmImageVersions: "Lists the versions of a MicroVM image.",
  ListMicrovmImages: "Lists the MicroVM images of the account, optionally filtered by name.",
  ListMicrovms: "Lists MicroVMs, optionally only those of one image or image version.",
  ListTags: "Returns the tags of a taggable resource (here, MicroVM image ARNs).",
  ResumeMicrovm: "Resumes a suspended MicroVM.",
  RunMicrovm: "Starts a new MicroVM from a successfully built, active image version.",
  SuspendMicrovm: "Suspends a running MicroVM, keeping its memory and disk.",
  TagResource: "Adds or overwrites tags on a resource.",
  TerminateMicrovm: "Terminates a MicroVM. Terminating one that is already gone succeeds.",
  UntagResource: "Removes tags, by key, from a resource.",
  UpdateMicrovmImage: "Replaces the configuration of an image, which builds a new image version.",
  UpdateMicrovmImageVersion: "Marks an image version ACTIVE or INACTIVE.",
};

export const errorSummaries: Record<string, string> = {
  AccessDeniedException: "The caller is not allowed to perform the action.",
  ConflictException: "The request conflicts with the resource's current state, or reuses a client token with other input.",
  InsufficientCapacityException: "The service has no capacity for the request right now.",
  InternalServerException: "The service failed; the request may be retried.",
  InvalidParameterValueException: "A parameter of a tagging request has an invalid value.",
  ResourceConflictException: "The resource is being changed by another request.",
  ResourceNotFoundException: "The named resource does not exist.",
  ServiceException: "The tagging service failed.",
  ServiceQuotaExceededException: "The request would exceed a service quota.",
  ThrottlingException: "The request rate is too high; retry after a delay.",
  TooManyRequestsException: "The tagging request rate is too high.",
  ValidationException: "The input does not satisfy the service's constraints.",
};
