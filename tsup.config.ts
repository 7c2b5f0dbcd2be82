import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, resolve } from "node:path";
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

/**
 * The build for browsers, Deno, Cloudflare Workers and React Native (`dist/web/`): a module of
 * `src/` that has a sibling `X.web.ts` is replaced by it there, as bundlers swap files by a
 * package's `browser` field. Those siblings have the same exports on Web APIs only (fetch,
 * `Uint8Array`, JavaScript SHA-256), and read nothing a runtime may refuse.
 */
const webVariants: NonNullable<Options["esbuildPlugins"]>[number] = {
  name: "web-variants",
  setup(build) {
    const src = resolve("src");
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (!args.importer.startsWith(src)) return undefined;
      const variant = `${resolve(args.resolveDir, args.path)}.web.ts`;
      return existsSync(variant) ? { path: variant } : undefined;
    });
  },
};

/** What the builds bundle from smithy, and what they leave to the installed packages. */
const SHARED: Options = {
  splitting: true,
  treeshake: true,
  sourcemap: false,
  // smithy's classes come from the installed @smithy/core, never from a copy: `Client`,
  // `Command` and `ServiceException` (`@smithy/core/client`) and `HttpRequest`/`HttpResponse`
  // (`@smithy/core/transport`) must be the very classes users' middleware, mocks and tracing
  // tools check with `instanceof` and patch. The rest of the smithy code this client uses is
  // bundled, tree-shaken from the ESM builds: loading those modules whole from node_modules (about
  // 0.5 MB of CommonJS for @smithy/core alone) costs more cold start than the whole client.
  // Event streams are never used by this service; smithy only refers to them through a lazy
  // import. `@smithy/node-http-handler` is loaded only for callers that pass an HTTP agent.
  // `@opentelemetry/api` is an optional peer dependency, loaded only when a provider is registered
  // (src/tracing/otel.ts): with `require` in the CommonJS build, with `import()` in the ES ones.
  external: ["@smithy/core/client", "@smithy/core/transport", "@smithy/core/event-streams", "@smithy/node-http-handler", "@opentelemetry/api"],
  noExternal: [/^@smithy\/(?!core\/(client|transport|event-streams)$|node-http-handler$)/, /^@aws-crypto\//, /^@aws-sdk\/types$/, "tslib"],
  esbuildOptions(options, { format }) {
    options.define = { ...options.define, __LAMBDA_MICROVMS_CJS__: String(format === "cjs") };
  },
};

/**
 * An ES module that loads a CommonJS module of the build with `require` and re-exports it by
 * name. Node.js's `import "lambda-microvms"` takes `dist/index.node.mjs`, written so: importing
 * CommonJS from ES modules makes Node parse every module for its exports (cjs-module-lexer),
 * which for @smithy/core/client alone cost more instructions than this whole client; loaded this
 * way, ESM and CJS callers also share one copy of the client in a process. Bundlers take
 * `dist/index.js` (the `module` condition). The emulator (`lambda-microvms/local`) is built as
 * CommonJS only, with such a module for `import`: it runs in Node.js, and one copy of it keeps
 * about 90 KB out of every install.
 */
function writeRequireEntry(from: string, to: string): void {
  const names = Object.keys(createRequire(import.meta.url)(`./${from}`) as object).sort();
  writeFileSync(
    to,
    `// The CommonJS build, for Node.js ES modules: see tsup.config.ts.\n` +
      `import { createRequire } from "node:module";\n` +
      `const cjs = createRequire(import.meta.url)("./${basename(from)}");\n` +
      `export const { ${names.join(", ")} } = cjs;\n`,
  );
}

/**
 * The CommonJS build keeps its lazily loaded chunks (credential chain, profile files, defaults
 * mode, rate limiter, ...) as `await import("./chunk.cjs")`. In Node.js, `import()` of CommonJS
 * goes through the ES module loader, which parses each chunk again for its exports: about a fifth
 * of the instructions of a cold client's first call. `require` loads the same module directly.
 */
function requireLazyChunks(dir: string): void {
  for (const entry of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    if (!entry.endsWith(".cjs") || entry.startsWith("web")) continue;
    const file = join(dir, entry);
    const code = readFileSync(file, "utf8");
    const rewritten = code.replace(/await import\((['"])(\.{1,2}\/[^'"]+\.cjs)\1\)/g, "require($1$2$1)");
    if (/import\((['"])\.{1,2}\//.test(rewritten)) throw new Error(`${file}: a relative import() the build did not turn into require`);
    if (rewritten !== code) writeFileSync(file, rewritten);
  }
}

/** For Node.js: `node:os`, not `os` (Deno and Workers with nodejs_compat know built-ins by that name only). */
const NODE: Options = { ...SHARED, target: "node18", platform: "node", removeNodeProtocol: false, esbuildPlugins: [rateLimiterOnly] };

// The three builds write into dist/ at the same time, so each cleans only its own files.
export default defineConfig([
  {
    ...NODE,
    entry: { index: "src/index.ts" },
    format: ["esm"],
    dts: false,
    clean: ["!web/**", "!**/*.cjs", "!**/*.d.cts", "!local/**", "!index.node.mjs"],
  },
  {
    ...NODE,
    entry: { index: "src/index.ts", "local/index": "src/local/index.ts", "local/cli": "src/local/cli.ts" },
    format: ["cjs"],
    // Declarations for both kinds of callers: see scripts/build/shareDeclarations.mjs.
    dts: { entry: { index: "src/index.ts", "local/index": "src/local/index.ts" } },
    clean: ["!web/**", "!**/*.js", "!**/*.d.ts"],
    onSuccess: async () => {
      requireLazyChunks("dist");
      writeRequireEntry("dist/index.cjs", "dist/index.node.mjs");
      writeRequireEntry("dist/local/index.cjs", "dist/local/index.js");
    },
  },
  {
    ...SHARED,
    entry: { index: "src/index.ts" },
    outDir: "dist/web",
    format: ["esm"],
    dts: false,
    target: "es2022",
    platform: "browser",
    clean: true,
    esbuildPlugins: [rateLimiterOnly, webVariants],
  },
]);
