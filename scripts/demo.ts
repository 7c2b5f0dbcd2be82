/**
 * `npm run demo`: a walk through AWS Lambda MicroVMs with this SDK. With no configuration it
 * starts the local emulator in-process; with `--endpoint URL`, or AWS credentials and a region
 * in the environment, it takes the same walk against that endpoint.
 */
import { LambdaMicrovmsClient } from "../src/index";
import { resolveTarget } from "./demo/target";
import { Walk } from "./demo/walk";

async function main(): Promise<void> {
  const target = await resolveTarget(process.argv.slice(2), process.env);
  const client = new LambdaMicrovmsClient(target.config);
  process.stdout.write(`lambda-microvms demo against ${target.label}\n`);
  const started = Date.now();
  const walk = new Walk(client, target);
  try {
    await walk.run();
  } finally {
    await walk.cleanUp().catch((e: unknown) => process.stderr.write(`clean-up failed: ${(e as Error).message}\n`));
    client.destroy();
    await target.close();
  }
  process.stdout.write(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)}s.\n`);
}

main().catch((error: unknown) => {
  const e = error as Error & { $metadata?: { requestId?: string } };
  process.stderr.write(`\ndemo failed: ${e.name}: ${e.message}${e.$metadata?.requestId ? ` (request id ${e.$metadata.requestId})` : ""}\n`);
  process.exit(1);
});
