/** maxAttempts and retryMode as a function of the option, the environment and the profile. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { retrySettings } from "../../src/middleware/retrySettings";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "retry-settings-"));
  writeFileSync(join(dir, "config"), "[default]\nmax_attempts = 7\nretry_mode = ADAPTIVE\n[profile empty]\nmax_attempts =\n");
  writeFileSync(join(dir, "credentials"), "");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.unstubAllEnvs());

/** A clean environment: no retry variables, the profile files in `dir`. */
function env(vars: Record<string, string> = {}) {
  vi.stubEnv("AWS_MAX_ATTEMPTS", undefined as unknown as string);
  vi.stubEnv("AWS_RETRY_MODE", undefined as unknown as string);
  vi.stubEnv("AWS_PROFILE", undefined as unknown as string);
  vi.stubEnv("AWS_CONFIG_FILE", join(dir, "config"));
  vi.stubEnv("AWS_SHARED_CREDENTIALS_FILE", join(dir, "credentials"));
  for (const [k, v] of Object.entries(vars)) vi.stubEnv(k, v);
}

describe("retrySettings", () => {
  it("defaults to 3 attempts, standard, when nothing is set and no profile is read", async () => {
    env();
    const s = retrySettings({ readProfile: false });
    expect(await s.maxAttempts()).toBe(3);
    expect(await s.retryMode()).toBe("standard");
  });

  it("an option wins over the environment and the profile, as a value or a provider", async () => {
    env({ AWS_MAX_ATTEMPTS: "5", AWS_RETRY_MODE: "adaptive" });
    const s = retrySettings({ readProfile: true, maxAttempts: 2, retryMode: "standard" });
    expect(await s.maxAttempts()).toBe(2);
    expect(await s.retryMode()).toBe("standard");
    const p = retrySettings({ readProfile: true, maxAttempts: async () => 1, retryMode: async () => "Adaptive" });
    expect(await p.maxAttempts()).toBe(1);
    expect(await p.retryMode()).toBe("adaptive");
  });

  it("the environment wins over the profile", async () => {
    env({ AWS_MAX_ATTEMPTS: "5", AWS_RETRY_MODE: "legacy" });
    const s = retrySettings({ readProfile: true });
    expect(await s.maxAttempts()).toBe(5);
    expect(await s.retryMode()).toBe("standard");
  });

  it("the profile is read only when allowed, and an empty value falls back to the default", async () => {
    env();
    const s = retrySettings({ readProfile: true });
    expect(await s.maxAttempts()).toBe(7);
    expect(await s.retryMode()).toBe("adaptive");
    const empty = retrySettings({ readProfile: true, profile: "empty" });
    expect(await empty.maxAttempts()).toBe(3);
    expect(await empty.retryMode()).toBe("standard");
  });

  it("an empty AWS_MAX_ATTEMPTS means the default", async () => {
    env({ AWS_MAX_ATTEMPTS: "" });
    expect(await retrySettings({ readProfile: false }).maxAttempts()).toBe(3);
  });

  it.each([["0"], ["-1"], ["1.5"], ["three"]])("refuses maxAttempts %s, naming the option and the value", async (raw) => {
    env({ AWS_MAX_ATTEMPTS: raw });
    await expect(retrySettings({ readProfile: false }).maxAttempts()).rejects.toThrow(`maxAttempts must be a positive integer (the first attempt included); got ${raw}.`);
  });

  it("refuses an unknown retry mode, quoting it", async () => {
    env();
    await expect(retrySettings({ readProfile: false, retryMode: "Agressive" }).retryMode()).rejects.toThrow('retryMode must be "standard" or "adaptive"; got "Agressive".');
  });

  it("the environment is read once per client; a failed read is tried again", async () => {
    env({ AWS_MAX_ATTEMPTS: "bad" });
    const s = retrySettings({ readProfile: false });
    await expect(s.maxAttempts()).rejects.toThrow(/got bad/);
    vi.stubEnv("AWS_MAX_ATTEMPTS", "4");
    expect(await s.maxAttempts()).toBe(4);
    vi.stubEnv("AWS_MAX_ATTEMPTS", "6");
    expect(await s.maxAttempts()).toBe(4);
  });
});
