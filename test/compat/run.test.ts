/**
 * The compat programs (`test/compat/programs/`), run against the local emulator once with the
 * official client and once with this package (same program, import swapped), each in a fresh
 * Node.js process, from an ES module and from CommonJS. What they observe must be the same, but
 * for the ids the emulator makes afresh and the deliberate differences listed here.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalServer, type LocalServer } from "../../src/local/index";
import { ensureBuild, prepareWorkspace, programNames, type Mode, type Workspace } from "./harness";

/**
 * Where this client differs on purpose, by the path of the observation (a regular expression),
 * with the reason. Each entry must match at least one observed difference, so the list stays true.
 */
const DELIBERATE: [RegExp, string][] = [
  [/^configuration\.[a-zA-Z]+\.config\.requestHandlerClass$/, "the default handler is KeepAliveHttpHandler (pooled sockets, a parser of its own), not NodeHttpHandler"],
  [/^configuration\.[a-zA-Z]+\.config\.retryStrategyClass$/, "the built-in modes are this client's ClassicRetryStrategy (classic backoff, Retry-After honoured), not smithy's StandardRetryStrategy"],
];

/** Replaces what the emulator makes afresh on each run (ids, request ids) by the order it first appeared in. */
function normalize(value: unknown): unknown {
  const seen = new Map<string, string>();
  const text = JSON.stringify(value).replace(/\b(mvm|mvi|bld|img)-[0-9a-f]{8,}\b|\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, (id) => {
    if (!seen.has(id)) seen.set(id, `<id ${seen.size + 1}>`);
    return seen.get(id)!;
  });
  return JSON.parse(text);
}

/** Every leaf where the two observations differ, as `path: official | ours`. */
function differences(official: unknown, ours: unknown, path = ""): { path: string; official: unknown; ours: unknown }[] {
  if (typeof official === "object" && official !== null && typeof ours === "object" && ours !== null && Array.isArray(official) === Array.isArray(ours)) {
    const keys = new Set([...Object.keys(official), ...Object.keys(ours)]);
    return [...keys].flatMap((key) => differences((official as Record<string, unknown>)[key], (ours as Record<string, unknown>)[key], path ? `${path}.${key}` : key));
  }
  return JSON.stringify(official) === JSON.stringify(ours) ? [] : [{ path, official, ours }];
}

let server: LocalServer;
let workspace: Workspace;
beforeAll(async () => {
  await ensureBuild();
  workspace = prepareWorkspace("run");
  server = await startLocalServer({ transitionMs: 0 });
}, 240_000);
afterAll(() => server?.stop());

async function observe(mode: Mode, program: string) {
  const target = { endpoint: server.endpoint, region: server.region, credentials: server.credentials };
  server.service.reset();
  const official = normalize(await workspace.execute(mode, "official", program, target));
  server.service.reset();
  const ours = normalize(await workspace.execute(mode, "ours", program, target));
  return differences({ [program]: official }, { [program]: ours });
}

describe.each(["nodenext", "nodenext-cts"] as Mode[])("run from %s", (mode) => {
  it.each(programNames())("%s observes the same with both packages", async (program) => {
    const found = await observe(mode, program);
    const unexplained = found.filter((d) => !DELIBERATE.some(([pattern]) => pattern.test(d.path)));
    expect(unexplained).toEqual([]);
    if (program === "configuration") {
      // The deliberate differences are real: each one shows up.
      for (const [pattern, reason] of DELIBERATE) expect(found.some((d) => pattern.test(d.path)), reason).toBe(true);
    }
  }, 120_000);
});
