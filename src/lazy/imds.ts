/**
 * The EC2 instance metadata credential provider, loaded with `import()` only when the credential
 * chain gets that far. Importing it through this module lets bundlers keep only this provider.
 */
export { fromInstanceMetadata } from "@smithy/credential-provider-imds";
