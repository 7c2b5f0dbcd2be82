/**
 * ensureBuild, the step before every test of dist/: it builds again whenever the sources or the
 * build settings differ from those of the last build, or dist/ is not what that build wrote, and
 * builds once for callers that ask at the same time. Run on a small repository in a temporary
 * directory with a stand-in build that records its calls, so no real build is needed.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ensureBuild, isFresh } from "../../scripts/build/freshBuild";

let root: string;
let builds: number;
/** Writes the entry points the tests need, each naming the build that wrote it. */
const build = async (at: string): Promise<void> => {
  builds++;
  await new Promise((resolve) => setImmediate(resolve));
  for (const file of ["index.js", "index.cjs", "index.node.mjs", "index.d.ts", "local/index.js"]) write(join(at, "dist", file), `// build ${builds}`);
};

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "lmvm-build-"));
  builds = 0;
  write(join(root, "src/index.ts"), "export const a = 1;\n");
  write(join(root, "src/client/b.ts"), "export const b = 2;\n");
  write(join(root, "scripts/build/shareDeclarations.mjs"), "// step\n");
  write(join(root, "tsup.config.ts"), "export default {};\n");
  write(join(root, "package.json"), '{ "name": "x" }\n');
  write(join(root, "package-lock.json"), "{}\n");
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("ensureBuild", () => {
  it("builds when there is no build, then not again while nothing changed", async () => {
    expect(isFresh(root)).toBe(false);
    await ensureBuild({ root, build });
    expect(builds).toBe(1);
    expect(isFresh(root)).toBe(true);
    await ensureBuild({ root, build });
    expect(builds).toBe(1);
  });

  it("builds again when any input changes, even one whose modification time goes back to before the build", async () => {
    await ensureBuild({ root, build });
    const edits: [string, string][] = [
      ["src/client/b.ts", "export const b = 3;\n"],
      ["src/client/new.ts", "export const c = 1;\n"],
      ["scripts/build/shareDeclarations.mjs", "// another step\n"],
      ["tsup.config.ts", "export default { minify: true };\n"],
      ["package.json", '{ "name": "x", "version": "2.0.0" }\n'],
      ["package-lock.json", '{ "lockfileVersion": 3 }\n'],
    ];
    const past = new Date(Date.now() - 86_400_000);
    for (const [file, text] of edits) {
      write(join(root, file), text);
      // As a checkout of an older commit may leave it: newer contents, older time.
      utimesSync(join(root, file), past, past);
      const before = builds;
      await ensureBuild({ root, build });
      expect(builds, file).toBe(before + 1);
    }
    rmSync(join(root, "src/client/new.ts"));
    await ensureBuild({ root, build });
    expect(builds).toBe(edits.length + 2);
  });

  it("builds again when dist/ is not what the last build wrote (rebuilt from other sources, or an entry point removed)", async () => {
    await ensureBuild({ root, build });
    write(join(root, "dist/index.js"), "// built by hand from another checkout");
    await ensureBuild({ root, build });
    expect(builds).toBe(2);
    rmSync(join(root, "dist/local/index.js"));
    await ensureBuild({ root, build });
    expect(builds).toBe(3);
    expect(statSync(join(root, "dist/local/index.js")).isFile()).toBe(true);
  });

  it("builds once for callers that ask at the same time", async () => {
    await Promise.all([1, 2, 3, 4].map(() => ensureBuild({ root, build })));
    expect(builds).toBe(1);
    expect(isFresh(root)).toBe(true);
  });

  it("passes a failed build's error on, and tries again at the next call", async () => {
    const failing = async (): Promise<void> => {
      builds++;
      throw new Error("tsup failed");
    };
    await expect(ensureBuild({ root, build: failing })).rejects.toThrow("tsup failed");
    await expect(ensureBuild({ root, build: async () => undefined })).rejects.toThrow(/wrote no dist\/index\.js/);
    await ensureBuild({ root, build });
    expect(builds).toBe(2);
    expect(isFresh(root)).toBe(true);
  });
});
