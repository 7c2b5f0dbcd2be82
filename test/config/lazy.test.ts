/**
 * Construction does no file or network I/O, even with every default source configured: the fs
 * functions are spied on (and the spies shown to work by the first call, which does read the
 * profile), and the loopback container and metadata servers see no connection until the first
 * call. The second call reuses the resolved credentials: no new connection, no new read.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire, syncBuiltinESMExports } from "node:module";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { sandbox, scope, type Sandbox } from "./sandbox";
import { startCaptureServer, type CaptureServer } from "../helpers/captureServer";

const require = createRequire(import.meta.url);
const fs = require("node:fs") as Record<string, unknown>;
const fsp = require("node:fs/promises") as Record<string, unknown>;

let box: Sandbox;
let server: CaptureServer;
let metadata: Server;
let base: string;
let connections = 0;
beforeAll(async () => {
  server = await startCaptureServer();
  metadata = createServer((req, res) => {
    if (req.url === "/latest/api/token") return void res.end("tok");
    if (req.url === "/creds") return void res.end(JSON.stringify({ AccessKeyId: "AKIDLAZY", SecretAccessKey: "s", Token: "t", Expiration: new Date(Date.now() + 3_600_000).toISOString() }));
    res.writeHead(404).end();
  });
  metadata.on("connection", () => connections++);
  await new Promise<void>((r) => metadata.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(metadata.address() as AddressInfo).port}`;
});
afterAll(async () => {
  box?.restore();
  metadata.closeAllConnections();
  await new Promise<void>((r) => metadata.close(() => r()));
  await server.close();
});

const FS_FUNCTIONS = ["readFile", "readFileSync", "open", "openSync", "stat", "statSync", "access", "accessSync", "existsSync", "readdir", "readdirSync"];

describe("laziness", () => {
  it("no file or network I/O at construction; the first call does it once; the second reuses it", async () => {
    box = sandbox({ AWS_CONTAINER_CREDENTIALS_FULL_URI: `${base}/creds`, AWS_EC2_METADATA_SERVICE_ENDPOINT: base });
    delete process.env.AWS_EC2_METADATA_DISABLED;
    box.write("config", "[default]\nregion = ap-northeast-1\n");
    type Spied = Record<string, (...args: unknown[]) => unknown>;
    const spyAll = (target: Record<string, unknown>) =>
      FS_FUNCTIONS.filter((f) => typeof target[f] === "function").map((f) => vi.spyOn(target as Spied, f));
    const spies = [...spyAll(fs), ...spyAll(fsp)];
    syncBuiltinESMExports();
    const fsCalls = () => spies.reduce((n, s) => n + s.mock.calls.length, 0);
    try {
      // Loaded after the spies, like a user's script would load it.
      const { LambdaMicrovmsClient, ListMicrovmsCommand } = await import("../../src/index");
      const before = fsCalls();
      const client = new LambdaMicrovmsClient({ endpoint: server.endpoint });
      await new Promise((r) => setTimeout(r, 50));
      expect(fsCalls()).toBe(before);
      expect(connections).toBe(0);

      await client.send(new ListMicrovmsCommand({}));
      const afterFirst = fsCalls();
      expect(afterFirst).toBeGreaterThan(before); // the spies see the profile being read
      expect(connections).toBe(1); // the container endpoint, once
      expect(scope(server.requests.at(-1)!.headers.authorization)).toEqual({ accessKeyId: "AKIDLAZY", region: "ap-northeast-1" });

      await client.send(new ListMicrovmsCommand({}));
      client.destroy();
      expect(connections).toBe(1);
      expect(fsCalls()).toBe(afterFirst);
    } finally {
      for (const s of spies) s.mockRestore();
      syncBuiltinESMExports();
    }
  });
});
