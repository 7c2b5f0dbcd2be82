/**
 * AWS X-Ray: `AWSXRay.captureAWSv3Client(client)` works as with the official client. Calls return
 * and throw what they would without it (a wrapped create makes one image and returns it), and each
 * call is one subsegment with its operation, region and request id, in automatic mode (the segment
 * from the context, as in Lambda) and in manual mode.
 */
import * as AWSXRay from "aws-xray-sdk-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateMicrovmImageCommand,
  GetMicrovmImageCommand,
  GetMicrovmCommand,
  LambdaMicrovmsClient,
  ListMicrovmsCommand,
  type CreateMicrovmImageCommandOutput,
} from "../../src/index";
import { startLocalServer, type LocalServer } from "../../src/local/index";
import { startCaptureServer, type CaptureServer } from "../helpers/captureServer";

let server: LocalServer;
let capture: CaptureServer;
const silent = { debug() {}, info() {}, warn() {}, error() {} };

beforeAll(async () => {
  AWSXRay.setLogger(silent);
  // Segments are never closed here, so nothing is sent to a daemon; this keeps subsegments in the segment.
  AWSXRay.setStreamingThreshold(10_000);
  [server, capture] = await Promise.all([startLocalServer({ transitionMs: 0 }), startCaptureServer()]);
  capture.respond({ status: 200, body: JSON.stringify({ items: [] }) });
});
afterAll(async () => {
  await Promise.all([server.stop(), capture.close()]);
});

const settings = () => ({ region: server.region, endpoint: server.endpoint, credentials: server.credentials, maxRetryAfterSeconds: 0 });
const CREATE = {
  name: "traced",
  baseImageArn: "arn:aws:lambda:us-east-1:aws:microvm-image:al2023",
  buildRoleArn: "arn:aws:iam::123456789012:role/build",
  codeArtifact: { uri: "s3://bucket/app.zip" },
};

interface SubsegmentJson {
  name: string;
  namespace?: string;
  aws?: { operation?: string; region?: string; request_id?: string; retries?: number };
  http?: { response?: { status?: number } };
  error?: boolean;
  throttle?: boolean;
  cause?: { exceptions?: { type?: string }[] };
}

/** Runs `fn` with `segment` as the context's segment (automatic mode, as in Lambda). */
function inSegment<T>(segment: AWSXRay.Segment, fn: () => Promise<T>): Promise<T> {
  return AWSXRay.getNamespace().runPromise(() => {
    AWSXRay.setSegment(segment);
    return fn();
  });
}

const subsegmentsOf = (segment: AWSXRay.Segment): SubsegmentJson[] =>
  (segment.subsegments ?? []).map((s) => JSON.parse(JSON.stringify(s)) as SubsegmentJson);

const withoutRequestId = <T extends { $metadata?: object }>(value: T) => ({ ...value, $metadata: { ...value.$metadata, requestId: undefined } });

describe("captureAWSv3Client", () => {
  it("returns what the call returns (one image made), and records one subsegment per call", async () => {
    const traced = AWSXRay.captureAWSv3Client(new LambdaMicrovmsClient(settings()));
    const plain = new LambdaMicrovmsClient(settings());
    const segment = new AWSXRay.Segment("test");
    const images = server.service.counts().images;
    let created!: CreateMicrovmImageCommandOutput;
    await inSegment(segment, async () => {
      created = await traced.send(new CreateMicrovmImageCommand(CREATE));
    });
    expect(server.service.counts().images).toBe(images + 1);
    expect(created.imageArn).toMatch(/^arn:aws:lambda:us-east-1:123456789012:microvm-image:/);

    const input = { imageIdentifier: created.imageArn };
    const viaXray = await inSegment(segment, () => traced.send(new GetMicrovmImageCommand(input)));
    const direct = await plain.send(new GetMicrovmImageCommand(input));
    expect(withoutRequestId(viaXray)).toEqual(withoutRequestId(direct));

    const [create, get] = subsegmentsOf(segment);
    expect(subsegmentsOf(segment)).toHaveLength(2);
    expect(create).toMatchObject({ name: "LambdaMicrovms", namespace: "aws", aws: { operation: "CreateMicrovmImage", region: "us-east-1", request_id: created.$metadata.requestId } });
    expect(get).toMatchObject({ aws: { operation: "GetMicrovmImage", region: "us-east-1", request_id: viaXray.$metadata.requestId }, http: { response: { status: 200 } } });
    traced.destroy();
    plain.destroy();
  });

  it("throws what the call throws, with the error in the subsegment", async () => {
    const traced = AWSXRay.captureAWSv3Client(new LambdaMicrovmsClient(settings()));
    const plain = new LambdaMicrovmsClient(settings());
    const segment = new AWSXRay.Segment("test");
    const input = { microvmIdentifier: "mvm-missing" };
    // Caught inside the context: a rejection leaving it gets cls-hooked's "error@context" property.
    const viaXray = await inSegment(segment, () => traced.send(new GetMicrovmCommand(input)).catch((e: unknown) => e));
    const direct = await plain.send(new GetMicrovmCommand(input)).catch((e: unknown) => e);
    expect((viaXray as Error).constructor).toBe((direct as Error).constructor);
    expect(withoutRequestId(viaXray as { $metadata: object })).toEqual(withoutRequestId(direct as { $metadata: object }));
    const [sub] = subsegmentsOf(segment);
    expect(sub).toMatchObject({ aws: { operation: "GetMicrovm", region: "us-east-1", request_id: (viaXray as { $metadata: { requestId: string } }).$metadata.requestId }, error: true });
    expect(sub!.cause?.exceptions?.[0]?.type).toBe("ResourceNotFoundException");
    traced.destroy();
    plain.destroy();
  });

  it("a retried call is one subsegment, with its retries", async () => {
    const traced = AWSXRay.captureAWSv3Client(new LambdaMicrovmsClient(settings()));
    const segment = new AWSXRay.Segment("test");
    server.setFaults({ sequence: ["throttle", "internal"], retryAfterSeconds: 0 });
    const output = await inSegment(segment, () => traced.send(new ListMicrovmsCommand({})));
    server.setFaults(undefined);
    expect(output.$metadata.attempts).toBe(3);
    expect(subsegmentsOf(segment)).toEqual([expect.objectContaining({ aws: expect.objectContaining({ operation: "ListMicrovms", request_id: output.$metadata.requestId, retries: 3 }) })]);
    traced.destroy();
  });

  it("sends the trace header of the subsegment (manual mode)", async () => {
    AWSXRay.enableManualMode();
    const segment = new AWSXRay.Segment("manual");
    const traced = AWSXRay.captureAWSv3Client(new LambdaMicrovmsClient({ ...settings(), endpoint: capture.endpoint }), segment);
    await traced.send(new ListMicrovmsCommand({})).finally(() => AWSXRay.enableAutomaticMode());
    const [sub] = segment.subsegments!;
    expect(capture.requests.at(-1)!.headers["x-amzn-trace-id"]).toBe(`Root=${segment.trace_id};Parent=${sub!.id};Sampled=1`);
    expect(subsegmentsOf(segment)[0]).toMatchObject({ aws: { operation: "ListMicrovms" } });
    traced.destroy();
  });
});
