// Run by `npm run build` after tsup. tsup writes identical `.d.ts` and `.d.cts` trees; here the
// ES module ones become re-exports of the CommonJS ones, which keeps about 150 KB out of every
// install. TypeScript, like Node.js, lets an ES module import CommonJS, and Node.js's `import` of
// this package loads the CommonJS build anyway (dist/index.node.mjs), so the classes declared
// once are also the one copy Node.js loads for both kinds of callers. (This cannot be tsup's
// onSuccess: tsup writes declarations in parallel with it.)
import { readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const dist = fileURLToPath(new URL("../../dist", import.meta.url));
for (const entry of ["index", "local/index"]) {
  writeFileSync(join(dist, `${entry}.d.ts`), `// The declarations of the CommonJS build: see scripts/build/shareDeclarations.mjs.\nexport * from "./index.cjs";\n`);
}
for (const file of readdirSync(dist)) if (/\.d\.ts$/.test(file) && !file.startsWith("index.")) rmSync(join(dist, file));
