/**
 * The client reads responses with the same protocol code the emulator uses, so it must be as
 * safe: maps whose keys are `__proto__` or `constructor` keep them as data, union and error
 * codes with such names are not looked up in what objects inherit, and no output's prototype
 * (nor `Object.prototype`) changes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateMicrovmAuthTokenCommand,
  GetMicrovmImageCommand,
  GetMicrovmImageVersionCommand,
  LambdaMicrovmsClient,
  LambdaMicrovmsServiceException,
  RunMicrovmCommand,
  TagResourceCommand,
} from "../../src/index";
import { startCaptureServer, type CaptureServer } from "../helpers/captureServer";

let server: CaptureServer;
let client: LambdaMicrovmsClient;
beforeAll(async () => {
  server = await startCaptureServer();
  client = new LambdaMicrovmsClient({ region: "us-east-1", endpoint: server.endpoint, credentials: { accessKeyId: "a", secretAccessKey: "s" }, maxAttempts: 1 });
});
afterAll(async () => {
  client.destroy();
  await server.close();
});

const ARN = "arn:aws:lambda:us-east-1:123456789012:microvm-image:mvi-1";
const HOSTILE_MAP = '{"__proto__":{"polluted":"yes"},"constructor":"c","toString":"t","plain":"p"}';

function expectDataMap(map: unknown): void {
  expect(Object.getPrototypeOf(map)).toBe(Object.prototype);
  expect(Object.keys(map as object).sort()).toEqual(["__proto__", "constructor", "plain", "toString"]);
  expect(Object.getOwnPropertyDescriptor(map, "__proto__")?.value).toEqual({ polluted: "yes" });
  expect((map as Record<string, unknown>).constructor).toBe("c");
  expect((map as { polluted?: unknown }).polluted).toBeUndefined();
  expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
}

describe("hostile keys in responses", () => {
  it("keeps __proto__ and constructor map keys as data in outputs", async () => {
    server.respond({ body: `{"imageArn":"${ARN}","name":"n","state":"CREATED","createdAt":1,"tags":${HOSTILE_MAP}}` });
    const image = await client.send(new GetMicrovmImageCommand({ imageIdentifier: ARN }));
    expectDataMap(image.tags);
    expect(Object.getPrototypeOf(image)).toBe(Object.prototype);

    server.respond({ body: `{"authToken":${HOSTILE_MAP}}` });
    const token = await client.send(new CreateMicrovmAuthTokenCommand({ microvmIdentifier: "mvm-1", expirationInMinutes: 5, allowedPorts: [{ port: 80 }] }));
    expectDataMap(token.authToken);
  });

  it("reads union members named like inherited properties as unknown members", async () => {
    server.respond({
      body: `{"imageArn":"${ARN}","imageVersion":"1","state":"SUCCESSFUL","createdAt":1,"environmentVariables":${HOSTILE_MAP},"codeArtifact":{"constructor":"x"},"logging":{"__proto__":{"disabled":true}}}`,
    });
    const version = await client.send(new GetMicrovmImageVersionCommand({ imageIdentifier: ARN, imageVersion: "1" }));
    expectDataMap(version.environmentVariables);
    expect(version.codeArtifact).toEqual({ $unknown: ["constructor", "x"] });
    expect(version.logging).toEqual({ $unknown: ["__proto__", { disabled: true }] });
    expect(Object.getPrototypeOf(version.logging)).toBe(Object.prototype);
  });

  it.each(["constructor", "toString", "__proto__", "hasOwnProperty"])("turns an error code %s into a service exception", async (code) => {
    server.respond({ status: 400, headers: { "x-amzn-errortype": code }, body: `{"message":"m","__proto__":{"polluted":"yes"}}` });
    const error = await client.send(new GetMicrovmImageCommand({ imageIdentifier: ARN })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LambdaMicrovmsServiceException);
    expect((error as Error).name).toBe(code);
    expect((error as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it("keeps a response header named __proto__ as a header", async () => {
    server.respond({ headers: JSON.parse('{"__proto__":"h","constructor":"k"}') as Record<string, string>, body: `{"imageArn":"${ARN}","name":"n","state":"CREATED","createdAt":1}` });
    let seen: Record<string, string> | undefined;
    const spy = new LambdaMicrovmsClient({ region: "us-east-1", endpoint: server.endpoint, credentials: { accessKeyId: "a", secretAccessKey: "s" }, maxAttempts: 1 });
    spy.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        seen = (result.response as { headers: Record<string, string> }).headers;
        return result;
      },
      { step: "deserialize", name: "seeHeaders" },
    );
    await spy.send(new GetMicrovmImageCommand({ imageIdentifier: ARN }));
    spy.destroy();
    expect(Object.getOwnPropertyDescriptor(seen, "__proto__")?.value).toBe("h");
    expect(seen!.constructor).toBe("k");
    expect(Object.getPrototypeOf(seen)).toBe(Object.prototype);
  });
});

describe("hostile keys in inputs", () => {
  it("sends a __proto__ map key as data and ignores unknown members named like inherited properties", async () => {
    server.respond({ status: 204, body: "" });
    const Tags = JSON.parse('{"__proto__":"v","constructor":"c"}') as Record<string, string>;
    await client.send(new TagResourceCommand({ Resource: ARN, Tags }));
    expect(JSON.parse(server.requests.at(-1)!.body)).toEqual(JSON.parse('{"Tags":{"__proto__":"v","constructor":"c"}}'));
    server.respond({ body: `{"microvmId":"mvm-1","state":"PENDING"}` });
    const input = JSON.parse('{"imageIdentifier":"img","constructor":{"x":1},"toString":"y"}') as { imageIdentifier: string };
    await expect(client.send(new RunMicrovmCommand(input))).resolves.toMatchObject({ microvmId: "mvm-1" });
    expect(JSON.parse(server.requests.at(-1)!.body)).toMatchObject({ imageIdentifier: "img" });
  });
});
