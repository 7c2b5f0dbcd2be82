import { defineConfig } from "tsup";

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
});
