#!/usr/bin/env node
// Mutation testing of the hand-written runtime, one folder of src/ at a time, each against the tests
// meant for it (the whole suite covers most of the runtime through the emulator, which makes every
// mutant run dozens of slow tests: hours per folder instead of minutes).
//
//   npm run test:mutation                     every folder, then a table of scores
//   npm run test:mutation -- http waiters     those folders
//   npm run test:mutation -- --force          ignore the results kept from earlier runs
//   npm run test:mutation -- --concurrency 1  (any argument that is not a folder goes to Stryker)
//   npm run test:mutation -- --table          the table of the results kept, without running
//
// Results are kept in reports/mutation/<folder>.json, and reused by the next run for mutants whose
// code and tests did not change.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

/** Folder under src/ → the test files (globs) that are meant to test it. */
const testSets = {
  pagination: ["test/pagination/pageLoop.test.ts"],
  waiters: ["test/waiters/poller.test.ts", "test/waiters/pollLoop.test.ts", "test/waiters/acceptors.test.ts"],
  endpoint: ["test/endpoint/**/*.test.ts", "test/config/endpoints.test.ts"],
  auth: ["test/auth/**/*.test.ts", "test/config/chain.test.ts"],
  // Not test/middleware/retry.test.ts: it checks the same loop over HTTP with real waits (a 2 s
  // Retry-After), which made each surviving mutant cost seconds; retryLoop.test.ts checks it as a function.
  middleware: [
    "test/middleware/retryLoop.test.ts",
    "test/middleware/retryClassify.test.ts",
    "test/middleware/attemptTimeout.test.ts",
    "test/middleware/retrySettings.test.ts",
    "test/middleware/strategyLoop.test.ts",
    "test/middleware/steps.test.ts",
    "test/middleware/idempotency.test.ts",
    "test/middleware/stackIdentity.test.ts",
    "test/middleware/retryStrategy.test.ts",
    "test/middleware/retryConfig.test.ts",
    "test/middleware/stack.test.ts",
    "test/middleware/validation.test.ts",
    "test/middleware/headers.test.ts",
    "test/ecosystem/logger.test.ts",
    "test/ecosystem/middleware.test.ts",
    "test/ecosystem/userAgent.test.ts",
  ],
  http: ["test/http/**/*.test.ts"],
  protocol: [
    "test/client/wire.test.ts",
    "test/client/differential.test.ts",
    "test/protocol/**/*.test.ts",
    "test/local/official.test.ts",
    "test/client/codecs.test.ts",
    "test/client/hostileResponses.test.ts",
    "test/client/wireSnapshots.test.ts",
    "test/middleware/validation.test.ts",
    "test/local/protocolServer.test.ts",
    "test/local/hostileInput.test.ts",
    "test/reliability/secrets.test.ts",
  ],
  // The service's own tests: direct calls on a clock the test moves. The other test/local files go
  // through the HTTP server (the fuzz, concurrency and process tests reach every mutant, at
  // seconds each); the lifecycle ones among them kill none of the mutants these leave.
  "local/service": ["test/local/service/**/*.test.ts"],
};

/**
 * Per folder: the longest a test may take before it counts as failed (a mutant that makes a test
 * hang is caught by this in seconds; left to Stryker's own timeout, it costs the 20 s of the suite's
 * test timeout plus a restart of the test runner), and the environment of its tests.
 */
const testTimeoutMs = { http: 8000 };
const testEnv = {
  // 200 generated cases instead of 800: the hand-picked set and a few hundred generated cases kill
  // what 800 kill here, and every surviving parser mutant runs them all.
  // The differential test stops at the first difference instead of collecting a report.
  http: { FUZZ_CASES: "200", FUZZ_LIMIT: "1" },
};

/**
 * Folders whose slowest tests cover nearly every mutant: a first pass runs the set without them,
 * then the whole set runs again over the kept results, which retests only the mutants the first
 * pass left alive (vitest runs the slowest file first, so without it every killed mutant paid for
 * the slow one).
 */
const slowTests = { http: ["test/http/differential.test.ts"] };

const args = process.argv.slice(2);
const tableOnly = args.includes("--table");
const asked = args.filter((a) => a in testSets);
const strykerArgs = args.filter((a) => !(a in testSets) && a !== "--table");
const folders = asked.length > 0 ? asked : Object.keys(testSets);
const reportOf = (folder) => `reports/mutation/${folder.replace(/\//g, "-")}`;

let failed = false;
for (const folder of tableOnly ? [] : folders) {
  const full = strykerArgs.includes("--force") || !existsSync(`${reportOf(folder)}.incremental.json`);
  const started = Date.now();
  // Each pass: the files left out of the folder's set.
  const passes = full && slowTests[folder] ? [slowTests[folder], []] : [[]];
  for (const [i, leftOut] of passes.entries()) {
    console.log(`\n=== src/${folder}: ${testSets[folder].join(" ")}${leftOut.length ? ` without ${leftOut.join(" ")}` : ""}\n`);
    // The second pass must reuse the first one's results, not force them away.
    const passArgs = i > 0 ? strykerArgs.filter((a) => a !== "--force") : strykerArgs;
    const run = spawnSync("npx", ["stryker", "run", ...passArgs], {
      stdio: "inherit",
      env: {
        ...process.env,
        ...testEnv[folder],
        STRYKER_FOLDER: folder,
        STRYKER_TESTS: JSON.stringify(testSets[folder]),
        STRYKER_EXCLUDE: JSON.stringify(leftOut),
        STRYKER_TEST_TIMEOUT: String(testTimeoutMs[folder] ?? 3000),
      },
    });
    // Stryker exits 1 both when it fails and when the score is under the threshold (`break`).
    if (run.status !== 0 && i === passes.length - 1) failed = true;
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  writeFileSync(`${reportOf(folder)}.run.json`, JSON.stringify({ seconds, full, at: new Date().toISOString() }));
}

console.log("\n| folder | mutants | killed | timed out | survived | no coverage | score | covered | last run |");
console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
for (const folder of folders) {
  if (!existsSync(`${reportOf(folder)}.json`)) {
    console.log(`| src/${folder} | not run yet | | | | | | | |`);
    continue;
  }
  const r = score(`${reportOf(folder)}.json`);
  const run = existsSync(`${reportOf(folder)}.run.json`) ? JSON.parse(readFileSync(`${reportOf(folder)}.run.json`, "utf8")) : undefined;
  const time = run ? `${Math.floor(run.seconds / 60)} min ${run.seconds % 60} s${run.full ? "" : " (reusing earlier results)"}` : "–";
  console.log(`| src/${folder} | ${r.mutants} | ${r.Killed} | ${r.Timeout} | ${r.Survived} | ${r.NoCoverage} | ${pct(r.score)} | ${pct(r.covered)} | ${time} |`);
}
process.exitCode = failed ? 1 : 0;

/** Counts by status from Stryker's JSON report; the scores as Stryker computes them. */
function score(file) {
  const counts = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, mutants: 0 };
  if (existsSync(file)) {
    for (const f of Object.values(JSON.parse(readFileSync(file, "utf8")).files)) {
      for (const m of f.mutants) {
        if (m.status in counts) {
          counts[m.status] += 1;
          counts.mutants += 1;
        }
      }
    }
  }
  const detected = counts.Killed + counts.Timeout;
  return {
    ...counts,
    score: detected / (detected + counts.Survived + counts.NoCoverage),
    covered: detected / (detected + counts.Survived),
  };
}

function pct(x) {
  return Number.isFinite(x) ? `${(100 * x).toFixed(1)} %` : "–";
}
