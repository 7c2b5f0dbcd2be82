/**
 * The flow every runtime runs against the emulator, in plain JavaScript so that each runtime
 * loads it as is: create an image, wait for it, run two MicroVMs from it, get one, page through
 * the list one item at a time, terminate both, and get one that does not exist. It returns what
 * it saw; the test compares that with the emulator's own state.
 */
export async function runFlow(sdk, { endpoint, region, credentials, tag, client: given }) {
  const {
    LambdaMicrovmsClient,
    CreateMicrovmImageCommand,
    RunMicrovmCommand,
    GetMicrovmCommand,
    TerminateMicrovmCommand,
    paginateListMicrovms,
    waitUntilMicrovmImageCreated,
    ResourceNotFoundException,
  } = sdk;
  const client = given ?? new LambdaMicrovmsClient({ region, endpoint, credentials });
  const image = await client.send(
    new CreateMicrovmImageCommand({
      name: `flow-${tag}`,
      baseImageArn: `arn:aws:lambda:${region}:aws:microvm-image:al2023`,
      buildRoleArn: "arn:aws:iam::123456789012:role/build",
      codeArtifact: { uri: "s3://bucket/app.zip" },
    }),
  );
  const waited = await waitUntilMicrovmImageCreated({ client, maxWaitTime: 60, minDelay: 1, maxDelay: 1 }, { imageIdentifier: image.imageArn });
  const run = [];
  for (let i = 0; i < 2; i++) run.push(await client.send(new RunMicrovmCommand({ imageIdentifier: image.imageArn })));
  const got = await client.send(new GetMicrovmCommand({ microvmIdentifier: run[0].microvmId }));
  const pages = [];
  for await (const page of paginateListMicrovms({ client, pageSize: 1 }, { imageIdentifier: image.imageArn })) {
    pages.push(page.items.map((item) => item.microvmId));
  }
  const terminated = [];
  for (const vm of run) terminated.push((await client.send(new TerminateMicrovmCommand({ microvmIdentifier: vm.microvmId }))).$metadata.httpStatusCode);
  let missing;
  try {
    await client.send(new GetMicrovmCommand({ microvmIdentifier: `mvm-missing-${tag}` }));
  } catch (error) {
    missing = {
      name: error.name,
      modeled: error instanceof ResourceNotFoundException,
      status: error.$metadata?.httpStatusCode,
      requestId: error.$metadata?.requestId,
    };
  }
  if (given === undefined) client.destroy();
  return {
    imageArn: image.imageArn,
    waiter: waited.state,
    microvmIds: run.map((vm) => vm.microvmId),
    got: { microvmId: got.microvmId, state: got.state, startedAtIsDate: got.startedAt instanceof Date, requestId: got.$metadata.requestId },
    pages,
    terminated,
    missing,
  };
}
