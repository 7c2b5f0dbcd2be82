/** Middleware written for the official clients: added, ordered by step, removed, and per command. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpRequest, HttpResponse } from "@smithy/core/transport";
import type { BuildMiddleware, MetadataBearer } from "@smithy/types";
import { GetMicrovmCommand, LambdaMicrovmsClient } from "../../src/index";
import { startCaptureServer, type CaptureServer } from "../helpers/captureServer";

let server: CaptureServer;
beforeAll(async () => {
  server = await startCaptureServer();
});
afterAll(() => server.close());

const newClient = () => new LambdaMicrovmsClient({ region: "us-east-1", endpoint: server.endpoint, credentials: { accessKeyId: "AKID", secretAccessKey: "s" } });

describe("official-style middleware", () => {
  it("a build middleware changes the request (sent and signed); later steps and the response are visible", async () => {
    const client = newClient();
    const order: string[] = [];
    client.middlewareStack.add(
      (next) => async (args) => {
        order.push("build");
        (args.request as HttpRequest).headers["x-trace-id"] = "trace-123";
        return next(args);
      },
      { step: "build", name: "traceHeader" },
    );
    client.middlewareStack.add(
      (next) => async (args) => {
        order.push("initialize");
        return next(args);
      },
      { step: "initialize", name: "first" },
    );
    let authorization: string | undefined;
    const afterTrace: BuildMiddleware<object, MetadataBearer> = (next) => async (args) => {
      const result = await next(args);
      authorization = (args.request as HttpRequest).headers.authorization;
      order.push(`response ${(result.response as HttpResponse).statusCode}`);
      return result;
    };
    client.middlewareStack.addRelativeTo(afterTrace, { relation: "after", toMiddleware: "traceHeader", name: "afterTrace" });
    server.respond({ status: 200, body: JSON.stringify({ microvmId: "m" }) });
    await client.send(new GetMicrovmCommand({ microvmIdentifier: "m" }));
    const sent = server.requests.at(-1)!;
    expect(sent.headers["x-trace-id"]).toBe("trace-123");
    expect(String(sent.headers.authorization)).toMatch(/SignedHeaders=[^,]*x-trace-id/);
    expect(order).toEqual(["initialize", "build", "response 200"]);
    expect(authorization).toBeUndefined(); // signing happens later, in finalize

    // As with the official clients, an entry placed relative to another goes first.
    client.middlewareStack.remove("afterTrace");
    client.middlewareStack.remove("traceHeader");
    await client.send(new GetMicrovmCommand({ microvmIdentifier: "m" }));
    expect(server.requests.at(-1)!.headers["x-trace-id"]).toBeUndefined();
    client.destroy();
  });

  it("middleware on one command only", async () => {
    const client = newClient();
    const command = new GetMicrovmCommand({ microvmIdentifier: "m" });
    command.middlewareStack.add(
      (next) => async (args) => {
        (args.request as HttpRequest).headers["x-only-this"] = "1";
        return next(args);
      },
      { step: "build" },
    );
    await client.send(command);
    expect(server.requests.at(-1)!.headers["x-only-this"]).toBe("1");
    await client.send(new GetMicrovmCommand({ microvmIdentifier: "m" }));
    expect(server.requests.at(-1)!.headers["x-only-this"]).toBeUndefined();
    client.destroy();
  });
});
