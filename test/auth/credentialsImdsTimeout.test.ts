/**
 * A metadata service that accepts connections and never answers (what a blackholed
 * 169.254.169.254 looks like off EC2): the chain gives up within its time bound, and
 * AWS_METADATA_SERVICE_TIMEOUT shortens it. The fake is on loopback.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CredentialsError, LambdaMicrovmsClient, ListMicrovmsCommand } from "../../src/index";
import { sandbox, type Sandbox } from "../config/sandbox";

let silent: Server;
let base: string;
let requests = 0;
let box: Sandbox | undefined;
beforeAll(async () => {
  silent = createServer(() => {
    requests++; // never answers
  });
  await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
});
afterAll(async () => {
  silent.closeAllConnections();
  await new Promise<void>((r) => silent.close(() => r()));
});
afterEach(() => {
  box?.restore();
  box = undefined;
});

async function timeToFail(): Promise<{ ms: number; error: unknown }> {
  const client = new LambdaMicrovmsClient({ region: "us-east-1", endpoint: "http://127.0.0.1:9" });
  const started = Date.now();
  const error = await client.send(new ListMicrovmsCommand({})).catch((e: unknown) => e);
  client.destroy();
  return { ms: Date.now() - started, error };
}

describe("instance metadata that never answers", () => {
  it("the chain ends with a CredentialsError within its bound", async () => {
    box = sandbox({ AWS_EC2_METADATA_SERVICE_ENDPOINT: base });
    delete process.env.AWS_EC2_METADATA_DISABLED;
    const { ms, error } = await timeToFail();
    expect(error).toBeInstanceOf(CredentialsError);
    expect((error as Error).message).toMatch(/EC2 instance metadata/);
    expect(requests).toBeGreaterThan(0);
    expect(ms).toBeLessThan(4000);
  });

  it("AWS_METADATA_SERVICE_TIMEOUT shortens the bound", async () => {
    box = sandbox({ AWS_EC2_METADATA_SERVICE_ENDPOINT: base, AWS_METADATA_SERVICE_TIMEOUT: "0.2" });
    delete process.env.AWS_EC2_METADATA_DISABLED;
    const { ms, error } = await timeToFail();
    expect(error).toBeInstanceOf(CredentialsError);
    expect(ms).toBeLessThan(900);
  });
});
