/**
 * Answers lost AFTER the emulator did the work (through a lossy proxy): retries with the one
 * clientToken never make a second MicroVM.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { CreateMicrovmImageCommand, LambdaMicrovmsClient, RunMicrovmCommand, type LambdaMicrovmsClientConfig } from "../../src/index";
import { startLocalServer, type LocalServer } from "../../src/local/index";
import { createImage } from "../local/helpers";
import { startLossyProxy, type LossyProxy } from "../helpers/lossyProxy";

let emulator: LocalServer;
let proxy: LossyProxy;
let imageArn: string;

function client(config: LambdaMicrovmsClientConfig = {}): LambdaMicrovmsClient {
  return new LambdaMicrovmsClient({ region: emulator.region, endpoint: proxy.endpoint, credentials: emulator.credentials, ...config });
}

beforeAll(async () => {
  emulator = await startLocalServer({ transitionMs: 0 });
  proxy = await startLossyProxy(emulator.endpoint);
  const c = client();
  const image = await createImage(c, { name: "lost-answers" });
  imageArn = image.imageArn!;
  c.destroy();
});
afterAll(async () => {
  await proxy.close();
  await emulator.stop();
});

const liveCount = () => emulator.service.microvms().length;

it("RunMicrovm whose answers are lost twice after processing (a 500, a dropped connection) makes one MicroVM", async () => {
  const before = liveCount();
  const sentBefore = emulator.requestCount();
  proxy.script("internal", "drop");
  const c = client();
  const out = await c.send(new RunMicrovmCommand({ imageIdentifier: imageArn }));
  c.destroy();
  expect(out.$metadata.attempts).toBe(3);
  expect(emulator.requestCount() - sentBefore).toBe(3);
  expect(liveCount()).toBe(before + 1);
  expect(emulator.service.microvms().filter((vm) => vm.microvmId === out.microvmId)).toHaveLength(1);
});

it("CreateMicrovmImage whose answer is truncated after processing makes one image", async () => {
  proxy.script("truncate");
  const imagesBefore = emulator.service.images().length;
  const c = client();
  const out = await c.send(
    new CreateMicrovmImageCommand({
      name: "lost-once",
      baseImageArn: "arn:aws:lambda:us-east-1:aws:microvm-image:al2023",
      buildRoleArn: "arn:aws:iam::123456789012:role/build",
      codeArtifact: { uri: "s3://bucket/app.zip" },
    }),
  );
  c.destroy();
  expect(out.$metadata.attempts).toBe(2);
  expect(out.name).toBe("lost-once");
  expect(emulator.service.images().length).toBe(imagesBefore + 1);
  expect(emulator.service.images().filter((image) => image.name === "lost-once")).toHaveLength(1);
});

it("300 RunMicrovm calls with 25 % of answers lost after processing: no duplicates, and re-sending the failed ones completes the set", async () => {
  const before = liveCount();
  proxy.random(0.25, ["drop", "internal", "truncate"], 7);
  const c = client({ maxAttempts: 3, maxRetryAfterSeconds: 0 });
  const calls = Array.from({ length: 300 }, (_, i) => ({ token: `soak-lost-${i}`, vm: undefined as string | undefined }));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < calls.length) {
      const call = calls[next++]!;
      try {
        call.vm = (await c.send(new RunMicrovmCommand({ imageIdentifier: imageArn, clientToken: call.token }))).microvmId;
      } catch {
        // Failed after 3 attempts; the MicroVM may exist. Re-sent below with the same token.
      }
    }
  };
  await Promise.all(Array.from({ length: 10 }, worker));
  const failed = calls.filter((call) => !call.vm);
  // A failed call made at most one MicroVM: never more than one per call so far.
  expect(liveCount() - before).toBeLessThanOrEqual(calls.length);
  expect(liveCount() - before).toBeGreaterThanOrEqual(calls.length - failed.length);
  proxy.random(0, []);
  for (const call of failed) call.vm = (await c.send(new RunMicrovmCommand({ imageIdentifier: imageArn, clientToken: call.token }))).microvmId;
  c.destroy();
  expect(proxy.stats().lost).toBeGreaterThan(50);
  expect(new Set(calls.map((call) => call.vm)).size).toBe(calls.length);
  expect(liveCount() - before).toBe(calls.length);
}, 60_000);
