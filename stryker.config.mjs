// StrykerJS: mutation testing of the hand-written runtime (npm run test:mutation). Generated files
// are left out: they are data made from the model, checked byte for byte by the generator test.
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
  mutate: [
    "src/protocol/**/*.ts",
    "src/middleware/**/*.ts",
    "src/auth/**/*.ts",
    "src/http/**/*.ts",
    "src/pagination/**/*.ts",
    "src/waiters/**/*.ts",
    "src/endpoint/**/*.ts",
    "src/local/service/**/*.ts",
    "!src/**/*.generated.ts",
  ],
  reporters: ["clear-text", "progress", "json"],
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  concurrency: 2,
  timeoutMS: 20000,
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
};
