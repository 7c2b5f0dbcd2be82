/**
 * A program written for the official client: middleware as people write it (with their own
 * `@smithy/protocol-http`), relative placement against the official middleware names, smithy's
 * classes and `instanceof`, generic code over `$Command`, and `aws-sdk-client-mock`.
 */
import { HttpRequest, HttpResponse } from "@smithy/protocol-http";
import { Client as SmithyClient, Command as SmithyCommand, ServiceException } from "@smithy/core/client";
import type { FinalizeRequestMiddleware, HandlerExecutionContext, InitializeMiddleware, MetadataBearer } from "@smithy/types";
import { mockClient } from "aws-sdk-client-mock";
import {
  $Command,
  __Client,
  GetMicrovmCommand,
  LambdaMicrovmsClient,
  ListMicrovmsCommand,
  ResourceNotFoundException,
  RunMicrovmCommand,
  type LambdaMicrovmsClientResolvedConfig,
  type LambdaMicrovmsPaginationConfiguration,
  type ListMicrovmsCommandInput,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from "@aws-sdk/client-lambda-microvms";

export interface Target {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

type Observations = Record<string, unknown>;

/** Generic code over any command of this client, as helper libraries write it. */
async function sendAny<I extends ServiceInputTypes, O extends ServiceOutputTypes>(
  client: LambdaMicrovmsClient,
  command: $Command<I, O, LambdaMicrovmsClientResolvedConfig, ServiceInputTypes, ServiceOutputTypes>,
): Promise<O> {
  return client.send(command);
}

export async function run(target: Target): Promise<Observations> {
  const seen: Observations = {};
  const client = new LambdaMicrovmsClient({ region: target.region, endpoint: target.endpoint, credentials: target.credentials });
  const events: Observations[] = [];

  const build: FinalizeRequestMiddleware<object, MetadataBearer> = (next, context: HandlerExecutionContext) => async (args) => {
    const request = args.request;
    events.push({
      step: "finalize",
      isHttpRequest: request instanceof HttpRequest,
      isInstance: HttpRequest.isInstance(request),
      commandName: context.commandName,
      clientName: context.clientName,
    });
    if (request instanceof HttpRequest) request.headers["x-compat"] = "1";
    const result = await next(args);
    events.push({ step: "response", isHttpResponse: result.response instanceof HttpResponse, status: (result.response as HttpResponse).statusCode });
    return result;
  };
  client.middlewareStack.add(build, { step: "finalizeRequest", name: "compatFinalize", priority: "low" });
  const initialize: InitializeMiddleware<object, MetadataBearer> = (next) => async (args) => {
    events.push({ step: "initialize", input: args.input });
    return next(args);
  };
  client.middlewareStack.addRelativeTo(initialize, { relation: "after", toMiddleware: "loggerMiddleware", name: "compatAfterLogger" });
  client.middlewareStack.addRelativeTo(((next) => (args) => next(args)) as FinalizeRequestMiddleware<object, MetadataBearer>, {
    relation: "before",
    toMiddleware: "httpSigningMiddleware",
    name: "compatBeforeSigning",
  });

  const command = new ListMicrovmsCommand({ maxResults: 5 });
  const listed = await sendAny(client, command);
  seen.middleware = { events, listed: Array.isArray(listed.items) };
  seen.stack = client.middlewareStack.identify().filter((entry) => /compat|logger|serializer|retry|Signing|deserializer|hostHeader|UserAgent|contentLength|recursion/.test(entry));

  seen.classes = {
    commandIsSmithyCommand: command instanceof SmithyCommand,
    commandIsDollarCommand: command instanceof $Command,
    dollarCommandIsSmithy: $Command === SmithyCommand,
    clientIsSmithyClient: client instanceof SmithyClient,
    clientIsDunderClient: client instanceof __Client,
    hasResolveWithContext: typeof command.resolveMiddlewareWithContext === "function",
    endpointInstructions: Object.keys(ListMicrovmsCommand.getEndpointParameterInstructions()).sort(),
    commandInput: command.input,
    noInputCommand: new ListMicrovmsCommand().input,
  };

  try {
    await client.send(new GetMicrovmCommand({ microvmIdentifier: "mvm-absent" }));
    seen.error = "none";
  } catch (error) {
    seen.error = {
      isServiceException: error instanceof ServiceException,
      isNotFound: error instanceof ResourceNotFoundException,
      name: (error as Error).name,
    };
  }
  client.destroy();

  // aws-sdk-client-mock stubs the client's send for commands matched by class and input.
  const mock = mockClient(LambdaMicrovmsClient);
  mock.on(RunMicrovmCommand).resolves({ microvmId: "mvm-mocked", state: "PENDING" });
  mock.on(GetMicrovmCommand, { microvmIdentifier: "mvm-mocked" }).rejects(new ResourceNotFoundException({ message: "gone", $metadata: {} }));
  const mocked = new LambdaMicrovmsClient({ region: target.region });
  const ran = await mocked.send(new RunMicrovmCommand({ imageIdentifier: "img" }));
  const rejected = await mocked.send(new GetMicrovmCommand({ microvmIdentifier: "mvm-mocked" })).catch((error: unknown) => error);
  seen.mock = {
    microvmId: ran.microvmId,
    rejected: rejected instanceof ResourceNotFoundException,
    calls: mock.commandCalls(RunMicrovmCommand).length,
    inputs: mock.calls().map((c) => (c.args[0] as { input: unknown }).input),
  };
  mock.restore();
  mocked.destroy();

  const pagination: LambdaMicrovmsPaginationConfiguration = { client, pageSize: 1 };
  const listInput: ListMicrovmsCommandInput = {};
  seen.types = { pageSize: pagination.pageSize, listInput };
  return seen;
}
