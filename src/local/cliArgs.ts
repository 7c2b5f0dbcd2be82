/** Parses the command line of `lambda-microvms-local` into server options. */
import { isFaultKind } from "./faults";
import type { FaultKind, LocalServerOptions } from "./types";

/** A fixed default, so a CLI user can point clients at a known URL. */
export const DEFAULT_CLI_PORT = 4599;

export const USAGE = `Usage: lambda-microvms-local [options]

A local emulator of AWS Lambda MicroVMs on http://HOST:PORT.

  --port N                 port to listen on (0 = any free port; default 4599)
  --host HOST              address to bind (default 127.0.0.1)
  --transition-ms N        how long each state transition takes (default 1000; 0 = immediate)
  --retention-ms N         how long terminated MicroVMs, deleted images and client tokens are
                           remembered (default 3600 transitions, at least 60000)
  --request-timeout-ms N   time a request's head, then its body, may take (default 10000)
  --credentials AKID:SECRET  a key the server accepts (repeatable; default test:test)
  --region REGION          region in ARNs and endpoints (default us-east-1)
  --account-id ID          account in ARNs (default 123456789012)
  --cors-origin ORIGIN     a browser origin that may call the emulator (repeatable; default
                           any origin), e.g. http://localhost:5173
  --fault-rate R           share of requests (0..1) that get a fault
  --fault-kinds K,K        kinds to draw from: throttle,internal,unavailable,drop,slow,malformed
                           (the default), and lost (the operation runs, then the answer is lost)
  --fault-sequence K,K     exact faults for the first requests, then none
  --retry-after S          Retry-After seconds on throttle/internal faults
  --slow-ms N              delay of "slow" faults (default 1000)
  --seed N                 seed for the fault draw
  -v, --verbose            print one line per request (method, path, status, time)
  -h, --help               this help`;

export class UsageError extends Error {
  override readonly name = "UsageError";
}

function number(flag: string, text: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(text);
  if (text === undefined || text.trim() === "" || !Number.isFinite(value) || value < min || value > max) {
    throw new UsageError(`${flag} needs a number between ${min} and ${max}`);
  }
  return value;
}

function kinds(flag: string, text: string | undefined): FaultKind[] {
  const list = (text ?? "").split(",").filter(Boolean);
  const bad = list.filter((k) => !isFaultKind(k));
  if (list.length === 0 || bad.length > 0) throw new UsageError(`${flag} takes a comma-separated list of fault kinds${bad.length ? ` (unknown: ${bad.join(", ")})` : ""}`);
  return list as FaultKind[];
}

export interface CliOptions extends LocalServerOptions {
  verbose?: boolean;
}

/** Returns undefined when help was asked for. */
export function parseArgs(argv: readonly string[]): CliOptions | undefined {
  const options: CliOptions = { port: DEFAULT_CLI_PORT, keepProcessAlive: true };
  const faults: NonNullable<LocalServerOptions["faults"]> = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = (): string | undefined => argv[++i];
    switch (flag) {
      case "-h":
      case "--help":
        return undefined;
      case "--port": options.port = number(flag, value(), 0, 65535); break;
      case "--host": options.host = value() ?? ""; break;
      case "--transition-ms": options.transitionMs = number(flag, value(), 0); break;
      case "--retention-ms": options.retentionMs = number(flag, value(), 0); break;
      case "--request-timeout-ms": options.requestTimeoutMs = number(flag, value(), 1); break;
      case "--region": options.region = value() ?? ""; break;
      case "--account-id": options.accountId = value() ?? ""; break;
      case "--cors-origin": {
        const origin = value() ?? "";
        if (!/^https?:\/\/[^/\s]+\/?$/i.test(origin)) throw new UsageError("--cors-origin takes an origin such as http://localhost:5173");
        options.corsOrigins = [...(options.corsOrigins === undefined || options.corsOrigins === "*" ? [] : options.corsOrigins), origin];
        break;
      }
      case "--credentials": {
        const text = value() ?? "";
        const colon = text.indexOf(":");
        if (colon <= 0 || colon === text.length - 1) throw new UsageError("--credentials takes AKID:SECRET");
        (options.credentials ??= []).push({ accessKeyId: text.slice(0, colon), secretAccessKey: text.slice(colon + 1) });
        break;
      }
      case "--fault-rate": faults.rate = number(flag, value(), 0, 1); break;
      case "--fault-kinds": faults.kinds = kinds(flag, value()); break;
      case "--fault-sequence": faults.sequence = kinds(flag, value()); break;
      case "--retry-after": faults.retryAfterSeconds = number(flag, value(), 0); break;
      case "--slow-ms": faults.slowMs = number(flag, value(), 0); break;
      case "--seed": faults.seed = number(flag, value(), 0); break;
      case "-v":
      case "--verbose": options.verbose = true; break;
      default:
        throw new UsageError(`unknown option ${flag}`);
    }
  }
  if (Object.keys(faults).length > 0) options.faults = faults;
  if (options.host === "" || options.region === "" || options.accountId === "") throw new UsageError("--host, --region and --account-id need a value");
  return options;
}
