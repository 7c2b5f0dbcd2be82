/**
 * Endpoint resolution over a table of regions × FIPS × dual-stack × custom endpoint, with the
 * official client (its own rules engine and partition data) as the oracle.
 */
import { describe, expect, it } from "vitest";
import * as official from "@aws-sdk/client-lambda-microvms";
import { ConfigurationError, GetMicrovmCommand, LambdaMicrovmsClient } from "../../src/index";
import { readFileSync } from "node:fs";
import { EndpointError, resolveEndpoint } from "../../src/endpoint/resolveEndpoint";
import type { Partition } from "../../src/endpoint/partition";

// aws-cn-global is listed but matches no pattern (the aws pattern would take it); cn-southwest-9 is
// not listed, so only the aws-cn pattern finds it.
const REGIONS = ["aws-cn-global", "cn-southwest-9", "us-east-1", "eu-central-1", "ap-southeast-2", "cn-north-1", "us-gov-west-1", "us-iso-east-1", "us-isob-east-1", "eu-isoe-west-1", "us-isof-south-1", "eusc-de-east-1", "xx-unknown-9"];
// Without a trailing slash: given "…/prefix/", the official client sends "…/prefix//2025-09-09/…"
// (a doubled slash); ours sends "…/prefix/2025-09-09/…" (tested below).
const ENDPOINTS = [undefined, "http://127.0.0.1:4566/prefix"];

interface Seen {
  url?: string;
  error?: string;
}

class Captured extends Error {}

/** What a client would call: its URL (scheme, host, path prefix) or its configuration error. */
async function observe(make: (config: Record<string, unknown>) => { send(c: unknown): Promise<unknown>; destroy(): void }, Command: new (i: object) => unknown, config: Record<string, unknown>): Promise<Seen> {
  let url: string | undefined;
  const requestHandler = {
    handle: async (request: { protocol: string; hostname: string; port?: number; path: string }) => {
      url = `${request.protocol}//${request.hostname}${request.port ? `:${request.port}` : ""}${request.path}`;
      throw new Captured("captured");
    },
  };
  const client = make({ ...config, requestHandler, credentials: { accessKeyId: "a", secretAccessKey: "b" }, maxAttempts: 1 });
  try {
    await client.send(new Command({ microvmIdentifier: "mvm-1" }));
  } catch (error) {
    if (!(error instanceof Captured)) return { error: (error as Error).message };
  } finally {
    client.destroy();
  }
  return { url: url! };
}

const cases = REGIONS.flatMap((region) => [false, true].flatMap((fips) => [false, true].flatMap((dual) => ENDPOINTS.map((endpoint) => ({ region, fips, dual, endpoint })))));

describe("endpoint resolution matches the official client", () => {
  it.each(cases.map((c) => [`${c.region} fips=${c.fips} dualstack=${c.dual} endpoint=${c.endpoint ?? "-"}`, c] as const))("%s", async (_, c) => {
    const config = { region: c.region, useFipsEndpoint: c.fips, useDualstackEndpoint: c.dual, ...(c.endpoint ? { endpoint: c.endpoint } : {}) };
    const theirs = await observe((cfg) => new official.LambdaMicrovmsClient(cfg) as never, official.GetMicrovmCommand as never, config);
    const mine = await observe((cfg) => new LambdaMicrovmsClient(cfg) as never, GetMicrovmCommand as never, config);
    if (theirs.error) {
      expect(mine.error).toContain(theirs.error.replace(/^.*Invalid Configuration/, "Invalid Configuration"));
    } else {
      expect(mine).toEqual(theirs);
    }
  });
});

describe("endpoint resolver", () => {
  it.each([
    [{ Region: "us-east-1" }, "https://lambda.us-east-1.amazonaws.com/"],
    [{ Region: "us-east-1", UseFIPS: true }, "https://lambda-fips.us-east-1.amazonaws.com/"],
    [{ Region: "us-east-1", UseDualStack: true }, "https://lambda.us-east-1.api.aws/"],
    [{ Region: "us-east-1", UseFIPS: true, UseDualStack: true }, "https://lambda-fips.us-east-1.api.aws/"],
    [{ Region: "cn-north-1" }, "https://lambda.cn-north-1.amazonaws.com.cn/"],
    [{ Region: "cn-north-1", UseDualStack: true }, "https://lambda.cn-north-1.api.amazonwebservices.com.cn/"],
    [{ Region: "us-gov-west-1", UseFIPS: true }, "https://lambda-fips.us-gov-west-1.amazonaws.com/"],
    [{ Region: "us-iso-east-1" }, "https://lambda.us-iso-east-1.c2s.ic.gov/"],
    [{ Endpoint: "https://proxy.example.com/base" }, "https://proxy.example.com/base"],
  ])("%o → %s", (params, url) => {
    expect(resolveEndpoint(params).href).toBe(url);
  });

  it.each([
    [{ Endpoint: "http://x", UseFIPS: true }, "Invalid Configuration: FIPS and custom endpoint are not supported"],
    [{ Endpoint: "http://x", UseDualStack: true }, "Invalid Configuration: Dualstack and custom endpoint are not supported"],
    [{}, "Invalid Configuration: Missing Region"],
  ])("%o throws %s", (params, message) => {
    expect(() => resolveEndpoint(params)).toThrow(message);
  });
});

it("keeps a custom endpoint's path prefix, with or without a trailing slash", async () => {
  for (const endpoint of ["http://127.0.0.1:4566/prefix/", "http://127.0.0.1:4566/prefix"]) {
    const seen = await observe((cfg) => new LambdaMicrovmsClient(cfg) as never, GetMicrovmCommand as never, { region: "us-east-1", endpoint });
    expect(seen.url).toBe("http://127.0.0.1:4566/prefix/2025-09-09/microvms/mvm-1");
  }
});

describe("configuration errors surface at the first call, not at construction", () => {
  it("FIPS with a custom endpoint", async () => {
    const client = new LambdaMicrovmsClient({ region: "us-east-1", endpoint: "http://127.0.0.1:1", useFipsEndpoint: true, credentials: { accessKeyId: "a", secretAccessKey: "b" } });
    const error = await client.send(new GetMicrovmCommand({ microvmIdentifier: "m" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain("FIPS and custom endpoint are not supported");
  });

  it("no region names the ways to set one", async () => {
    const saved = { AWS_REGION: process.env.AWS_REGION, AWS_DEFAULT_REGION: process.env.AWS_DEFAULT_REGION, AWS_CONFIG_FILE: process.env.AWS_CONFIG_FILE };
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    process.env.AWS_CONFIG_FILE = "/nonexistent/config";
    try {
      const client = new LambdaMicrovmsClient({ credentials: { accessKeyId: "a", secretAccessKey: "b" } });
      const error = await client.send(new GetMicrovmCommand({ microvmIdentifier: "m" })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).toMatch(/region/i);
      expect((error as Error).message).toContain("AWS_REGION");
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    }
  });

  it("an unknown option is named", async () => {
    const client = new LambdaMicrovmsClient({ region: "us-east-1", regoin: "x" } as never);
    const error = await client.send(new GetMicrovmCommand({ microvmIdentifier: "m" })).catch((e: unknown) => e);
    expect((error as Error).message).toContain('Unknown client option "regoin"');
  });
});

describe("the rules over partitions without FIPS or dual-stack (none today; the rules allow them)", () => {
  const rules = readFileSync(new URL("../../model/lambda-microvms.endpoint-rules.json", import.meta.url), "utf8");
  /** The rule's own error text, so the messages stay the ones the rules file has. */
  const ruleError = (ending: string): string => {
    const found = [...rules.matchAll(/"error"\s*:\s*"([^"]*)"/g)].map((m) => m[1]!).find((text) => text.endsWith(ending));
    if (!found) throw new Error(`no rule error ends with ${ending}`);
    return found;
  };
  const partition = (id: string, regionRegex: string, regions: string[], supportsFIPS: boolean, supportsDualStack: boolean): Partition => ({
    id, regionRegex, regions, dnsSuffix: `${id}.example`, dualStackDnsSuffix: `dual.${id}.example`, supportsFIPS, supportsDualStack,
  });
  // aws is not first, so an unknown region must look it up by id.
  const table = [
    partition("nofips", "^nf\\-\\w+\\-\\d+$", ["nf-east-1"], false, true),
    partition("nodual", "^nd\\-\\w+\\-\\d+$", [], true, false),
    partition("aws", "^(us|eu)\\-\\w+\\-\\d+$", ["us-east-1"], true, true),
  ];

  it.each([
    [{ Region: "nf-east-1", UseFIPS: true }, "does not support FIPS"],
    [{ Region: "nf-east-1", UseFIPS: true, UseDualStack: true }, "does not support one or both"],
    [{ Region: "nd-west-2", UseDualStack: true }, "does not support DualStack"],
    [{ Region: "nd-west-2", UseFIPS: true, UseDualStack: true }, "does not support one or both"],
  ])("%o is refused: %s", (params, ending) => {
    expect(() => resolveEndpoint(params, table)).toThrow(new EndpointError(ruleError(ending)));
  });

  it.each([
    [{ Region: "nf-east-1", UseDualStack: true }, "https://lambda.nf-east-1.dual.nofips.example/"],
    [{ Region: "nd-west-2", UseFIPS: true }, "https://lambda-fips.nd-west-2.nodual.example/"],
    [{ Region: "zz-somewhere-1" }, "https://lambda.zz-somewhere-1.aws.example/"],
    [{ Region: "zz-somewhere-1", UseFIPS: true, UseDualStack: true }, "https://lambda-fips.zz-somewhere-1.dual.aws.example/"],
  ])("%o → %s (what the partition supports, and aws when no partition claims the region)", (params, url) => {
    expect(resolveEndpoint(params, table).href).toBe(url);
  });
});

describe("what a caller of the endpoint provider sees", () => {
  it("an impossible configuration is an EndpointError, named so", () => {
    const client = new LambdaMicrovmsClient({ region: "us-east-1" });
    const error = (() => {
      try {
        client.config.endpointProvider({ Region: "us-east-1", UseFIPS: true, Endpoint: "http://127.0.0.1:1" });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(EndpointError);
    expect((error as Error).name).toBe("EndpointError");
    expect(String(error)).toBe("EndpointError: Invalid Configuration: FIPS and custom endpoint are not supported");
  });

  it("a custom endpoint that is no URL is refused, quoted", () => {
    expect(() => resolveEndpoint({ Endpoint: "not a url" })).toThrow(new EndpointError('Invalid endpoint URL: "not a url"'));
  });
});
