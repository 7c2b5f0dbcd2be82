/** No credentials could be found or loaded. Its message lists what was tried; it never holds a secret. */
export class CredentialsError extends Error {
  override readonly name = "CredentialsError";
}
