/** A LocalService on a clock the test moves by hand, and the requests the service tests share. */
import { LocalService, LocalServiceError, type ServiceSettings } from "../../../src/local/index";
import type { CreateMicrovmImageRequest } from "../../../src/local/service/models";

export const BASE_IMAGE = "arn:aws:lambda:us-east-1:aws:microvm-image:al2023";
export const ROLE = "arn:aws:iam::123456789012:role/build";
export const START = Date.UTC(2026, 0, 1);

export function manualService(transitionMs = 1000, settings: Partial<ServiceSettings> = {}) {
  let now = START;
  const service = new LocalService({ region: "us-east-1", accountId: "123456789012", transitionMs, now: () => now, ...settings });
  return {
    service,
    advance: (ms: number) => (now += ms),
    now: () => now,
  };
}

export const imageRequest = <E extends Partial<CreateMicrovmImageRequest> = Record<never, never>>(name: string, extra: E = {} as E): CreateMicrovmImageRequest & NoInfer<E> => ({
  name,
  baseImageArn: BASE_IMAGE,
  buildRoleArn: ROLE,
  codeArtifact: { uri: "s3://b/app.zip" },
  ...extra,
});

/** What `call` throws, as the emulator's error (code, message and members); fails if it returns. */
export function thrown(call: () => unknown): LocalServiceError {
  try {
    call();
  } catch (e) {
    if (e instanceof LocalServiceError) return e;
    throw e;
  }
  throw new Error("expected a LocalServiceError, but the call returned");
}
