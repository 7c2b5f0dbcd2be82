/** MicroVMs: run, read, list, suspend, resume, terminate, and auth tokens to reach them. */
import { randomBytes } from "node:crypto";
import type {
  CreateMicrovmAuthTokenRequest,
  GetMicrovmResponse,
  PortSpecification,
  RunMicrovmRequest,
  RunMicrovmResponse,
} from "./models";
import { conflict, invalid, notFound } from "../errors";
import type { ServiceContext } from "./context";
import { microvmEndpoint, newMicrovmId } from "./ids";
import type { ImageStore } from "./images";
import { buildStage, imageOutput, type ImageRecord } from "./imageRecords";
import { microvmOutput, nextChange, settle, type MicrovmRecord, type MicrovmStage } from "./microvmRecords";
import type { Scheduled } from "./schedule";
import { SeqList } from "./seqList";
import { Timeline } from "./timeline";

const DEFAULT_MAX_DURATION_SECONDS = 28_800;
const MAX_TOKEN_MINUTES = 60;
const SHELL_CONNECTOR = "SHELL_INGRESS";

export class MicrovmStore {
  private readonly vms = new Map<string, MicrovmRecord>();
  /** Every MicroVM held, in the order they were run: what ListMicrovms pages through. */
  private readonly ordered = new SeqList<MicrovmRecord>();
  /** The same, per image id: ListMicrovms by image, and whether an image is in use. */
  private readonly byImage = new Map<string, SeqList<MicrovmRecord>>();
  /** The one scheduled look at each MicroVM (its next change, or when it is forgotten). */
  private readonly wakes = new Map<string, Scheduled>();

  constructor(
    private readonly ctx: ServiceContext,
    private readonly images: ImageStore,
  ) {}

  /** Every MicroVM held, terminated ones included, oldest first, with due transitions applied. */
  all(): MicrovmRecord[] {
    const now = this.ctx.now();
    const vms = [...this.ordered.values()];
    for (const vm of vms) settle(vm, now);
    return vms;
  }

  /** MicroVMs run after the one numbered `after`, of one image when given, settled as they are read. */
  *listAfter(after: number, imageId?: string): IterableIterator<MicrovmRecord> {
    const list = imageId === undefined ? this.ordered : this.byImage.get(imageId);
    if (!list) return;
    const now = this.ctx.now();
    for (const vm of list.after(after)) {
      settle(vm, now);
      yield vm;
    }
  }

  find(identifier: string): MicrovmRecord {
    const vm = this.vms.get(identifier);
    if (!vm) throw notFound("Microvm", identifier);
    settle(vm, this.ctx.now());
    return vm;
  }

  state(vm: MicrovmRecord): MicrovmStage {
    return vm.timeline.current(this.ctx.now()).state;
  }

  /** True when a MicroVM that is not terminated runs the image (and version, when given). */
  inUse(imageId: string, version?: string): boolean {
    // Stryker disable next-line UnaryOperator: sequence numbers 0 and 1 always go to an image and its first build, before any MicroVM
    for (const vm of this.listAfter(-1, imageId)) {
      if ((version === undefined || vm.imageVersion === version) && this.state(vm) !== "TERMINATED") return true;
    }
    return false;
  }

  /** Plans the next look at a MicroVM, replacing the one planned before. */
  private schedule(vm: MicrovmRecord): void {
    this.ctx.schedule.cancel(this.wakes.get(vm.id));
    const at = nextChange(vm, this.ctx.now(), this.ctx.retentionMs);
    this.wakes.set(vm.id, this.ctx.schedule.at(at, (now) => this.wake(vm, now)));
  }

  /** Brings a MicroVM up to date on its own, and forgets it once terminated for the retention period. */
  private wake(vm: MicrovmRecord, now: number): void {
    this.wakes.delete(vm.id);
    settle(vm, now);
    const step = vm.timeline.current(now);
    if (step.state === "TERMINATED" && step.at + this.ctx.retentionMs <= now) this.forget(vm);
    else this.schedule(vm);
  }

  private forget(vm: MicrovmRecord): void {
    this.vms.delete(vm.id);
    this.ordered.remove(vm);
    const list = this.byImage.get(vm.imageId);
    // Stryker disable next-line OptionalChaining: every MicroVM held is in its image's list
    list?.remove(vm);
    // Stryker disable next-line OptionalChaining: every MicroVM held is in its image's list
    if (list?.size === 0) this.byImage.delete(vm.imageId);
  }

  run(input: RunMicrovmRequest): RunMicrovmResponse {
    const now = this.ctx.now();
    const image = this.images.find(input.imageIdentifier);
    const version = this.runnableVersion(image, input.imageVersion, now);
    const id = newMicrovmId();
    const vm: MicrovmRecord = {
      seq: this.ctx.nextSeq(),
      id,
      imageId: image.id,
      imageArn: image.arn,
      imageVersion: version,
      endpoint: microvmEndpoint(this.ctx.scope.region, id),
      ...(input.executionRoleArn !== undefined ? { executionRoleArn: input.executionRoleArn } : {}),
      ...(input.idlePolicy !== undefined ? { idlePolicy: { ...input.idlePolicy } } : {}),
      maximumDurationInSeconds: input.maximumDurationInSeconds ?? DEFAULT_MAX_DURATION_SECONDS,
      ingressNetworkConnectors: [...(input.ingressNetworkConnectors ?? [])],
      egressNetworkConnectors: [...(input.egressNetworkConnectors ?? [])],
      startedAt: new Date(now),
      timeline: new Timeline<MicrovmStage>("PENDING", now, [{ state: "RUNNING", after: this.ctx.transitionMs }]),
      settledAt: now,
    };
    this.vms.set(id, vm);
    this.ordered.add(vm);
    let list = this.byImage.get(image.id);
    if (!list) this.byImage.set(image.id, (list = new SeqList()));
    list.add(vm);
    this.schedule(vm);
    // The answer shows the MicroVM as it was accepted, before any transition.
    return { ...microvmOutput(vm, now), state: "PENDING" };
  }

  /** Only a SUCCESSFUL, ACTIVE version of an image that is not being deleted can run. */
  private runnableVersion(image: ImageRecord, requested: string | undefined, now: number): string {
    if (image.deletion) throw conflict("MicrovmImage", image.id, `Image ${image.id} is being deleted.`);
    if (requested === undefined) {
      const latest = imageOutput(image, now).latestActiveImageVersion;
      if (latest === undefined) {
        throw conflict("MicrovmImage", image.id, `Image ${image.id} has no SUCCESSFUL and ACTIVE version to run yet.`);
      }
      return latest;
    }
    const version = this.images.findVersion(image, requested);
    const stage = buildStage(version, now);
    if (version.deletion || stage !== "SUCCESSFUL" || version.status !== "ACTIVE") {
      const why = version.deletion ? "being deleted" : stage !== "SUCCESSFUL" ? `in state ${stage}` : "INACTIVE";
      throw conflict("MicrovmImageVersion", requested, `Version ${requested} of image ${image.id} is ${why}; only a SUCCESSFUL, ACTIVE version can run.`);
    }
    return requested;
  }

  get(identifier: string): GetMicrovmResponse {
    return microvmOutput(this.find(identifier), this.ctx.now());
  }

  /** True while a resume is accepted but the MicroVM still shows SUSPENDED. */
  private resuming(vm: MicrovmRecord, now: number): boolean {
    return vm.timeline.upcoming(now).some((step) => step.state === "RUNNING");
  }

  /**
   * Suspending a MicroVM that is already suspending or suspended is accepted and changes nothing;
   * one with a resume under way is refused, since the resume would undo the suspension.
   */
  suspend(identifier: string): void {
    const now = this.ctx.now();
    const vm = this.find(identifier);
    const state = this.state(vm);
    if (state === "SUSPENDED" && this.resuming(vm, now)) {
      throw conflict("Microvm", vm.id, `MicroVM ${vm.id} is being resumed; it can be suspended once it is RUNNING.`);
    }
    if (state === "SUSPENDING" || state === "SUSPENDED") return;
    if (state !== "RUNNING") throw this.invalidTransition(vm, state, "suspended", "RUNNING");
    vm.timeline.replan(now, [
      { state: "SUSPENDING", after: 0 },
      { state: "SUSPENDED", after: this.ctx.transitionMs },
    ]);
    this.schedule(vm);
  }

  resume(identifier: string): void {
    const now = this.ctx.now();
    const vm = this.find(identifier);
    const state = this.state(vm);
    if (state === "RUNNING") return;
    if (state !== "SUSPENDED") throw this.invalidTransition(vm, state, "resumed", "SUSPENDED");
    // Already resuming: the RUNNING step is planned.
    if (this.resuming(vm, now)) return;
    vm.timeline.replan(now, [{ state: "RUNNING", after: this.ctx.transitionMs }]);
    this.schedule(vm);
  }

  terminate(identifier: string): void {
    const now = this.ctx.now();
    const vm = this.find(identifier);
    const state = this.state(vm);
    if (state === "TERMINATING" || state === "TERMINATED") return;
    vm.timeline.replan(now, [
      { state: "TERMINATING", after: 0 },
      { state: "TERMINATED", after: this.ctx.transitionMs },
    ]);
    this.schedule(vm);
  }

  private invalidTransition(vm: MicrovmRecord, state: MicrovmStage, verb: string, needed: string) {
    return conflict("Microvm", vm.id, `MicroVM ${vm.id} is ${state}; it can be ${verb} only when ${needed}.`);
  }

  authToken(input: CreateMicrovmAuthTokenRequest): Record<string, string> {
    checkExpiration(input.expirationInMinutes);
    input.allowedPorts.forEach(checkPortSpecification);
    const vm = this.reachable(input.microvmIdentifier);
    return this.token("X-aws-proxy-auth", vm, input.expirationInMinutes);
  }

  shellAuthToken(identifier: string, expirationInMinutes: number): Record<string, string> {
    checkExpiration(expirationInMinutes);
    const vm = this.reachable(identifier);
    const hasShell = vm.ingressNetworkConnectors.some((c) => c === SHELL_CONNECTOR || c.endsWith(`:${SHELL_CONNECTOR}`) || c.endsWith(`/${SHELL_CONNECTOR}`));
    if (!hasShell) {
      throw conflict("Microvm", vm.id, `MicroVM ${vm.id} was not run with the ${SHELL_CONNECTOR} ingress network connector, so it takes no shell sessions.`);
    }
    return this.token("X-aws-proxy-shell-auth", vm, expirationInMinutes);
  }

  /** A MicroVM a token can reach: RUNNING, or suspended with auto-resume on. */
  private reachable(identifier: string): MicrovmRecord {
    const vm = this.find(identifier);
    const state = this.state(vm);
    const autoResume = vm.idlePolicy?.autoResumeEnabled === true && (state === "SUSPENDING" || state === "SUSPENDED");
    if (state !== "RUNNING" && !autoResume) {
      throw conflict("Microvm", vm.id, `MicroVM ${vm.id} is ${state}; tokens are issued for RUNNING MicroVMs.`);
    }
    return vm;
  }

  private token(header: string, vm: MicrovmRecord, minutes: number): Record<string, string> {
    const expiresAt = new Date(this.ctx.now() + minutes * 60_000).toISOString();
    return { [header]: `lmv1.${vm.id}.${randomBytes(24).toString("base64url")}`, expiresAt };
  }
}

function checkExpiration(minutes: number): void {
  if (minutes > MAX_TOKEN_MINUTES) throw invalid(`expirationInMinutes: must be at most ${MAX_TOKEN_MINUTES}`);
}

function checkPortSpecification(spec: PortSpecification, i: number): void {
  if (spec.range && spec.range.startPort > spec.range.endPort) {
    throw invalid(`allowedPorts[${i}].range: startPort must not be greater than endPort`);
  }
}
