/**
 * Compile-time checks of the public types (run by `npm run typecheck`, which CI runs).
 * Each `@ts-expect-error` must stay an error: if a type loosens, the build fails.
 */
import {
  GetMicrovmCommand,
  LambdaMicrovms,
  LambdaMicrovmsClient,
  MicrovmState,
  RunMicrovmCommand,
  ThrottlingException,
  type GetMicrovmCommandOutput,
  type PortSpecification,
  type RunMicrovmCommandInput,
} from "../../src/index";

declare const client: LambdaMicrovmsClient;

export async function publicTypes(): Promise<void> {
  // Required members are required.
  // @ts-expect-error imageIdentifier is required
  const missing: RunMicrovmCommandInput = {};
  void missing;

  // Wrong member types are rejected.
  // @ts-expect-error maximumDurationInSeconds is a number
  new RunMicrovmCommand({ imageIdentifier: "img", maximumDurationInSeconds: "60" });

  // Outputs are typed as the official client types them: timestamps are Dates, enums are the
  // known values, and required members may still be undefined (a service may leave one out).
  const out: GetMicrovmCommandOutput = await client.send(new GetMicrovmCommand({ microvmIdentifier: "m" }));
  const started: Date | undefined = out.startedAt;
  // @ts-expect-error a required output member may be undefined
  const startedNow: Date = out.startedAt;
  void started, startedNow;
  const state: MicrovmState | undefined = out.state;
  const known: MicrovmState = MicrovmState.RUNNING;
  // @ts-expect-error enums are closed unions, as in the official client (an exhaustive switch compiles the same)
  const future: MicrovmState = "HIBERNATING";
  void state, known, future;

  // Required input members accept a value that may be undefined, as in the official client.
  const maybe: string | undefined = process.env.IMAGE;
  new RunMicrovmCommand({ imageIdentifier: maybe });
  void out.$metadata.requestId;

  // Unions are discriminated: one member at a time.
  const port: PortSpecification = { port: 8080 };
  // @ts-expect-error only one member of a union may be set
  const both: PortSpecification = { port: 8080, allPorts: {} };
  void port, both;

  // The aggregated client has a method per operation with the command's types.
  const microvms = new LambdaMicrovms({ region: "us-east-1" });
  const vm = await microvms.runMicrovm({ imageIdentifier: "img" });
  const id: string | undefined = vm.microvmId;
  void id;
  // @ts-expect-error unknown operation
  void microvms.runMicrovms;

  // Modeled error members are typed.
  const e = new ThrottlingException({ message: "slow down", $metadata: {}, retryAfterSeconds: 2 });
  const retryAfter: number | undefined = e.retryAfterSeconds;
  const fault: "client" = e.$fault;
  void retryAfter, fault;
}
