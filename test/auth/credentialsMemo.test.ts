/** The cache around the default chain: shared first resolution, refresh ahead of expiration, outages. */
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AwsCredentialIdentity } from "@smithy/types";
import { memoizeCredentials } from "../../src/client/defaults";

afterEach(() => {
  vi.useRealTimers();
});

function source(...answers: Array<AwsCredentialIdentity | Error>) {
  let calls = 0;
  const provider = vi.fn(async () => {
    const answer = answers[Math.min(calls++, answers.length - 1)]!;
    await new Promise((r) => setTimeout(r, 5));
    if (answer instanceof Error) throw answer;
    return answer;
  });
  return provider;
}

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000);

describe("memoized credentials", () => {
  it("concurrent first calls share one resolution; later calls reuse it", async () => {
    const provider = source({ accessKeyId: "A", secretAccessKey: "s" });
    const memo = memoizeCredentials(provider);
    const all = await Promise.all(Array.from({ length: 20 }, () => memo()));
    expect(new Set(all).size).toBe(1);
    await memo();
    expect(provider).toHaveBeenCalledTimes(1);
  });

  it("refreshes within five minutes of expiration, not before", async () => {
    const provider = source({ accessKeyId: "A", secretAccessKey: "s", expiration: inMinutes(6) }, { accessKeyId: "B", secretAccessKey: "s", expiration: inMinutes(60) });
    const memo = memoizeCredentials(provider);
    expect((await memo()).accessKeyId).toBe("A");
    expect((await memo()).accessKeyId).toBe("A");
    vi.useFakeTimers({ now: Date.now() + 90_000, toFake: ["Date"] });
    expect((await memo()).accessKeyId).toBe("B");
    expect(provider).toHaveBeenCalledTimes(2);
  });

  it("a failed refresh keeps still-valid credentials; expired ones give the error", async () => {
    const provider = source({ accessKeyId: "A", secretAccessKey: "s", expiration: inMinutes(2) }, new Error("metadata service down"));
    const memo = memoizeCredentials(provider);
    expect((await memo()).accessKeyId).toBe("A");
    expect((await memo()).accessKeyId).toBe("A");
    vi.useFakeTimers({ now: Date.now() + 3 * 60_000, toFake: ["Date"] });
    await expect(memo()).rejects.toThrow("metadata service down");
  });

  it("a failed first resolution is not cached", async () => {
    const provider = source(new Error("nothing yet"), { accessKeyId: "A", secretAccessKey: "s" });
    const memo = memoizeCredentials(provider);
    await expect(memo()).rejects.toThrow("nothing yet");
    expect((await memo()).accessKeyId).toBe("A");
  });
});
