import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: "threads",
    // No test may reach the real EC2 metadata service (169.254.169.254): a client left without
    // credentials skips it. Tests of the metadata provider point it at a loopback fake.
    env: { AWS_EC2_METADATA_DISABLED: "true" },
  },
});
