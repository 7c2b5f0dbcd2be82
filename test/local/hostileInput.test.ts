/**
 * Hostile input over real HTTP: keys that every JavaScript object inherits (`__proto__`,
 * `constructor`, `toString`, …) in bodies, queries, headers and SignedHeaders; map keys that
 * must stay data; strings that are not valid Unicode; integers beyond what the model allows.
 * Each gets a modeled 4xx (never a 500) and nothing invalid is stored.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetMicrovmImageCommand, GetMicrovmImageVersionCommand, ListTagsCommand } from "../../src/index";
import { BASE_IMAGE, ROLE, createImage, startFixture, uniqueName, type Fixture } from "./helpers";
import { exchange, jsonRequest, sendSigned, signWire, wireBytes, type WireAnswer } from "./wire";

let fx: Fixture;
let imageArn: string;
beforeAll(async () => {
  fx = await startFixture({}, { maxAttempts: 1 });
  imageArn = (await createImage(fx.client)).imageArn!;
});
afterAll(() => fx.close());

const INHERITED = ["__proto__", "constructor", "toString", "valueOf", "hasOwnProperty", "isPrototypeOf", "__defineGetter__"];

function errorOf(answer: WireAnswer): { type: string; message: string } {
  expect(answer.headers["x-amzn-requestid"]).toBeTruthy();
  const body = JSON.parse(answer.body) as { message?: unknown };
  expect(typeof body.message).toBe("string");
  return { type: answer.headers["x-amzn-errortype"]!, message: body.message as string };
}

const imageBody = (extra: Record<string, unknown> = {}) => ({ name: uniqueName(), baseImageArn: BASE_IMAGE, buildRoleArn: ROLE, codeArtifact: { uri: "s3://b/a.zip" }, ...extra });

/** JSON text with a literal `"__proto__"` key (an object literal would set the prototype instead). */
const withProto = (body: Record<string, unknown>, proto: unknown): string => JSON.stringify(body).replace(/^\{/, `{"__proto__":${JSON.stringify(proto)},`);

describe("body members named like inherited properties", () => {
  it("does not let a __proto__ member carry members past validation, and stores nothing", async () => {
    const before = fx.server.service.counts().images;
    const { name: _name, ...rest } = imageBody();
    const answer = await sendSigned(fx.server, jsonRequest("POST", "/2025-09-09/microvm-images", withProto(rest, { name: 7 })));
    expect(answer.status).toBe(400);
    const { type, message } = errorOf(answer);
    expect(type).toBe("ValidationException");
    expect(message).toMatch(/name: is required/);
    expect(fx.server.service.counts().images).toBe(before);
    const list = await sendSigned(fx.server, { method: "GET", target: "/2025-09-09/microvm-images?nameFilter=7" });
    expect(list.status).toBe(200);
  });

  it("ignores members smuggled in __proto__ when the rest is valid: nothing of them is stored", async () => {
    const smuggled = { cpuConfigurations: "not a list", environmentVariables: { A: 1 }, description: 5 };
    const answer = await sendSigned(fx.server, jsonRequest("POST", "/2025-09-09/microvm-images", withProto(imageBody(), smuggled)));
    expect(answer.status).toBe(201);
    const created = JSON.parse(answer.body) as { imageArn: string };
    const version = await fx.client.send(new GetMicrovmImageVersionCommand({ imageIdentifier: created.imageArn, imageVersion: "1" }));
    expect(version.description).toBeUndefined();
    expect(version.environmentVariables).toBeUndefined();
    expect(version.cpuConfigurations).toBeUndefined();
    const run = await sendSigned(fx.server, jsonRequest("POST", "/2025-09-09/microvms", withProto({ imageIdentifier: imageArn }, { maximumDurationInSeconds: -5 })));
    expect(run.status).toBe(200);
    expect((JSON.parse(run.body) as { maximumDurationInSeconds: number }).maximumDurationInSeconds).toBe(28_800);
  });

  it.each(INHERITED.filter((k) => k !== "__proto__"))("answers a member %s at any depth without a 500", async (key) => {
    // In a plain structure it is an unknown member, ignored.
    const top = await sendSigned(fx.server, jsonRequest("POST", "/2025-09-09/microvm-images", imageBody({ [key]: { name: 7 } })));
    expect(top.status).toBe(201);
    const nested = await sendSigned(fx.server, jsonRequest("POST", "/2025-09-09/microvms", { imageIdentifier: imageArn, idlePolicy: { maxIdleDurationSeconds: 60, suspendedDurationSeconds: 60, autoResumeEnabled: false, [key]: 1 } }));
    expect(nested.status).toBe(200);
    // In a union it is a member the model does not know, which the service refuses.
    const union = await sendSigned(fx.server, jsonRequest("POST", "/2025-09-09/microvm-images", imageBody({ codeArtifact: { [key]: "x" } })));
    expect(union.status).toBe(400);
    expect(errorOf(union).message).toMatch(new RegExp(`codeArtifact: has no member "${key}"`));
    const inList = await sendSigned(
      fx.server,
      jsonRequest("POST", `/2025-09-09/microvms/mvm-none/auth-token`, { expirationInMinutes: 5, allowedPorts: [{ [key]: 1 }] }),
    );
    expect(inList.status).toBe(400);
    expect(errorOf(inList).message).toMatch(/allowedPorts\[0\]/);
  });
});

describe("query keys and headers named like inherited properties", () => {
  it.each(INHERITED)("answers a query key %s with 403 unsigned and 200 signed", async (key) => {
    const target = `/2025-09-09/microvms?${encodeURIComponent(key)}=1&maxResults=1`;
    const { answers } = await exchange(fx.server, [`GET ${target} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n`]);
    expect(answers[0]!.status).toBe(403);
    expect(errorOf(answers[0]!).type).toBe("MissingAuthenticationTokenException");
    const signed = await sendSigned(fx.server, { method: "GET", target });
    expect(signed.status).toBe(200);
  });

  it.each(INHERITED)("accepts a correctly signed request carrying a header named %s", async (name) => {
    const answer = await sendSigned(fx.server, { method: "GET", target: "/2025-09-09/microvms?maxResults=1", headers: [[name, "some value"]] });
    expect(answer.status).toBe(200);
  });

  it.each(INHERITED)("answers SignedHeaders naming an absent %s with 403", async (name) => {
    const answer = await sendSigned(fx.server, { method: "GET", target: "/2025-09-09/microvms" }, { extraSignedNames: [name.toLowerCase()] });
    expect(answer.status).toBe(403);
    const { type, message } = errorOf(answer);
    expect(type).toBe("InvalidSignatureException");
    expect(message).toMatch(/signed but not present/);
  });
});

describe("map keys are data", () => {
  it("keeps tag and environment variable keys named __proto__ and constructor, everywhere they are read", async () => {
    const body = imageBody({ environmentVariables: { constructor: "c", PATH: "/bin" }, tags: { constructor: "t", team: "x" } });
    const text = JSON.stringify(body)
      .replace('"environmentVariables":{', '"environmentVariables":{"__proto__":"env",')
      .replace('"tags":{', '"tags":{"__proto__":"tag",');
    const answer = await sendSigned(fx.server, jsonRequest("POST", "/2025-09-09/microvm-images", text));
    expect(answer.status).toBe(201);
    const created = JSON.parse(answer.body) as { imageArn: string; tags: Record<string, string>; environmentVariables: Record<string, string> };
    expect(created.tags).toEqual(JSON.parse('{"__proto__":"tag","constructor":"t","team":"x"}'));
    expect(created.environmentVariables).toEqual(JSON.parse('{"__proto__":"env","constructor":"c","PATH":"/bin"}'));
    // Through the client: own entries, and the maps keep their ordinary prototype.
    const image = await fx.client.send(new GetMicrovmImageCommand({ imageIdentifier: created.imageArn }));
    expect(Object.getOwnPropertyDescriptor(image.tags, "__proto__")?.value).toBe("tag");
    expect(Object.getPrototypeOf(image.tags)).toBe(Object.prototype);
    const version = await fx.client.send(new GetMicrovmImageVersionCommand({ imageIdentifier: created.imageArn, imageVersion: "1" }));
    expect(Object.getOwnPropertyDescriptor(version.environmentVariables, "__proto__")?.value).toBe("env");
    expect(version.environmentVariables?.constructor).toBe("c");
    // TagResource adds one, UntagResource removes it, ListTags shows them.
    const resource = `/2017-03-31/tags/${encodeURIComponent(created.imageArn)}`;
    const tag = await sendSigned(fx.server, jsonRequest("POST", resource, '{"Tags":{"__proto__":"again","toString":"s"}}'));
    expect(tag.status).toBe(204);
    const tags = (await fx.client.send(new ListTagsCommand({ Resource: created.imageArn }))).Tags!;
    expect(Object.keys(tags).sort()).toEqual(["__proto__", "constructor", "team", "toString"]);
    expect(Object.getOwnPropertyDescriptor(tags, "__proto__")?.value).toBe("again");
    const untag = await sendSigned(fx.server, { method: "DELETE", target: `${resource}?tagKeys=__proto__&tagKeys=constructor` });
    expect(untag.status).toBe(204);
    const left = (await fx.client.send(new ListTagsCommand({ Resource: created.imageArn }))).Tags!;
    expect(Object.keys(left).sort()).toEqual(["team", "toString"]);
  });
});

describe("strings and numbers as the model counts them", () => {
  it("counts a lone surrogate toward length limits and refuses strings that are not valid Unicode", async () => {
    const long = `{"imageIdentifier":${JSON.stringify(imageArn)},"runHookPayload":"${"\\ud800".repeat(100_000)}"}`;
    const answer = await sendSigned(fx.server, jsonRequest("POST", "/2025-09-09/microvms", long));
    expect(answer.status).toBe(400);
    const { message } = errorOf(answer);
    expect(message).toMatch(/runHookPayload: must have at most 4096 characters/);
    expect(message).toMatch(/runHookPayload: must be valid Unicode/);
    expect(message).not.toMatch(/\ud800/);
    const short = `{"imageIdentifier":${JSON.stringify(imageArn)},"runHookPayload":"ok\\udc00"}`;
    const lone = await sendSigned(fx.server, jsonRequest("POST", "/2025-09-09/microvms", short));
    expect(lone.status).toBe(400);
    expect(errorOf(lone).message).toMatch(/runHookPayload: must be valid Unicode/);
    const key = await sendSigned(fx.server, jsonRequest("POST", "/2025-09-09/microvm-images", JSON.stringify(imageBody()).replace(/}$/, ',"tags":{"a\\ud800":"v"}}')));
    expect(key.status).toBe(400);
    expect(errorOf(key).message).toMatch(/tags\{key\}: must be valid Unicode/);
  });

  it("counts a surrogate pair as one character", async () => {
    const emoji = "\u{1F600}";
    const fits = await sendSigned(fx.server, jsonRequest("POST", "/2025-09-09/microvm-images", imageBody({ tags: { smile: emoji.repeat(256) } })));
    expect(fits.status).toBe(201);
    const over = await sendSigned(fx.server, jsonRequest("POST", "/2025-09-09/microvm-images", imageBody({ tags: { smile: emoji.repeat(257) } })));
    expect(over.status).toBe(400);
    expect(errorOf(over).message).toMatch(/must have at most 256 characters/);
  });

  it("refuses a body that is not valid UTF-8", async () => {
    const bytes = Buffer.concat([Buffer.from('{"imageIdentifier":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    const answer = await sendSigned(fx.server, { method: "POST", target: "/2025-09-09/microvms", headers: [["content-type", "application/json"]], body: bytes });
    expect(answer.status).toBe(400);
    expect(errorOf(answer).type).toBe("SerializationException");
  });

  it("refuses integers outside the 32-bit range and integers a number cannot hold exactly", async () => {
    const policy = (n: string) => `{"imageIdentifier":${JSON.stringify(imageArn)},"idlePolicy":{"maxIdleDurationSeconds":60,"autoResumeEnabled":false,"suspendedDurationSeconds":${n}}}`;
    for (const n of ["2147483648", "9007199254740993", "1e300"]) {
      const answer = await sendSigned(fx.server, jsonRequest("POST", "/2025-09-09/microvms", policy(n)));
      expect(answer.status, n).toBe(400);
      expect(errorOf(answer).message, n).toMatch(/idlePolicy\.suspendedDurationSeconds: must be a 32-bit integer/);
    }
    const query = await sendSigned(fx.server, { method: "GET", target: "/2025-09-09/microvms?maxResults=-2147483649" });
    expect(errorOf(query).message).toMatch(/maxResults: must be a 32-bit integer/);
    const edge = await sendSigned(fx.server, jsonRequest("POST", "/2025-09-09/microvms", policy("2147483647")));
    expect(edge.status).toBe(200);
    expect((JSON.parse(edge.body) as { idlePolicy: { suspendedDurationSeconds: number } }).idlePolicy.suspendedDurationSeconds).toBe(2147483647);
  });
});

describe("signatures on raw bytes", () => {
  it("keeps a pipelined hostile request from touching the one before it", async () => {
    const good = wireBytes(signWire(fx.server, { method: "GET", target: "/2025-09-09/microvms?maxResults=1" }));
    const hostile = wireBytes(signWire(fx.server, { method: "GET", target: "/2025-09-09/microvms?constructor=1" }, { extraSignedNames: ["constructor"] }));
    const { answers } = await exchange(fx.server, [Buffer.concat([good, hostile])], 2);
    expect(answers.map((a) => a.status)).toEqual([200, 403]);
  });
});
