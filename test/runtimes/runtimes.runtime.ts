/**
 * The client in the runtimes the official client runs in, each installed from npm and run for
 * real: Node.js (ES modules and CommonJS), Bun, Deno with no permission but the network to the
 * emulator, Cloudflare's workerd (through miniflare) with and without `nodejs_compat` and with a
 * client kept at module scope, and headless Chromium (from @sparticuz/chromium, driven by
 * puppeteer-core, web security on) on a page of another origin than the emulator. Each runs the
 * same flow (programs/flow.mjs) against the emulator; the emulator's own state is the reference.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuild } from "../../scripts/build/freshBuild";
import { binaryOf, bundle, flowSettings, makeProject, resultOf, ROOT, runProgram, type FlowResult } from "./harness";

type LocalModule = typeof import("../../src/local/index");
type LocalServer = Awaited<ReturnType<LocalModule["startLocalServer"]>>;

let local: LocalModule;
let server: LocalServer;
let project: { dir: string; remove(): void };
let runs = 0;

beforeAll(async () => {
  await ensureBuild();
  // The built emulator, as a user's tests would start it.
  local = (await import(join(ROOT, "dist/local/index.js"))) as LocalModule;
  server = await local.startLocalServer({ transitionMs: 300 });
  project = makeProject();
}, 300_000);

afterAll(async () => {
  await server?.stop();
  project?.remove();
});

const nextTag = (runtime: string) => `${runtime}-${++runs}`;

/** What every runtime's flow must have seen, checked against the emulator's state. */
function expectFlow(result: FlowResult): void {
  expect(result.waiter).toBe("SUCCESS");
  const image = server.service.images().find((i) => i.imageArn === result.imageArn);
  expect(image?.state).toBe("CREATED");
  expect(result.microvmIds).toHaveLength(2);
  expect(result.got).toMatchObject({ microvmId: result.microvmIds[0], startedAtIsDate: true });
  expect(["PENDING", "RUNNING"]).toContain(result.got.state);
  expect(result.got.requestId).toMatch(/^[0-9a-f-]{36}$/);
  // One item a page, in order, and nothing else of the emulator's.
  expect(result.pages).toEqual(result.microvmIds.map((id) => [id]));
  expect(result.terminated).toEqual([200, 200]);
  for (const id of result.microvmIds) {
    const vm = server.service.microvms().find((m) => m.microvmId === id);
    expect(["TERMINATING", "TERMINATED"]).toContain(vm?.state);
  }
  expect(result.missing).toMatchObject({ name: "ResourceNotFoundException", modeled: true, status: 404 });
  expect(result.missing.requestId).toMatch(/^[0-9a-f-]{36}$/);
}

/** An environment with none of the variables that could steer the client. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("AWS_") && !k.startsWith("NODE_") && !k.startsWith("VITEST")) env[k] = v;
  return { ...env, NO_COLOR: "1", ...extra };
}

describe("command-line runtimes", () => {
  it("Node.js, ES modules: the Node.js build", async () => {
    const result = resultOf(await runProgram(process.execPath, ["cli.mjs", JSON.stringify(flowSettings(server.endpoint, nextTag("node-esm")))], { cwd: project.dir, env: cleanEnv() }));
    expectFlow(result);
    expect(result.entry).toMatch(/\/dist\/index\.node\.mjs$/);
  });

  it("Node.js, CommonJS: the Node.js build", async () => {
    const result = resultOf(await runProgram(process.execPath, ["cli.cjs", JSON.stringify(flowSettings(server.endpoint, nextTag("node-cjs")))], { cwd: project.dir, env: cleanEnv() }));
    expectFlow(result);
    expect(result.entry).toMatch(/\/dist\/index\.cjs$/);
  });

  it("Bun: the Node.js build", async () => {
    const bun = binaryOf("bun", "@oven", "bin/bun");
    const result = resultOf(await runProgram(bun, ["cli.mjs", JSON.stringify(flowSettings(server.endpoint, nextTag("bun")))], { cwd: project.dir, env: cleanEnv() }));
    expectFlow(result);
    expect(result.entry).toMatch(/\/dist\/index\.node\.mjs$/);
  });

  it("Deno with only --allow-net to the emulator, given region, credentials and endpoint: the web build", async () => {
    const deno = binaryOf("deno", "@deno", "deno");
    const host = new URL(server.endpoint).host;
    const settings = JSON.stringify(flowSettings(server.endpoint, nextTag("deno")));
    const ran = await runProgram(deno, ["run", "--no-prompt", `--allow-net=${host}`, "cli.mjs", settings], { cwd: project.dir, env: cleanEnv({ DENO_NO_UPDATE_CHECK: "1" }) });
    const result = resultOf(ran);
    expectFlow(result);
    expect(result.entry).toMatch(/\/dist\/web\/index\.js$/);
  });

  it("Deno with --allow-env as well: region and credentials come from the environment", async () => {
    const deno = binaryOf("deno", "@deno", "deno");
    const host = new URL(server.endpoint).host;
    const { endpoint, tag } = flowSettings(server.endpoint, nextTag("deno-env"));
    const env = cleanEnv({ DENO_NO_UPDATE_CHECK: "1", AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" });
    const ran = await runProgram(deno, ["run", "--no-prompt", `--allow-net=${host}`, "--allow-env", "cli.mjs", JSON.stringify({ endpoint, tag })], { cwd: project.dir, env });
    expectFlow(resultOf(ran));
  });
});

describe("Cloudflare workerd through miniflare", () => {
  type Miniflare = import("miniflare").Miniflare;

  /** The worker bundled as wrangler bundles one: esbuild with the workerd, worker and browser conditions. */
  async function workerBundle(nodeBuild: boolean): Promise<{ code: string; inputs: string[] }> {
    const entry = join(project.dir, "worker.mjs");
    return bundle(entry, {
      platform: "browser",
      conditions: ["workerd", "worker", "browser"],
      external: ["node:*"],
      // The Node.js build, as a project that forces it (an alias, an old bundler) would get it.
      ...(nodeBuild ? { alias: { "lambda-microvms": join(ROOT, "dist/index.js") } } : {}),
    });
  }

  async function start(code: string, flags: string[]): Promise<Miniflare> {
    const { Miniflare } = await import("miniflare");
    const settings = flowSettings(server.endpoint, "");
    return new Miniflare({
      modules: [{ type: "ESModule", path: "worker.mjs", contents: code }],
      compatibilityDate: "2026-04-01",
      compatibilityFlags: flags,
      bindings: { SETTINGS: JSON.stringify(settings) },
    });
  }

  /**
   * A worker serves the flow, then a client it keeps at module scope serves requests one after
   * another and at once: each is answered well within the 30 s a socket tied to the request
   * that opened it would stall for.
   */
  async function serve(mf: Miniflare, runtime: string): Promise<void> {
    const response = await mf.dispatchFetch(`http://worker/flow?tag=${nextTag(runtime)}`);
    const body = (await response.json()) as FlowResult & { error?: string };
    expect(body.error).toBeUndefined();
    expectFlow(body);
    const shared = async (): Promise<{ served: number; status: number }> => {
      const res = await mf.dispatchFetch("http://worker/shared", { signal: AbortSignal.timeout(15_000) });
      return (await res.json()) as { served: number; status: number };
    };
    const served: number[] = [];
    for (let i = 0; i < 4; i++) {
      const out = await shared();
      expect(out.status).toBe(200);
      served.push(out.served);
    }
    const together = await Promise.all([shared(), shared(), shared()]);
    expect(together.map((o) => o.status)).toEqual([200, 200, 200]);
    expect([...served, ...together.map((o) => o.served)].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  }

  it("the web build, without nodejs_compat", async () => {
    const { code, inputs } = await workerBundle(false);
    expect(inputs.some((p) => p.endsWith("dist/web/index.js"))).toBe(true);
    const mf = await start(code, []);
    try {
      await serve(mf, "workerd");
    } finally {
      await mf.dispose();
    }
  });

  it("the web build, with nodejs_compat", async () => {
    const { code } = await workerBundle(false);
    const mf = await start(code, ["nodejs_compat"]);
    try {
      await serve(mf, "workerd-compat");
    } finally {
      await mf.dispose();
    }
  });

  it("the Node.js build, with nodejs_compat: a module-scope client is not tied to the request that made its connections", async () => {
    const { code, inputs } = await workerBundle(true);
    expect(inputs.some((p) => p.endsWith("dist/index.js"))).toBe(true);
    const mf = await start(code, ["nodejs_compat"]);
    try {
      await serve(mf, "workerd-node-build");
    } finally {
      await mf.dispose();
    }
  });
});

describe("headless Chromium, web security on", () => {
  type Browser = import("puppeteer-core").Browser;
  let browser: Browser;
  let pages: Server;
  let pageOrigin: string;
  let page = "";

  beforeAll(async () => {
    // The page and its script, bundled as a web app's bundler would (the browser condition).
    const { code, inputs } = await bundle(join(project.dir, "page.mjs"), { platform: "browser", minify: true });
    expect(inputs.some((p) => p.endsWith("dist/web/index.js"))).toBe(true);
    pages = createServer((req, res) => {
      if (req.url === "/page.js") {
        res.writeHead(200, { "content-type": "text/javascript" });
        res.end(code);
      } else {
        res.writeHead(200, { "content-type": "text/html" });
        res.end(page);
      }
    });
    await new Promise<void>((resolve) => pages.listen(0, "127.0.0.1", resolve));
    // `localhost`, the emulator 127.0.0.1: another host and port, so another origin.
    pageOrigin = `http://localhost:${(pages.address() as AddressInfo).port}`;
    const { default: chromium } = await import("@sparticuz/chromium");
    const { default: puppeteer } = await import("puppeteer-core");
    // The package's flags turn web security off (it is made for rendering anything): leave those out.
    const unsafe = /^--(disable-web-security|allow-running-insecure-content|disable-site-isolation-trials|disable-features=)/;
    const args = chromium.args.filter((arg) => !unsafe.test(arg));
    browser = await puppeteer.launch({
      executablePath: await chromium.executablePath(),
      args: [...args, "--disable-background-networking", "--disable-component-update", "--no-first-run"],
      headless: "shell",
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    pages?.close();
  });

  async function runPage(endpoint: string, tag: string): Promise<{ ok?: FlowResult; error?: string }> {
    page = `<!doctype html><html><body><script type="application/json" id="settings">${JSON.stringify(flowSettings(endpoint, tag))}</script><script type="module" src="/page.js"></script></body></html>`;
    const tab = await browser.newPage();
    try {
      await tab.goto(`${pageOrigin}/`);
      return (await tab.evaluate("window.flowResult")) as { ok?: FlowResult; error?: string };
    } finally {
      await tab.close();
    }
  }

  it("a page of another origin runs the flow against the emulator (CORS)", async () => {
    const result = await runPage(server.endpoint, nextTag("chromium"));
    expect(result.error).toBeUndefined();
    expectFlow(result.ok!);
  });

  it("an emulator that allows only other origins is refused by the browser", async () => {
    const strict = await local.startLocalServer({ transitionMs: 0, corsOrigins: ["http://allowed.example"] });
    try {
      const result = await runPage(strict.endpoint, nextTag("chromium-refused"));
      expect(result.ok).toBeUndefined();
      expect(result.error).toMatch(/TypeError: Failed to fetch/);
      expect(strict.service.counts().images).toBe(0);
    } finally {
      await strict.stop();
    }
  });
});
