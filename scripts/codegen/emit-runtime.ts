/** Emits the runtime pieces: serde tables, commands, the aggregated client, paginators. */
import type { ServiceModel } from "./model.js";
import { HEADER } from "./emit-types.js";
import { errorSummaries, operationSummaries } from "./docs.js";

const lowerFirst = (s: string): string => s[0]!.toLowerCase() + s.slice(1);

/** The shapes a shape refers to, itself included (members, list members, map keys and values). */
function closure(model: ServiceModel, name: string, seen = new Set<string>()): Set<string> {
  if (seen.has(name)) return seen;
  seen.add(name);
  const shape = model.shapes[name]!;
  if (shape.type === "list") closure(model, shape.member, seen);
  if (shape.type === "map") [shape.key, shape.value].forEach((n) => closure(model, n, seen));
  if (shape.type === "structure") Object.values(shape.members).forEach((m) => closure(model, m.shape, seen));
  return seen;
}

/**
 * `src/protocol/schema.generated.ts`: shapes, operations and paginators as data. Each shape and
 * each operation is a constant of its own, and each operation lists the shapes it reaches, so
 * that a bundle of one command keeps that operation's few shapes rather than the whole table.
 */
export function emitSchema(model: ServiceModel): string {
  const names = Object.keys(model.operations);
  const json = (value: unknown): string => JSON.stringify(value);
  const shapeConst = (name: string): string => `s_${name}`;
  const table = (list: Iterable<string>): string => `{ ${[...list].map((n) => `${n}: ${shapeConst(n)}`).join(", ")} }`;
  const shapes = Object.entries(model.shapes).map(([n, s]) => `const ${shapeConst(n)}: ShapeSchema = ${json(s)};\n`).join("");
  const errors = Object.entries(model.shapes).filter(([, s]) => s.type === "structure" && s.error).map(([n]) => n);
  // The errors are for the docs only; the runtime finds error classes by code.
  const operations = Object.entries(model.operations)
    .map(([n, { errors: _errors, ...o }]) => {
      const reached = [...closure(model, o.input), ...closure(model, o.output)].sort();
      // A plain literal, not a spread: bundlers keep a spread (it may run getters), which would keep every operation.
      return `/** ${n}: its route and the shapes its input and output reach. */\nexport const ${n}Operation: OperationSchema = ${json(o).slice(0, -1)}, shapes: ${table(new Set(reached))} };\n`;
    })
    .join("");
  const paginators = Object.entries(model.paginators).map(([n, p]) => `  ${n}: ${json(p)},\n`).join("");
  return (
    HEADER +
    `import type { OperationSchema, PaginatorSchema, ShapeSchema } from "./schema";\n\n` +
    `export const SERVICE = ${json({ apiVersion: model.apiVersion, signingName: model.signingName, serviceId: model.serviceId })} as const;\n\n` +
    `export type OperationName =\n${names.map((n) => `  | ${json(n)}`).join("\n")};\n\n` +
    shapes +
    `\n/** Every shape, by name (the emulator and tools use the whole table). */\n` +
    `export const shapes: Readonly<Record<string, ShapeSchema>> = ${table(Object.keys(model.shapes))};\n\n` +
    `/** The error shapes and the shapes they reach, for reading any error the service returns. */\n` +
    `export const errorShapes: Readonly<Record<string, ShapeSchema>> = ${table(new Set(errors.flatMap((e) => [...closure(model, e)]).sort()))};\n\n` +
    operations +
    `\n/** Every operation, by name. */\n` +
    `export const operations: Readonly<Record<OperationName, OperationSchema>> = { ${names.map((n) => `${n}: ${n}Operation`).join(", ")} };\n\n` +
    `export const paginators: Readonly<Partial<Record<OperationName, PaginatorSchema>>> = {\n${paginators}};\n`
  );
}

/** True when the operation's input has no required member, so that the command may be made with no argument. */
function inputIsOptional(model: ServiceModel, name: string): boolean {
  const input = model.shapes[model.operations[name]!.input]!;
  return input.type === "structure" && !(input.required ?? []).length;
}

function emitCommand(model: ServiceModel, name: string): string {
  const op = model.operations[name]!;
  const throws = op.errors.map((e) => ` * @throws {@link ${e}} ${errorSummaries[e] ?? ""}\n`).join("");
  const parameters = inputIsOptional(model, name) ? `...[input]: [] | [${name}CommandInput]` : `input: ${name}CommandInput`;
  return (
    HEADER +
    `import type { MetadataBearer as __MetadataBearer } from "@smithy/types";\n` +
    `import { LambdaMicrovmsCommand } from "../client/command";\n` +
    `import type { ${[...new Set([op.input, op.output])].join(", ")} } from "../models/models.generated";\n` +
    `import { ${name}Operation } from "../protocol/schema.generated";\n\n` +
    `export { $Command } from "../client/command";\n` +
    `export type { __MetadataBearer };\n\n` +
    `/** Input of {@link ${name}Command}. */\n` +
    `export interface ${name}CommandInput extends ${op.input} {}\n` +
    `/** Output of {@link ${name}Command}, with the response metadata. */\n` +
    `export interface ${name}CommandOutput extends ${op.output}, __MetadataBearer {}\n\n` +
    `/**\n * ${operationSummaries[name] ?? name}\n *\n * \`${op.method} ${op.uri}\`\n *\n${throws}` +
    ` * @throws {@link LambdaMicrovmsServiceException} for any other error of the service.\n */\n` +
    `export class ${name}Command extends LambdaMicrovmsCommand<${name}CommandInput, ${name}CommandOutput> {\n` +
    `  constructor(${parameters}) {\n` +
    `    super(input, ${name}Operation);\n` +
    `  }\n}\n`
  );
}

/** `src/commands/*.ts`, keyed by path relative to the project root. */
export function emitCommands(model: ServiceModel): Map<string, string> {
  const files = new Map<string, string>();
  const names = Object.keys(model.operations);
  for (const name of names) files.set(`src/commands/${name}Command.ts`, emitCommand(model, name));
  files.set("src/commands/index.ts", HEADER + names.map((n) => `export * from "./${n}Command";\n`).join(""));
  return files;
}

/** `src/client/serviceTypes.generated.ts`: the unions of every command's input and output. */
export function emitServiceTypes(model: ServiceModel): string {
  const names = Object.keys(model.operations);
  const imports = names.map((n) => `import type { ${n}CommandInput, ${n}CommandOutput } from "../commands/${n}Command";\n`).join("");
  const union = (suffix: string): string => names.map((n) => `\n  | ${n}Command${suffix}`).join("");
  return (
    HEADER +
    imports +
    `\n/** The input of any command of this client. */\nexport type ServiceInputTypes =${union("Input")};\n` +
    `\n/** The output of any command of this client. */\nexport type ServiceOutputTypes =${union("Output")};\n`
  );
}

function aggregatedMethods(model: ServiceModel, name: string): string {
  const method = lowerFirst(name);
  const io = (suffix: string): string => `${name}Command${suffix}`;
  // The error of a callback is \`any\`, as in the official client, so that \`err.message\` compiles the same.
  const callback = `cb: (err: any, data?: ${io("Output")}) => void`;
  return (
    `  /** ${operationSummaries[name] ?? name} See {@link ${name}Command}. */\n` +
    (inputIsOptional(model, name) ? `  ${method}(): Promise<${io("Output")}>;\n` : "") +
    `  ${method}(args: ${io("Input")}, options?: HttpHandlerOptions): Promise<${io("Output")}>;\n` +
    `  ${method}(args: ${io("Input")}, ${callback}): void;\n` +
    `  ${method}(args: ${io("Input")}, options: HttpHandlerOptions, ${callback}): void;\n`
  );
}

function aggregatedPaginator(model: ServiceModel, name: string): string {
  const args = inputIsOptional(model, name) ? "args?" : "args";
  return (
    `  /** Pages through {@link ${name}Command}; see {@link paginate${name}}. */\n` +
    `  paginate${name}(${args}: ${name}CommandInput, paginationConfig?: Omit<LambdaMicrovmsPaginationConfiguration, "client">): LambdaMicrovmsPaginator<${name}CommandOutput>;\n`
  );
}

/**
 * \`src/client/LambdaMicrovms.generated.ts\`: the client with one method per operation and one per
 * paginator. As in the official client, the methods are declared on an interface merged with the
 * class (so that callers can augment it) and put on the prototype by smithy's
 * \`createAggregatedClient\`, here at the first construction: a bundle that never makes this client
 * keeps none of the commands.
 */
export function emitAggregatedClient(model: ServiceModel): string {
  const names = Object.keys(model.operations);
  const pages = Object.keys(model.paginators);
  const imports = names.map((n) => `import { ${n}Command, type ${n}CommandInput, type ${n}CommandOutput } from "../commands/${n}Command";\n`).join("");
  return (
    HEADER +
    `import { createAggregatedClient } from "@smithy/core/client";\n` +
    `import type { CheckOptionalClientConfig, HttpHandlerOptions } from "@smithy/types";\n` +
    `import { LambdaMicrovmsClient } from "./LambdaMicrovmsClient";\n` +
    `import type { LambdaMicrovmsClientConfig } from "./configTypes";\n` +
    `import type { LambdaMicrovmsPaginationConfiguration, LambdaMicrovmsPaginator } from "../pagination/createPaginator";\n` +
    `import { ${pages.map((n) => `paginate${n}`).join(", ")} } from "../pagination/paginators.generated";\n` +
    imports +
    `\n/** The client with a method per operation: \`await microvms.getMicrovm({ microvmIdentifier })\`. */\n` +
    `export interface LambdaMicrovms {\n${names.map((n) => aggregatedMethods(model, n)).join("\n")}\n${pages.map((n) => aggregatedPaginator(model, n)).join("\n")}}\n\n` +
    `let methodsInstalled = false;\n\n` +
    `/** Puts the operation and paginator methods on the prototype, once. */\n` +
    `function installMethods(): void {\n` +
    `  if (methodsInstalled) return;\n` +
    `  methodsInstalled = true;\n` +
    `  createAggregatedClient(\n` +
    `    { ${names.map((n) => `${n}Command`).join(", ")} },\n` +
    `    LambdaMicrovms,\n` +
    `    { paginators: { ${pages.map((n) => `paginate${n}`).join(", ")} } },\n` +
    `  );\n` +
    `}\n\n` +
    `/** {@link LambdaMicrovmsClient} with a method per operation and per paginator. */\n` +
    `export class LambdaMicrovms extends LambdaMicrovmsClient implements LambdaMicrovms {\n` +
    `  constructor(...[configuration]: CheckOptionalClientConfig<LambdaMicrovmsClientConfig>) {\n` +
    `    super(configuration ?? {});\n` +
    `    installMethods();\n` +
    `  }\n}\n`
  );
}

/** `src/pagination/paginators.generated.ts`: one line per paginated operation. */
export function emitPaginators(model: ServiceModel): string {
  const names = Object.keys(model.paginators);
  const imports = names.map((n) => `import { ${n}Command } from "../commands/${n}Command";\n`).join("");
  const lines = names
    .map(
      (n) =>
        `/** Pages through {@link ${n}Command}; see {@link LambdaMicrovmsPaginationConfiguration}. */\n` +
        `export const paginate${n.replace(/^List/, "List")} = /* @__PURE__ */ createPaginator(${n}Command, "${n}");\n`,
    )
    .join("\n");
  return (
    HEADER +
    `import { createPaginator, type LambdaMicrovmsPaginationConfiguration } from "./createPaginator";\n` +
    imports +
    "\n" +
    lines
  );
}

interface PartitionsDocument {
  partitions: { id: string; regionRegex: string; regions: Record<string, unknown>; outputs: Record<string, unknown> }[];
}

/** `src/endpoint/partitions.generated.ts`: what the endpoint resolver needs of partitions.json. */
export function emitPartitions(doc: PartitionsDocument): string {
  const rows = doc.partitions.map((p) => {
    const outputs = p.outputs as { dnsSuffix: string; dualStackDnsSuffix: string; supportsFIPS: boolean; supportsDualStack: boolean };
    const row = {
      id: p.id,
      regionRegex: p.regionRegex,
      regions: Object.keys(p.regions).sort(),
      dnsSuffix: outputs.dnsSuffix,
      dualStackDnsSuffix: outputs.dualStackDnsSuffix,
      supportsFIPS: outputs.supportsFIPS,
      supportsDualStack: outputs.supportsDualStack,
    };
    return `  ${JSON.stringify(row)},\n`;
  });
  return (
    HEADER +
    `import type { Partition } from "./partition";\n\n` +
    `export const partitions: readonly Partition[] = [\n${rows.join("")}];\n`
  );
}
