import { defineConfig } from "vitest/config";

/**
 * `npm run test:runtimes`: the client in real runtimes (test/runtimes). Not part of `npm test`:
 * it starts Bun, Deno, workerd and Chromium, which take longer than unit tests should.
 */
export default defineConfig({
  test: {
    include: ["test/runtimes/**/*.runtime.ts"],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: "forks",
    fileParallelism: false,
    env: { AWS_EC2_METADATA_DISABLED: "true" },
  },
});
