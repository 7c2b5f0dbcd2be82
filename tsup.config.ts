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
  // smithy's classes come from the installed @smithy/core, never from a copy: `Client`,
  // `Command` and `ServiceException` (`@smithy/core/client`) and `HttpRequest`/`HttpResponse`
  // (`@smithy/core/transport`) must be the very classes users' middleware, mocks and tracing
  // tools check with `instanceof` and patch. The rest of the smithy code this client uses is
  // bundled, tree-shaken from the ESM builds: loading those modules whole from node_modules (about
  // 0.5 MB of CommonJS for @smithy/core alone) costs more cold start than the whole client.
  // Event streams are never used by this service; smithy only refers to them through a lazy
  // import. `@smithy/node-http-handler` is loaded only for callers that pass an HTTP agent.
  external: ["@smithy/core/client", "@smithy/core/transport", "@smithy/core/event-streams", "@smithy/node-http-handler"],
  noExternal: [/^@smithy\/(?!core\/(client|transport|event-streams)$|node-http-handler$)/, /^@aws-crypto\//, /^@aws-sdk\/types$/, "tslib"],
  esbuildPlugins: [rateLimiterOnly],
});
