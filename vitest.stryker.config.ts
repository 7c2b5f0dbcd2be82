import { configDefaults, defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config";

/**
 * The suite as `npm run test:mutation` runs it. test/build is left out: it checks the built
 * packages (dist/) as files, and in Stryker's sandbox dist/ would be built from the instrumented
 * source, whose mutant switches are not what ships (they read `process.env`, which the web
 * build's test rightly refuses).
 */
export default mergeConfig(
  base,
  defineConfig({
    test: { exclude: [...configDefaults.exclude, "test/build/**"] },
  }),
);
