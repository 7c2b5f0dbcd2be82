/**
 * The aggregated client: every one of its 24 operation methods runs against the emulator, in
 * its promise form and in both callback forms, and gives what `client.send(new XCommand(input))`
 * gives; its 6 paginator methods page; errors reach callbacks.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as api from "../../src/index";
import { LambdaMicrovms, LambdaMicrovmsClient, ResourceNotFoundException, type GetMicrovmCommandOutput } from "../../src/index";
import { BASE_IMAGE, ROLE } from "../local/helpers";
import { startLocalServer, type LocalServer } from "../../src/local/index";

/** The emulators' clock, stopped, so that the same calls give the same timestamps in each. */
const NOW = Date.parse("2026-01-02T03:04:05.000Z");
/** The operation methods (on the prototype once a client has been made). */
const operationMethods = () => Object.getOwnPropertyNames(LambdaMicrovms.prototype).filter((n) => n !== "constructor" && !n.startsWith("paginate"));

let server: LocalServer;
let microvms: LambdaMicrovms;
beforeAll(async () => {
  server = await startLocalServer({ transitionMs: 0 });
  microvms = new LambdaMicrovms({ region: server.region, endpoint: server.endpoint, credentials: server.credentials });
});
afterAll(async () => {
  microvms.destroy();
  await server.stop();
});

type Output = Record<string, any>;
/** Runs one operation, named by its method, with one input. */
type Call = (method: string, input: object | undefined) => Promise<Output>;
/** What one step gave: its output, or the error's name, message and status. */
type Outcome = { output: unknown } | { error: unknown };

/**
 * Every operation once, on one image and one MicroVM, as a user would chain them: each step's
 * input comes from earlier outputs of the same run. Returns each step's outcome.
 */
async function everyOperation(call: Call): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const step = async (method: string, input?: object): Promise<Output> => {
    try {
      const output = await call(method, input);
      outcomes.push({ output });
      return output;
    } catch (error) {
      const e = error as Error & { $metadata?: { httpStatusCode?: number } };
      outcomes.push({ error: { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode } });
      return {};
    }
  };
  await step("listManagedMicrovmImages");
  await step("listManagedMicrovmImageVersions", { imageIdentifier: BASE_IMAGE });
  const image = await step("createMicrovmImage", { name: "aggregated", baseImageArn: BASE_IMAGE, buildRoleArn: ROLE, codeArtifact: { uri: "s3://b/app.zip" }, clientToken: "image-1" });
  const imageIdentifier = image.imageArn as string;
  await step("getMicrovmImage", { imageIdentifier });
  await step("listMicrovmImages", {});
  await step("getMicrovmImageVersion", { imageIdentifier, imageVersion: "1" });
  const builds = await step("listMicrovmImageBuilds", { imageIdentifier, imageVersion: "1" });
  await step("getMicrovmImageBuild", { imageIdentifier, imageVersion: "1", buildId: builds.items?.[0]?.buildId });
  await step("updateMicrovmImageVersion", { imageIdentifier, imageVersion: "1", status: "ACTIVE" });
  await step("tagResource", { Resource: imageIdentifier, Tags: { team: "a", stage: "b" } });
  await step("untagResource", { Resource: imageIdentifier, TagKeys: ["stage"] });
  await step("listTags", { Resource: imageIdentifier });
  const vm = await step("runMicrovm", { imageIdentifier, ingressNetworkConnectors: ["SHELL_INGRESS"], clientToken: "vm-1" });
  const microvmIdentifier = vm.microvmId as string;
  await step("getMicrovm", { microvmIdentifier });
  await step("getMicrovm", { microvmIdentifier: "mvm-0000000000000000" });
  await step("listMicrovms", { imageIdentifier });
  await step("createMicrovmAuthToken", { microvmIdentifier, expirationInMinutes: 5, allowedPorts: [{ port: 80 }] });
  await step("createMicrovmShellAuthToken", { microvmIdentifier, expirationInMinutes: 7 });
  await step("suspendMicrovm", { microvmIdentifier });
  await step("getMicrovm", { microvmIdentifier });
  await step("resumeMicrovm", { microvmIdentifier });
  await step("getMicrovm", { microvmIdentifier });
  await step("terminateMicrovm", { microvmIdentifier });
  await step("getMicrovm", { microvmIdentifier });
  await step("updateMicrovmImage", { imageIdentifier, baseImageArn: BASE_IMAGE, buildRoleArn: ROLE, codeArtifact: { uri: "s3://b/v2.zip" }, clientToken: "image-2" });
  await step("listMicrovmImageVersions", { imageIdentifier });
  await step("deleteMicrovmImageVersion", { imageIdentifier, imageVersion: "1" });
  await step("deleteMicrovmImage", { imageIdentifier });
  await step("getMicrovmImage", { imageIdentifier });
  return outcomes;
}

/**
 * An outcome with what differs between two runs of the same calls made equal: identifiers
 * (random in the emulator) become their order of first appearance, the random part of tokens
 * and the request id go. Everything else, timestamps included, must be the same.
 */
function comparable(value: unknown, ids = new Map<string, string>()): unknown {
  if (typeof value === "string") {
    return value.replace(/^(lmv1\.[^.]+\.)[\w-]+$/, "$1<random>").replace(/\b(mvi|mvm|bld)-[0-9a-f]{16}\b/g, (id) => {
      if (!ids.has(id)) ids.set(id, `<id ${ids.size + 1}>`);
      return ids.get(id)!;
    });
  }
  if (Array.isArray(value)) return value.map((item) => comparable(item, ids));
  if (value === null || typeof value !== "object" || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === "$metadata") out[key] = { httpStatusCode: (item as { httpStatusCode?: number }).httpStatusCode };
    else if (key === "nextToken") out[key] = item === undefined ? undefined : "<token>";
    else out[key] = comparable(item, ids);
  }
  return out;
}

/** A fresh emulator with a stopped clock and a client of the given class; records the command each call ran. */
async function world<C extends LambdaMicrovmsClient>(Client: new (config: object) => C) {
  const emulator = await startLocalServer({ transitionMs: 0, now: () => NOW });
  const client = new Client({ region: emulator.region, endpoint: emulator.endpoint, credentials: emulator.credentials });
  const commands: string[] = [];
  client.middlewareStack.add(
    (next, context) => (args) => {
      commands.push(String(context.commandName));
      return next(args);
    },
    { step: "initialize" },
  );
  return { client, commands, close: () => (client.destroy(), emulator.stop()) };
}

/** `getMicrovm` → `GetMicrovmCommand`. */
const commandName = (method: string) => `${method[0]!.toUpperCase()}${method.slice(1)}Command`;
type AnyCommand = Parameters<LambdaMicrovmsClient["send"]>[0];
const commandClass = (method: string) => (api as unknown as Record<string, new (input?: object) => AnyCommand>)[commandName(method)]!;
const methodOf = (client: LambdaMicrovms, method: string) => (client as unknown as Record<string, (...args: unknown[]) => Promise<Output> | void>)[method]!.bind(client);

describe("LambdaMicrovms", () => {
  it("is a LambdaMicrovmsClient with a method per operation and per paginator", () => {
    expect(microvms).toBeInstanceOf(LambdaMicrovmsClient);
    const methods = Object.getOwnPropertyNames(LambdaMicrovms.prototype).filter((n) => n !== "constructor");
    expect(operationMethods()).toHaveLength(24);
    expect(methods.filter((n) => n.startsWith("paginate"))).toHaveLength(6);
  });

  it("every operation method gives what its command gives, as a promise and through a callback with and without options", async () => {
    const byCommand = await world(LambdaMicrovmsClient);
    const byPromise = await world(LambdaMicrovms);
    const byCallback = await world(LambdaMicrovms);
    try {
      const sent = await everyOperation((method, input) => byCommand.client.send(new (commandClass(method))(input)) as Promise<Output>);
      // Half the calls with HTTP options, so that both promise forms run.
      let promiseCalls = 0;
      const promised = await everyOperation((method, input) => methodOf(byPromise.client, method)(input, ...(promiseCalls++ % 2 ? [{}] : [])) as Promise<Output>);
      // The callback forms alternate: (input, callback) and (input, options, callback).
      let callbackCalls = 0;
      const calledBack = await everyOperation(
        (method, input) =>
          new Promise((resolve, reject) => {
            const done = (error: unknown, output?: Output) => (error ? reject(error) : resolve(output!));
            if (callbackCalls++ % 2) methodOf(byCallback.client, method)(input, {}, done);
            else methodOf(byCallback.client, method)(input, done);
          }),
      );

      // The script covers every operation method, and the calls that should succeed did.
      expect(new Set(byCommand.commands)).toEqual(new Set(operationMethods().map(commandName)));
      expect(sent.filter((o) => "error" in o).map((o) => (o as { error: { name: string } }).error.name)).toEqual(["ResourceNotFoundException", "ResourceNotFoundException"]);
      // Each method ran its own command, and gave the command's output or error.
      expect(byPromise.commands).toEqual(byCommand.commands);
      expect(byCallback.commands).toEqual(byCommand.commands);
      expect(comparable(promised)).toEqual(comparable(sent));
      expect(comparable(calledBack)).toEqual(comparable(sent));
    } finally {
      await Promise.all([byCommand.close(), byPromise.close(), byCallback.close()]);
    }
  });

  it("pages through every list operation with its paginator method", async () => {
    const image = await microvms.createMicrovmImage({ name: "aggregated-pages", baseImageArn: BASE_IMAGE, buildRoleArn: ROLE, codeArtifact: { uri: "s3://b/app.zip" } });
    const imageIdentifier = image.imageArn!;
    for (let i = 0; i < 3; i++) await microvms.runMicrovm({ imageIdentifier });
    const count = async (pages: AsyncIterable<{ items?: unknown[] }>) => {
      let items = 0;
      for await (const page of pages) items += page.items?.length ?? 0;
      return items;
    };
    expect(await count(microvms.paginateListMicrovms({ imageIdentifier }, { pageSize: 1 }))).toBe(3);
    expect(await count(microvms.paginateListMicrovmImages())).toBeGreaterThan(0);
    expect(await count(microvms.paginateListMicrovmImageVersions({ imageIdentifier }))).toBe(1);
    expect(await count(microvms.paginateListMicrovmImageBuilds({ imageIdentifier, imageVersion: "1" }))).toBeGreaterThan(0);
    expect(await count(microvms.paginateListManagedMicrovmImages(undefined, { pageSize: 2 }))).toBeGreaterThan(0);
    expect(await count(microvms.paginateListManagedMicrovmImageVersions({ imageIdentifier: BASE_IMAGE }))).toBeGreaterThan(0);
  });

  it("takes a callback, with or without options, and gives the error to it", async () => {
    const got = await new Promise<GetMicrovmCommandOutput | undefined>((resolve, reject) => microvms.getMicrovm({ microvmIdentifier: "mvm-none" }, (err, data) => (err ? resolve(undefined) : reject(data))));
    expect(got).toBeUndefined();
    const error = await new Promise<unknown>((resolve) => microvms.getMicrovm({ microvmIdentifier: "mvm-none" }, {}, (err) => resolve(err)));
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    const listed = await new Promise<unknown>((resolve) => microvms.listMicrovmImages({}, (_, data) => resolve(data)));
    expect(listed).toMatchObject({ $metadata: { httpStatusCode: 200 } });
  });
});
