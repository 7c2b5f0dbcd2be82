/**
 * Programs written for the official client (`test/compat/programs/`) compile, unchanged but for
 * the import, against this package, in the module settings user projects have (NodeNext ES
 * modules and `.cts`, Bundler, classic CommonJS), with strict type checking, declaration files
 * included. The same programs are compiled against the official package in the same project, so
 * a program that does not compile there is a broken test rather than a difference.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuild, MODES, prepareWorkspace, type Mode, type Workspace } from "./harness";

let workspace: Workspace;
beforeAll(async () => {
  await ensureBuild();
  workspace = prepareWorkspace("compile");
}, 240_000);

describe.concurrent("programs written for the official client compile against both packages", () => {
  it.each(Object.keys(MODES) as Mode[])("%s", async (mode) => {
    const errors = await workspace.compile(mode);
    expect(errors.map((e) => e.text)).toEqual([]);
  }, 180_000);
});
