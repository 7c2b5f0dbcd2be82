/** The demo's walk through the service, as a user would take it. */
import {
  CreateMicrovmAuthTokenCommand,
  CreateMicrovmImageCommand,
  DeleteMicrovmImageCommand,
  LambdaMicrovmsClient,
  ListManagedMicrovmImageVersionsCommand,
  ListManagedMicrovmImagesCommand,
  ListMicrovmImageBuildsCommand,
  ListMicrovmImageVersionsCommand,
  ListTagsCommand,
  ResourceNotFoundException,
  ResumeMicrovmCommand,
  RunMicrovmCommand,
  SuspendMicrovmCommand,
  TagResourceCommand,
  TerminateMicrovmCommand,
  paginateListMicrovms,
  waitUntilMicrovmImageCreated,
  waitUntilMicrovmImageDeleted,
  waitUntilMicrovmImageVersionSuccessful,
  waitUntilMicrovmRunning,
  waitUntilMicrovmSuspended,
  waitUntilMicrovmTerminated,
  type WaiterConfiguration,
} from "../../src/index";
import { line, progress, step } from "./print";
import type { DemoTarget } from "./target";

/** The state a poll saw: the response's state, or "gone" once the resource is not found. */
const stateOf = (event: { response?: { state?: string }; error?: unknown }): string =>
  event.error instanceof ResourceNotFoundException ? "gone" : event.error ? (event.error as Error).name : String(event.response?.state);

/** The MicroVM waiters, by the state they wait for. */
const microvmWaiters = { RUNNING: waitUntilMicrovmRunning, SUSPENDED: waitUntilMicrovmSuspended, TERMINATED: waitUntilMicrovmTerminated };

export class Walk {
  private imageArn: string | undefined;
  private readonly microvmIds: string[] = [];

  constructor(
    private readonly client: LambdaMicrovmsClient,
    private readonly target: DemoTarget,
  ) {}

  async run(): Promise<void> {
    const base = await this.baseImages();
    await this.createImage(base);
    await this.versionsAndBuilds();
    await this.runMicrovms();
    await this.pageMicrovms();
    await this.authToken();
    await this.suspendAndResume();
    await this.tags();
  }

  private async baseImages(): Promise<string> {
    step("List the managed base images");
    const { items } = await this.client.send(new ListManagedMicrovmImagesCommand({}));
    for (const image of items ?? []) line(image.imageArn!);
    const base = items![0]!.imageArn!;
    const versions = await this.client.send(new ListManagedMicrovmImageVersionsCommand({ imageIdentifier: base }));
    line(`versions of ${base.split(":").at(-1)}: ${(versions.items ?? []).map((v) => `${v.imageVersion} (${v.status})`).join(", ")}`);
    return base;
  }

  private async createImage(baseImageArn: string): Promise<void> {
    step("Create an image and wait for its build");
    const name = `demo-${Date.now().toString(36)}`;
    const created = await this.client.send(
      new CreateMicrovmImageCommand({ name, baseImageArn, buildRoleArn: this.target.buildRoleArn, codeArtifact: { uri: this.target.codeUri }, tags: { app: "demo" } }),
    );
    this.imageArn = created.imageArn;
    line(`${name}: ${created.imageArn}`);
    // The image and its first version are followed side by side, each with a waiter.
    const image = progress("image", stateOf);
    const version = progress(`version ${created.imageVersion}`, stateOf);
    try {
      await Promise.all([
        waitUntilMicrovmImageCreated(this.waiter(image.onPoll), { imageIdentifier: created.imageArn }),
        waitUntilMicrovmImageVersionSuccessful(this.waiter(version.onPoll), { imageIdentifier: created.imageArn, imageVersion: created.imageVersion }),
      ]);
    } finally {
      image.print();
      version.print();
    }
  }

  private async versionsAndBuilds(): Promise<void> {
    step("List its versions and builds");
    const versions = await this.client.send(new ListMicrovmImageVersionsCommand({ imageIdentifier: this.imageArn! }));
    for (const v of versions.items ?? []) {
      line(`version ${v.imageVersion}: ${v.state}, ${v.status}, base ${v.baseImageVersion ?? "latest"}`);
      const builds = await this.client.send(new ListMicrovmImageBuildsCommand({ imageIdentifier: this.imageArn!, imageVersion: v.imageVersion }));
      for (const b of builds.items ?? []) line(`  build ${b.buildId}: ${b.buildState} on ${b.architecture}/${b.chipset} ${b.chipsetGeneration}`);
    }
  }

  private async runMicrovms(): Promise<void> {
    step("Run three MicroVMs and wait until they are RUNNING");
    for (let i = 0; i < 3; i++) {
      const vm = await this.client.send(new RunMicrovmCommand({ imageIdentifier: this.imageArn!, maximumDurationInSeconds: 900 }));
      this.microvmIds.push(vm.microvmId!);
    }
    await Promise.all(this.microvmIds.map((id) => this.waitFor(id, "RUNNING")));
  }

  private async pageMicrovms(): Promise<void> {
    step("Page through them, two per page");
    let n = 0;
    for await (const page of paginateListMicrovms({ client: this.client, pageSize: 2 }, { imageIdentifier: this.imageArn! })) {
      line(`page ${++n}: ${(page.items ?? []).map((i) => `${i.microvmId} ${i.state}`).join(", ")}`);
    }
  }

  private async authToken(): Promise<void> {
    step("Mint an auth token for port 8080 (keys only; the values are secrets)");
    const { authToken } = await this.client.send(new CreateMicrovmAuthTokenCommand({ microvmIdentifier: this.microvmIds[0]!, expirationInMinutes: 15, allowedPorts: [{ port: 8080 }] }));
    line(`token keys: ${Object.keys(authToken ?? {}).join(", ")}`);
  }

  private async suspendAndResume(): Promise<void> {
    const id = this.microvmIds[1]!;
    step(`Suspend and resume ${id}`);
    await this.client.send(new SuspendMicrovmCommand({ microvmIdentifier: id }));
    await this.waitFor(id, "SUSPENDED");
    await this.client.send(new ResumeMicrovmCommand({ microvmIdentifier: id }));
    await this.waitFor(id, "RUNNING");
  }

  private async tags(): Promise<void> {
    step("Tag the image");
    await this.client.send(new TagResourceCommand({ Resource: this.imageArn!, Tags: { stage: "demo", owner: "you" } }));
    const { Tags } = await this.client.send(new ListTagsCommand({ Resource: this.imageArn! }));
    line(Object.entries(Tags ?? {}).map(([k, v]) => `${k}=${v}`).join(", "));
  }

  /** Terminates every MicroVM and deletes the image; also used after a failure. */
  async cleanUp(): Promise<void> {
    if (this.microvmIds.length > 0) {
      step("Terminate everything");
      for (const id of this.microvmIds) await this.client.send(new TerminateMicrovmCommand({ microvmIdentifier: id }));
      await Promise.all(this.microvmIds.map((id) => this.waitFor(id, "TERMINATED")));
    }
    if (this.imageArn) {
      step("Delete the image");
      const imageArn = this.imageArn;
      await this.client.send(new DeleteMicrovmImageCommand({ imageIdentifier: imageArn }));
      const image = progress("image", stateOf);
      await waitUntilMicrovmImageDeleted(this.waiter(image.onPoll), { imageIdentifier: imageArn }).finally(() => image.print());
    }
  }

  /** Waiter options: polls about as often as the target allows, progress through `onPoll`. */
  private waiter<T>(onPoll: (event: { response?: T; error?: unknown }) => void): WaiterConfiguration<T> {
    const seconds = this.target.pollMs / 1000;
    return { client: this.client, maxWaitTime: 900, minDelay: seconds, maxDelay: seconds * 4, onPoll };
  }

  private async waitFor(id: string, state: keyof typeof microvmWaiters): Promise<void> {
    const vm = progress(id, stateOf);
    await microvmWaiters[state](this.waiter(vm.onPoll), { microvmIdentifier: id }).finally(() => vm.print());
  }
}
