// StrykerJS: mutation testing of the hand-written runtime. Run it through `npm run test:mutation`
// (scripts/mutation.mjs), which takes one folder at a time: STRYKER_FOLDER names the folder under
// src/ whose code is mutated, and STRYKER_TESTS (read by vitest.stryker.config.ts) the tests meant
// for it. Without them this file mutates every folder against the whole suite (hours on 2 cores).
// Generated files are left out: they are data made from the model, checked byte for byte by the
// generator test.
const folder = process.env.STRYKER_FOLDER;
const name = folder ? folder.replace(/\//g, "-") : "all";
const runtime = [
  "protocol",
  "middleware",
  "auth",
  "http",
  "pagination",
  "waiters",
  "endpoint",
  "local/service",
];

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.stryker.config.ts" },
  coverageAnalysis: "perTest",
  // A mutant that only runs while a module loads (tables built at import, shapes registered) is
  // "static": testing it means reloading everything and running every test, minutes per mutant,
  // which made one folder take most of a day. Those are left out of the score; mutants that tests
  // also reach (most of them, beforeAll set-ups included) still run, against the tests that reach them.
  ignoreStatic: true,
  mutate: [...(folder ? [folder] : runtime).map((f) => `src/${f}/**/*.ts`), "!src/**/*.generated.ts"],
  // Results are kept per folder and reused: a re-run tests only mutants whose code or tests changed
  // (`--force` tests them all again).
  incremental: true,
  incrementalFile: `reports/mutation/${name}.incremental.json`,
  reporters: ["clear-text", "progress", "json"],
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  thresholds: { high: 90, low: 85, break: 85 },
  timeoutMS: 10000,
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
};
