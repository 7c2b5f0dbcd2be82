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
});
