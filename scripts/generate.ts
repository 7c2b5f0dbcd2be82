/**
 * Regenerates the per-operation code from `model/`.
 *
 *   npm run generate            write the generated files
 *   npm run generate -- --check exit 1 if any generated file is out of date
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generate } from "./codegen/index.js";
import { ModelError } from "./codegen/model.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const check = process.argv.includes("--check");

try {
  const files = generate(join(root, "model"));
  const stale: string[] = [];
  for (const [path, text] of files) {
    const target = join(root, path);
    const current = existsSync(target) ? readFileSync(target, "utf8") : undefined;
    if (current === text) continue;
    stale.push(path);
    if (!check) {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, text);
    }
  }
  if (check && stale.length) {
    console.error(`Generated files are out of date; run npm run generate:\n  ${stale.join("\n  ")}`);
    process.exit(1);
  }
  console.log(check ? `${files.size} generated files are up to date` : `wrote ${stale.length} of ${files.size} generated files`);
} catch (error) {
  if (error instanceof ModelError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
