/**
 * The SigV4 auth scheme's `HttpSigner`, as `client.config.httpAuthSchemes` lists it: it signs
 * with the client's `signer()` for the signing region and name it is given (the client's own
 * calls are signed by the signing middleware with the same signer).
 */
import type { HttpRequest, HttpSigner, Identity, RequestSigner } from "@smithy/types";

export class SigV4HttpSigner implements HttpSigner {
  constructor(private readonly config: { signer(): Promise<RequestSigner>; systemClockOffset: number }) {}

  async sign(httpRequest: HttpRequest, _identity: Identity, signingProperties: Record<string, unknown>): Promise<HttpRequest> {
    const signer = await this.config.signer();
    const region = signingProperties.signingRegion ?? signingProperties.region;
    const service = signingProperties.signingName ?? signingProperties.name;
    return signer.sign(httpRequest, {
      signingDate: new Date(Date.now() + this.config.systemClockOffset),
      ...(typeof region === "string" ? { signingRegion: region } : {}),
      ...(typeof service === "string" ? { signingService: service } : {}),
    });
  }
}
