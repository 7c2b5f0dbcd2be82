/**
 * Where the demo runs: the embedded emulator by default; a given `--endpoint`, or AWS with
 * credentials and a region from the environment, otherwise.
 */
import type { LambdaMicrovmsClientConfig } from "../../src/index";
import { startLocalServer } from "../../src/local/index";

export interface DemoTarget {
  readonly label: string;
  readonly config: LambdaMicrovmsClientConfig;
  /** Build role and code for the demo image (the emulator takes any well-formed values). */
  readonly buildRoleArn: string;
  readonly codeUri: string;
  /** How often to poll states. */
  readonly pollMs: number;
  close(): Promise<void>;
}

/** Transition time of the embedded emulator: long enough to see states, short enough for seconds. */
const DEMO_TRANSITION_MS = 300;

function flag(argv: readonly string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  if (at >= 0) return argv[at + 1];
  const inline = argv.find((a) => a.startsWith(`${name}=`));
  return inline?.slice(name.length + 1);
}

export async function resolveTarget(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<DemoTarget> {
  const endpoint = flag(argv, "--endpoint");
  const region = flag(argv, "--region") ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  const hasEnvCredentials = Boolean(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY);
  const buildRoleArn = flag(argv, "--build-role-arn") ?? env.DEMO_BUILD_ROLE_ARN ?? "arn:aws:iam::123456789012:role/demo-build";
  const codeUri = flag(argv, "--code-uri") ?? env.DEMO_CODE_URI ?? "s3://demo-bucket/app.zip";

  if (endpoint || (hasEnvCredentials && region)) {
    const config: LambdaMicrovmsClientConfig = { region: region ?? "us-east-1" };
    if (endpoint) config.endpoint = endpoint;
    // A bare --endpoint (e.g. the CLI emulator) with no credentials around uses the emulator's default key.
    if (!hasEnvCredentials) config.credentials = { accessKeyId: "test", secretAccessKey: "test" };
    // A custom endpoint is usually an emulator nearby: poll it more often than AWS.
    const pollMs = endpoint ? 200 : 2000;
    return { label: endpoint ?? `AWS (${region})`, config, buildRoleArn, codeUri, pollMs, close: async () => undefined };
  }

  const server = await startLocalServer({ transitionMs: DEMO_TRANSITION_MS });
  return {
    label: `the embedded local emulator at ${server.endpoint} (each state transition takes ${DEMO_TRANSITION_MS} ms)`,
    config: { region: server.region, endpoint: server.endpoint, credentials: server.credentials },
    buildRoleArn,
    codeUri,
    pollMs: 50,
    close: () => server.stop(),
  };
}
