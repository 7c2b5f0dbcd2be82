import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { defineConfig, type Options } from "tsup";

/**
 * `src/lazy/rateLimiter.ts` re-exports smithy's DefaultRateLimiter from `@smithy/core/retry`,
 * whose barrel drags in the whole retry middleware and smithy's date parsers (about 11 KB
 * minified that bundlers cannot drop). The package exports no deeper path, so the build points
 * that one import at the limiter's own module.
 */
const rateLimiterOnly: NonNullable<Options["esbuildPlugins"]>[number] = {
  name: "rate-limiter-only",
  setup(build) {
    const core = dirname(createRequire(import.meta.url).resolve("@smithy/core/package.json"));
    const limiter = join(core, "dist-es/submodules/retry/util-retry/DefaultRateLimiter.js");
    build.onResolve({ filter: /^@smithy\/core\/retry$/ }, (args) => (args.importer.endsWith(join("src", "lazy", "rateLimiter.ts")) ? { path: limiter } : undefined));
  },
};

export default defineConfig({
  entry: { index: "src/index.ts", "local/index": "src/local/index.ts", "local/cli": "src/local/cli.ts" },
  format: ["esm", "cjs"],
  dts: { entry: { index: "src/index.ts", "local/index": "src/local/index.ts" } },
  target: "node18",
  platform: "node",
  splitting: true,
  treeshake: true,
  clean: true,
  sourcemap: false,
  // The runtime code of the smithy packages is bundled in, tree-shaken from their ESM builds:
  // importing them from node_modules loads their whole CommonJS builds (about 0.5 MB of
  // @smithy/core alone) through Node's module loader, which by itself took longer than the
  // cold-start budget (see `npm run bench`). The packages stay dependencies for the type
  // declarations, which refer to them.
  // Event streams are never used by this service; smithy only refers to them through a lazy
  // import, which stays an import of the installed @smithy/core instead of an unused chunk.
  noExternal: [/^@smithy\/(?!core\/event-streams)/, /^@aws-crypto\//, /^@aws-sdk\/types$/, "tslib"],
  esbuildPlugins: [rateLimiterOnly],
});
