#!/usr/bin/env node
/** `lambda-microvms-local`: runs the emulator until SIGINT or SIGTERM. */
import { parseArgs, UsageError, USAGE } from "./cliArgs";
import { startLocalServer } from "./server";

async function main(): Promise<void> {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`lambda-microvms-local: ${error.message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (!options) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (options.verbose) {
    options.onRequest = (e) =>
      process.stdout.write(`${new Date().toISOString()} ${e.method} ${e.url} ${e.status || "dropped"}${e.errorType ? ` ${e.errorType}` : ""} ${e.durationMs}ms\n`);
  }
  const server = await startLocalServer(options);
  const keys = (options.credentials ?? [server.credentials]).map((c) => `${c.accessKeyId}:${c.secretAccessKey}`).join(", ");
  // The one line a user (or a script) needs: where it listens and what to sign with.
  process.stdout.write(`lambda-microvms-local listening on ${server.endpoint} (region ${server.region}; credentials ${keys})\n`);
  const stop = (): void => {
    server.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`lambda-microvms-local: ${(error as Error).message}\n`);
  process.exit(1);
});
