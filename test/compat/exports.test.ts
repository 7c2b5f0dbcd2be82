/**
 * The public surface: every name the official entry point exports is exported here too, as a
 * value where it is a value and as a type where it is a type (its internal schema objects named
 * like `RunMicrovmRequest$` and `errorTypeRegistries` aside, see the README), and every type they
 * share is the same type (each assignable to the other), checked by the TypeScript compiler on the
 * installed layout of both packages.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuild, prepareWorkspace, SPECIFIERS } from "./harness";

/** Official names this package leaves out on purpose. */
const LEFT_OUT = (name: string): boolean => name.endsWith("$") || name === "errorTypeRegistries";

/**
 * Shared types that are not the same type on purpose, with the reason (each entry must be
 * observed, so the list stays true).
 */
const PROTOCOL = "client.config.protocol: the official client's schema-based protocol object, which this client (serializing from its own tables) does not have, so the official type is not met by this one";
const DIFFERENT_TYPES: Record<string, string> = {
  LambdaMicrovmsClientResolvedConfigType: PROTOCOL,
  LambdaMicrovmsClientResolvedConfig: PROTOCOL,
  LambdaMicrovmsClient: `its config: ${PROTOCOL}`,
  LambdaMicrovmsPaginationConfiguration: `its client's config: ${PROTOCOL}`,
  LambdaMicrovms: "its config (as above), and its paginateListX methods return paginators that also have items()",
};

interface Surface {
  dir: string;
  program: ts.Program;
  exports: Map<"official" | "ours", Map<string, { value: boolean; type: boolean }>>;
}

function compilerOptions(dir: string): ts.CompilerOptions {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(dir, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
  return parsed.options;
}

let surface: Surface;
beforeAll(async () => {
  await ensureBuild();
  const dir = join(prepareWorkspace("exports").root, "nodenext");
  const file = join(dir, "surface.ts");
  writeFileSync(file, `import * as official from "${SPECIFIERS.official}";\nimport * as ours from "${SPECIFIERS.ours}";\nexport { official, ours };\n`);
  const program = ts.createProgram([file], compilerOptions(dir));
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file)!;
  const exports = new Map<"official" | "ours", Map<string, { value: boolean; type: boolean }>>();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement)) continue;
    const which = (statement.moduleSpecifier as ts.StringLiteral).text === SPECIFIERS.official ? "official" : "ours";
    const module = checker.getSymbolAtLocation(statement.moduleSpecifier)!;
    const names = new Map<string, { value: boolean; type: boolean }>();
    for (const symbol of checker.getExportsOfModule(module)) {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      names.set(symbol.name, { value: (target.flags & ts.SymbolFlags.Value) !== 0, type: (target.flags & ts.SymbolFlags.Type) !== 0 });
    }
    exports.set(which, names);
  }
  surface = { dir, program, exports };
}, 240_000);

describe("the official entry point's names", () => {
  it("are all exported here, each as a value and as a type where the official is", () => {
    const official = surface.exports.get("official")!;
    const ours = surface.exports.get("ours")!;
    expect(official.size).toBeGreaterThan(150);
    const missing = [...official.keys()].filter((name) => !LEFT_OUT(name) && !ours.has(name));
    expect(missing).toEqual([]);
    const kinds = [...official].filter(([name, kind]) => !LEFT_OUT(name) && (kind.value && !ours.get(name)!.value || kind.type && !ours.get(name)!.type)).map(([name]) => name);
    expect(kinds).toEqual([]);
  });

  it("name the same types: each shared type is assignable to the other's", () => {
    const official = surface.exports.get("official")!;
    // Generic types (`$Command`, `__Client`) are smithy's own classes in both packages.
    const generic = new Set(["$Command", "__Client"]);
    const shared = [...official].filter(([name, kind]) => kind.type && !LEFT_OUT(name) && !generic.has(name) && surface.exports.get("ours")!.get(name)?.type).map(([name]) => name);
    expect(shared.length).toBeGreaterThan(120);
    // Classes are compared by their instances; generic types are left out (they take arguments).
    const file = join(surface.dir, "same-types.ts");
    const lines = shared.map((name) => `export const same_${name.replace(/\W/g, "_")}: Same<Of<O.${name}>, Of<L.${name}>> = true;`);
    writeFileSync(
      file,
      `import type * as O from "${SPECIFIERS.official}";\nimport type * as L from "${SPECIFIERS.ours}";\n` +
        `type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;\n` +
        `type Of<T> = T extends abstract new (...args: any) => infer I ? I : T;\n` +
        lines.join("\n") +
        "\n",
    );
    const program = ts.createProgram([file], compilerOptions(surface.dir));
    const errors = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file?.fileName === file)
      .map((d) => /same_(\w+)/.exec(lines[d.file!.getLineAndCharacterOfPosition(d.start!).line - 4] ?? "")?.[1] ?? ts.flattenDiagnosticMessageText(d.messageText, " "));
    expect(errors.filter((name) => !(name in DIFFERENT_TYPES))).toEqual([]);
    for (const name of Object.keys(DIFFERENT_TYPES)) expect(errors, DIFFERENT_TYPES[name]).toContain(name);
    // Type-checking both packages' whole surface takes about 16 s on a quiet 2-core machine.
  }, 90_000);
});
