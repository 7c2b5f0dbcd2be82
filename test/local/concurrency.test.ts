import { Agent } from "node:http";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetMicrovmCommand, ListMicrovmsCommand, RunMicrovmCommand, TerminateMicrovmCommand } from "../../src/index";
import { clientFor, createImage, startFixture, type Fixture } from "./helpers";

let fx: Fixture;
let agent: Agent;
beforeAll(async () => {
  fx = await startFixture();
  agent = new Agent({ keepAlive: true, maxSockets: 50 });
});
afterAll(async () => {
  agent.destroy();
  await fx.close();
});

describe("concurrency", () => {
  it("serves 500 requests over 50 connections without an error, and its counts stay consistent", async () => {
    const client = clientFor(fx.server, { requestHandler: new NodeHttpHandler({ httpAgent: agent }), maxAttempts: 1 });
    const sockets = new Set<unknown>();
    agent.on("free", (socket) => sockets.add(socket));
    const { imageArn } = await createImage(client);
    const before = fx.server.requestCount();

    // 150 runs, then 150 reads + 50 lists while 150 terminates race them: 500 requests.
    const runs = await Promise.all(Array.from({ length: 150 }, () => client.send(new RunMicrovmCommand({ imageIdentifier: imageArn }))));
    const ids = runs.map((r) => r.microvmId);
    expect(new Set(ids).size).toBe(150);
    const mixed = await Promise.all([
      ...ids.map((id) => client.send(new GetMicrovmCommand({ microvmIdentifier: id }))),
      ...ids.map((id) => client.send(new TerminateMicrovmCommand({ microvmIdentifier: id }))),
      ...Array.from({ length: 50 }, () => client.send(new ListMicrovmsCommand({ imageIdentifier: imageArn, maxResults: 50 }))),
    ]);
    expect(mixed).toHaveLength(350);
    expect(fx.server.requestCount() - before).toBe(500);
    expect(sockets.size).toBeLessThanOrEqual(50);

    const counts = fx.server.service.counts();
    expect(counts.microvms).toBe(150);
    expect(counts.microvmsByState).toEqual({ TERMINATED: 150 });
    // Every id is listed exactly once across the pages.
    const listed: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(new ListMicrovmsCommand({ imageIdentifier: imageArn, maxResults: 50, nextToken }));
      listed.push(...page.items!.map((i) => i.microvmId!));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(listed.sort()).toEqual([...ids].sort());
    client.destroy();
  });
});
