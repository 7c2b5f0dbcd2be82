// A Cloudflare Worker: GET /flow runs the flow with a client of its own; GET /shared sends one
// call with a client made once at module scope, which serves every request after the first.
import * as sdk from "lambda-microvms";
import { runFlow } from "./flow.mjs";

let shared;
let served = 0;

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const settings = JSON.parse(env.SETTINGS);
    try {
      if (url.pathname === "/flow") return Response.json(await runFlow(sdk, { ...settings, tag: url.searchParams.get("tag") }));
      shared ??= new sdk.LambdaMicrovmsClient({ region: settings.region, endpoint: settings.endpoint, credentials: settings.credentials });
      const out = await shared.send(new sdk.ListMicrovmsCommand({ maxResults: 1 }));
      return Response.json({ served: ++served, status: out.$metadata.httpStatusCode, requestId: out.$metadata.requestId });
    } catch (error) {
      return Response.json({ error: `${error.name}: ${error.message}` }, { status: 500 });
    }
  },
};
