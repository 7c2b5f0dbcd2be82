/**
 * A clean AWS environment for one test: every AWS_* variable removed, HOME pointing at a fresh
 * temporary directory, instance metadata disabled (tests never reach 169.254.169.254), and all of
 * it restored afterwards.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll } from "vitest";
import { startCaptureServer, type CaptureServer } from "../helpers/captureServer";

export interface Sandbox {
  home: string;
  /** Writes `~/.aws/<name>` (or an absolute path) and returns its path. */
  write(name: string, text: string): string;
  restore(): void;
}

export function sandbox(env: Record<string, string> = {}): Sandbox {
  const saved = { ...process.env };
  const home = mkdtempSync(join(tmpdir(), "lmvm-home-"));
  for (const key of Object.keys(process.env)) {
    if (key.startsWith("AWS_")) delete process.env[key];
  }
  process.env.HOME = home;
  process.env.USERPROFILE = home;
  process.env.AWS_EC2_METADATA_DISABLED = "true";
  Object.assign(process.env, env);
  return {
    home,
    write(name, text) {
      const path = name.startsWith("/") ? name : join(home, ".aws", name);
      mkdirSync(join(path, ".."), { recursive: true });
      writeFileSync(path, text);
      return path;
    },
    restore() {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * For a test file that signs requests in clean environments: one capture server for all its
 * tests, and sandboxes that are restored after the test that made them.
 */
export function useSandboxes(): { readonly server: CaptureServer; sandbox(env?: Record<string, string>): Sandbox } {
  let server: CaptureServer | undefined;
  let open: Sandbox | undefined;
  beforeAll(async () => {
    server = await startCaptureServer();
  });
  afterAll(() => server?.close());
  afterEach(() => {
    open?.restore();
    open = undefined;
  });
  return {
    get server() {
      return server!;
    },
    sandbox: (env) => (open = sandbox(env)),
  };
}

/** The access key id and region of a signed request's `Authorization` header. */
export function scope(authorization: string | string[] | undefined): { accessKeyId: string; region: string } {
  const match = /Credential=([^/]+)\/\d{8}\/([^/]+)\/lambda\/aws4_request/.exec(String(authorization));
  if (!match) throw new Error(`not a SigV4 authorization: ${String(authorization)}`);
  return { accessKeyId: match[1]!, region: match[2]! };
}
