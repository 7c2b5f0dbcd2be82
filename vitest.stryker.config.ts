import { configDefaults, defineConfig } from "vitest/config";
import base from "./vitest.config";

/**
 * The tests `npm run test:mutation` runs. STRYKER_TESTS (set by scripts/mutation.mjs) holds the
 * test files meant for the folder being mutated, as globs; without it, the whole suite. test/build
 * is always left out: it checks the built packages (dist/) as files, and in Stryker's sandbox dist/
 * would be built from the instrumented source, whose mutant switches are not what ships (they read
 * `process.env`, which the web build's test rightly refuses).
 */
/** Set per folder by scripts/mutation.mjs: each folder's tests take well under it unmutated. */
const testTimeout = process.env.STRYKER_TEST_TIMEOUT ? Number(process.env.STRYKER_TEST_TIMEOUT) : base.test?.testTimeout;
const focused = process.env.STRYKER_TESTS ? (JSON.parse(process.env.STRYKER_TESTS) as string[]) : undefined;
/** Files of that set left out of a first pass (the slow ones). */
const leftOut = process.env.STRYKER_EXCLUDE ? (JSON.parse(process.env.STRYKER_EXCLUDE) as string[]) : [];

// Not mergeConfig: it would append these lists to the base config's instead of replacing them.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: focused ?? base.test?.include,
    testTimeout,
    hookTimeout: testTimeout,
    exclude: [...configDefaults.exclude, "test/build/**", ...leftOut],
  },
});
