/**
 * The build for browsers, Deno, Cloudflare Workers and React Native (dist/web): what the export
 * conditions pick, that it bundles for a browser with no Node.js built-in, that each `.web.ts`
 * module stands in for its Node.js sibling, and that the built client works on Web APIs alone.
 * (The real runtimes run it in test/runtimes.)
 */
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { build } from "esbuild";
import { ensureBuild, ROOT } from "../../scripts/build/freshBuild";
import * as nodeRuntime from "../../src/platform/runtime";
import * as webRuntime from "../../src/platform/runtime.web";
import { startLocalServer } from "../../src/local/index";

const PACKAGE: string = "lambda-microvms";
const ONE_COMMAND = `import { LambdaMicrovmsClient, GetMicrovmCommand } from "${PACKAGE}"; await new LambdaMicrovmsClient({}).send(new GetMicrovmCommand({ microvmIdentifier: "m" }));`;

beforeAll(() => ensureBuild(), 180_000);
afterEach(() => vi.unstubAllGlobals());

async function bundleFor(options: Parameters<typeof build>[0]) {
  const result = await build({ stdin: { contents: ONE_COMMAND, resolveDir: ROOT, loader: "js" }, bundle: true, format: "esm", write: false, metafile: true, logLevel: "silent", ...options });
  return { code: result.outputFiles![0]!.text, inputs: Object.keys(result.metafile!.inputs) };
}

describe("export conditions", () => {
  it("browser, worker, workerd, deno and react-native get the web build; Node.js bundles the Node.js build", async () => {
    for (const condition of ["browser", "worker", "workerd", "deno", "react-native"]) {
      const { inputs } = await bundleFor({ platform: "neutral", conditions: [condition], mainFields: ["module", "main"], external: ["@smithy/*", "node:*"] });
      expect(inputs, condition).toContain("dist/web/index.js");
    }
    const node = await bundleFor({ platform: "node", external: ["@smithy/*"] });
    expect(node.inputs).toContain("dist/index.js");
  });

  it("a browser bundle resolves with no Node.js built-in, Buffer or process in the client's own code", async () => {
    const { code, inputs } = await bundleFor({ platform: "browser", minify: false });
    expect(inputs).toContain("dist/web/index.js");
    expect(inputs.filter((p) => /^node:|^(fs|os|net|tls|http|crypto|stream|path|child_process)$/.test(p))).toEqual([]);
    expect(code).not.toMatch(/\bfrom\s*["']node:|require\(["']node:/);
    const ours = (await import("node:fs")).readFileSync(join(ROOT, "dist/web/index.js"), "utf8");
    expect(ours).not.toMatch(/process\.env|Buffer\.from\(/);
  });
});

describe("web modules", () => {
  it("each X.web.ts exports the names of X.ts", async () => {
    const found: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith(".web.ts")) found.push(path);
      }
    };
    walk(join(ROOT, "src"));
    expect(found.length).toBeGreaterThanOrEqual(7);
    for (const web of found) {
      const names = async (path: string) => Object.keys(await import(pathToFileURL(path).href)).sort();
      expect(await names(web), relative(ROOT, web)).toEqual(await names(web.replace(/\.web\.ts$/, ".ts")));
    }
  });

  it("read an environment variable in Deno only with the permission granted, never asking", () => {
    const get = vi.fn(() => "from-env");
    const querySync = vi.fn((descriptor: { variable: string }) => ({ state: descriptor.variable === "ALLOWED" ? "granted" : "prompt" }));
    vi.stubGlobal("Deno", { env: { get }, permissions: { querySync }, build: { os: "linux" }, version: { deno: "2.9.6" } });
    expect(webRuntime.envVar("AWS_REGION")).toBeUndefined();
    expect(get).not.toHaveBeenCalled();
    expect(webRuntime.envVar("ALLOWED")).toBe("from-env");
    expect(webRuntime.runtimeUserAgent()).toEqual([["os/linux"], ["lang/js"], ["md/deno", "2.9.6"]]);
  });

  it("name Workers and browsers in the user agent, and read process.env where there is one", () => {
    vi.stubGlobal("navigator", { userAgent: "Cloudflare-Workers" });
    expect(webRuntime.runtimeUserAgent()).toEqual([["os/other"], ["lang/js"], ["md/workerd"]]);
    vi.stubGlobal("navigator", { userAgent: "Mozilla/5.0" });
    expect(webRuntime.runtimeUserAgent().at(-1)).toEqual(["md/browser"]);
    vi.stubEnv("LMVM_WEB_TEST", "x");
    expect(webRuntime.envVar("LMVM_WEB_TEST")).toBe("x");
    vi.unstubAllEnvs();
  });

  it("make version 4 UUIDs and the same SHA-256 and HMAC digests as Node's crypto", async () => {
    const ids = new Set(Array.from({ length: 200 }, () => webRuntime.randomUUID()));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    for (const secret of [undefined, "key"]) {
      const [web, node] = [new webRuntime.Sha256(secret), new nodeRuntime.Sha256(secret)];
      const data = new TextEncoder().encode("data to sign ✓");
      web.update(data);
      node.update(data);
      expect(Buffer.from(await web.digest()).toString("hex")).toBe(Buffer.from(await node.digest()).toString("hex"));
    }
  });
});

describe("the built web client, in Node.js on Web APIs alone", () => {
  it("sends with fetch by default, says what to use instead of KeepAliveHttpHandler, and reads no credentials file", async () => {
    const web = (await import(pathToFileURL(join(ROOT, "dist/web/index.js")).href)) as typeof import("../../src/index");
    const server = await startLocalServer({ transitionMs: 0 });
    const client = new web.LambdaMicrovmsClient({ region: server.region, endpoint: server.endpoint, credentials: server.credentials });
    try {
      expect(client.config.runtime).toBe("browser");
      expect(client.config.requestHandler.constructor.name).toMatch(/FetchHttpHandler$/);
      const out = await client.send(new web.ListMicrovmsCommand({}));
      expect(out.$metadata.httpStatusCode).toBe(200);
      expect(() => new web.KeepAliveHttpHandler()).toThrow(/needs Node\.js sockets.*fetch/);
      const anonymous = new web.LambdaMicrovmsClient({ region: server.region, endpoint: server.endpoint, maxAttempts: 1 });
      const error = (await anonymous.send(new web.ListMicrovmsCommand({})).catch((e: unknown) => e)) as Error;
      expect(error.name).toBe("CredentialsError");
      expect(error.message).toMatch(/environment variables/);
      expect(error.message).not.toMatch(/shared config|metadata \(IMDS/);
    } finally {
      client.destroy();
      await server.stop();
    }
  });
});
