/**
 * Wire details where the official client and botocore are the references: timestamps in every
 * form a service sends (botocore parses them; the official client throws a TypeError on all but
 * epoch seconds), dense lists and maps keeping their nulls, the order in which an error code is
 * looked for, and map keys that are also Object.prototype names.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as official from "@aws-sdk/client-lambda-microvms";
import * as ours from "../../src/index";
import { startCaptureServer, type CannedResponse, type CaptureServer } from "../helpers/captureServer";

let server: CaptureServer;
let ourClient: ours.LambdaMicrovmsClient;
let officialClient: official.LambdaMicrovmsClient;
beforeAll(async () => {
  server = await startCaptureServer();
  const config = { region: "us-east-1", endpoint: server.endpoint, credentials: { accessKeyId: "a", secretAccessKey: "b" }, maxAttempts: 1 };
  ourClient = new ours.LambdaMicrovmsClient(config);
  officialClient = new official.LambdaMicrovmsClient(config);
});
afterAll(async () => {
  ourClient.destroy();
  officialClient.destroy();
  await server.close();
});

/** GetMicrovm with either client (each with its own command class); the output or the error. */
async function getMicrovm(client: ours.LambdaMicrovmsClient | official.LambdaMicrovmsClient, response: CannedResponse): Promise<unknown> {
  server.respond(response);
  const input = { microvmIdentifier: "mvm-1" };
  const sent = client instanceof ours.LambdaMicrovmsClient ? client.send(new ours.GetMicrovmCommand(input)) : client.send(new official.GetMicrovmCommand(input));
  return sent.catch((e: unknown) => e);
}

describe("timestamps", () => {
  // What botocore's parse_timestamp gives for each (checked against botocore 1.43).
  it.each([
    ["epoch seconds", 1700000000.5, "2023-11-14T22:13:20.500Z"],
    ["epoch seconds as a string", "1700000000.5", "2023-11-14T22:13:20.500Z"],
    ["RFC 3339 in UTC", "2024-01-02T03:04:05Z", "2024-01-02T03:04:05.000Z"],
    ["RFC 3339 with an offset and fraction", "2024-01-02T03:04:05.123+01:00", "2024-01-02T02:04:05.123Z"],
    ["an HTTP date", "Tue, 02 Jan 2024 03:04:05 GMT", "2024-01-02T03:04:05.000Z"],
  ])("%s is parsed", async (_, wire, iso) => {
    const out = (await getMicrovm(ourClient, { status: 200, body: JSON.stringify({ microvmId: "mvm-1", startedAt: wire }) })) as ours.GetMicrovmCommandOutput;
    expect(out.startedAt).toBeInstanceOf(Date);
    expect(out.startedAt!.toISOString()).toBe(iso);
  });

  it("epoch seconds parse as the official client parses them", async () => {
    const body = JSON.stringify({ microvmId: "mvm-1", startedAt: "1700000000.5", updatedAt: 1700000001.25 });
    const mine = (await getMicrovm(ourClient, { status: 200, body })) as Record<string, unknown>;
    const theirs = (await getMicrovm(officialClient, { status: 200, body })) as Record<string, unknown>;
    expect(mine.startedAt).toEqual(theirs.startedAt);
  });

  it.each([
    ["a word", "yesterday"],
    ["an impossible date", "2024-02-30T00:00:00Z"],
    ["a date without a zone", "2024-01-02T03:04:05"],
    ["a boolean", true],
  ])("%s raises a DeserializationError naming the member, never a silent drop", async (_, wire) => {
    const error = await getMicrovm(ourClient, { status: 200, headers: { "x-amzn-requestid": "req-ts" }, body: JSON.stringify({ microvmId: "mvm-1", startedAt: wire }) });
    expect(error).toBeInstanceOf(ours.DeserializationError);
    expect((error as Error).message).toMatch(/startedAt is not a timestamp/);
    expect((error as ours.DeserializationError).$metadata).toMatchObject({ httpStatusCode: 200, requestId: "req-ts" });
  });

  it("names the path of a bad timestamp inside a list", async () => {
    server.respond({ status: 200, body: JSON.stringify({ items: [{ microvmId: "a", startedAt: 1 }, { microvmId: "b", startedAt: "soon" }] }) });
    const error = await ourClient.send(new ours.ListMicrovmsCommand({})).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/items\[1\]\.startedAt is not a timestamp/);
  });
});

describe("dense lists and maps keep their null entries, as the official client does", () => {
  it("in a list", async () => {
    const body = JSON.stringify({ microvmId: "mvm-1", egressNetworkConnectors: ["a", null, "b"] });
    const mine = (await getMicrovm(ourClient, { status: 200, body })) as ours.GetMicrovmCommandOutput;
    const theirs = (await getMicrovm(officialClient, { status: 200, body })) as official.GetMicrovmCommandOutput;
    expect(mine.egressNetworkConnectors).toEqual(["a", null, "b"]);
    expect(mine.egressNetworkConnectors).toEqual(theirs.egressNetworkConnectors);
  });

  it("in a map, where keys named like Object.prototype members stay plain data", async () => {
    const body = '{"Tags":{"a":"1","b":null,"__proto__":"p","constructor":"c","toString":"t"}}';
    const input = { Resource: "arn:aws:lambda:us-east-1:123456789012:microvm-image:x" };
    const send = async (client: ours.LambdaMicrovmsClient | official.LambdaMicrovmsClient) => {
      server.respond({ status: 200, body });
      const out = client instanceof ours.LambdaMicrovmsClient ? await client.send(new ours.ListTagsCommand(input)) : await client.send(new official.ListTagsCommand(input));
      return out.Tags!;
    };
    const mine = await send(ourClient);
    const theirs = await send(officialClient);
    expect(Object.getPrototypeOf(mine)).toBe(Object.prototype);
    expect(Object.keys(mine)).toEqual(["a", "b", "__proto__", "constructor", "toString"]);
    expect(Object.getOwnPropertyDescriptor(mine, "__proto__")?.value).toBe("p");
    expect(mine.b).toBeNull();
    expect(Object.entries(mine)).toEqual(Object.entries(theirs));
  });
});

describe("error codes: the x-amzn-errortype header, then the body's code, then __type (as the official client and botocore)", () => {
  it.each([
    ["header over both", { "x-amzn-errortype": "ConflictException:http://x" }, { __type: "ValidationException", code: "ResourceNotFoundException" }, "ConflictException"],
    ["header over Code", { "x-amzn-errortype": "ConflictException" }, { __type: "ValidationException", Code: "ThrottlingException" }, "ConflictException"],
    ["code over __type", {}, { __type: "com.amazonaws#ValidationException", code: "ResourceNotFoundException" }, "ResourceNotFoundException"],
    ["Code over __type", {}, { __type: "ValidationException", Code: "ThrottlingException" }, "ThrottlingException"],
    ["__type alone", {}, { __type: "com.amazonaws.lambdamicrovms#ValidationException" }, "ValidationException"],
  ])("%s", async (_, headers, body, expected) => {
    const response = { status: 400, headers, body: JSON.stringify({ message: "m", ...body }) };
    const mine = (await getMicrovm(ourClient, response)) as Error;
    const theirs = (await getMicrovm(officialClient, response)) as Error;
    expect(mine.name).toBe(expected);
    expect(mine.constructor.name).toBe(expected);
    expect(mine.name).toBe(theirs.name);
  });

  it("a body field named __proto__ is kept as data and cannot change the error's class", async () => {
    const error = await getMicrovm(ourClient, { status: 404, headers: { "x-amzn-errortype": "ResourceNotFoundException" }, body: '{"message":"m","__proto__":{"polluted":true},"extra":1}' });
    expect(error).toBeInstanceOf(ours.ResourceNotFoundException);
    expect((error as { polluted?: unknown }).polluted).toBeUndefined();
    expect((error as { extra?: unknown }).extra).toBe(1);
  });
});
