/** Emits the runtime pieces: serde tables, commands, the aggregated client, paginators. */
import type { ServiceModel } from "./model.js";
import { HEADER } from "./emit-types.js";
import { errorSummaries, operationSummaries } from "./docs.js";

const lowerFirst = (s: string): string => s[0]!.toLowerCase() + s.slice(1);

/** `src/protocol/schema.generated.ts`: shapes, operations and paginators as data. */
export function emitSchema(model: ServiceModel): string {
  const names = Object.keys(model.operations);
  const json = (value: unknown): string => JSON.stringify(value);
  const shapes = Object.entries(model.shapes).map(([n, s]) => `  ${n}: ${json(s)},\n`).join("");
  // The errors are for the docs only; the runtime finds error classes by code.
  const operations = Object.entries(model.operations).map(([n, { errors: _errors, ...o }]) => `  ${n}: ${json(o)},\n`).join("");
  const paginators = Object.entries(model.paginators).map(([n, p]) => `  ${n}: ${json(p)},\n`).join("");
  return (
    HEADER +
    `import type { OperationSchema, PaginatorSchema, ShapeSchema } from "./schema";\n\n` +
    `export const SERVICE = ${json({ apiVersion: model.apiVersion, signingName: model.signingName, serviceId: model.serviceId })} as const;\n\n` +
    `export type OperationName =\n${names.map((n) => `  | ${json(n)}`).join("\n")};\n\n` +
    `export const shapes: Readonly<Record<string, ShapeSchema>> = {\n${shapes}};\n\n` +
    `export const operations: Readonly<Record<OperationName, OperationSchema>> = {\n${operations}};\n\n` +
    `export const paginators: Readonly<Partial<Record<OperationName, PaginatorSchema>>> = {\n${paginators}};\n`
  );
}

function emitCommand(model: ServiceModel, name: string): string {
  const op = model.operations[name]!;
  const throws = op.errors.map((e) => ` * @throws {@link ${e}} ${errorSummaries[e] ?? ""}\n`).join("");
  return (
    HEADER +
    `import type { MetadataBearer } from "@smithy/types";\n` +
    `import { LambdaMicrovmsCommand } from "../client/command";\n` +
    `import type { ${[...new Set([op.input, op.output])].join(", ")} } from "../models/models.generated";\n` +
    `import { operations } from "../protocol/schema.generated";\n\n` +
    `/** Input of {@link ${name}Command}. */\n` +
    `export interface ${name}CommandInput extends ${op.input} {}\n` +
    `/** Output of {@link ${name}Command}, with the response metadata. */\n` +
    `export interface ${name}CommandOutput extends ${op.output}, MetadataBearer {}\n\n` +
    `/**\n * ${operationSummaries[name] ?? name}\n *\n * \`${op.method} ${op.uri}\`\n *\n${throws}` +
    ` * @throws {@link LambdaMicrovmsServiceException} for any other error of the service.\n */\n` +
    `export class ${name}Command extends LambdaMicrovmsCommand<${name}CommandInput, ${name}CommandOutput> {\n` +
    `  constructor(input: ${name}CommandInput) {\n` +
    `    super(input, operations.${name});\n` +
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

/** `src/client/LambdaMicrovms.generated.ts`: the client with one method per operation. */
export function emitAggregatedClient(model: ServiceModel): string {
  const names = Object.keys(model.operations);
  const imports = names
    .map((n) => `import { ${n}Command, type ${n}CommandInput, type ${n}CommandOutput } from "../commands/${n}Command";\n`)
    .join("");
  const methods = names
    .map(
      (n) =>
        `  /** ${operationSummaries[n] ?? n} See {@link ${n}Command}. */\n` +
        `  ${lowerFirst(n)}(input: ${n}CommandInput, options?: HttpHandlerOptions): Promise<${n}CommandOutput>;\n` +
        `  ${lowerFirst(n)}(input: ${n}CommandInput, callback: Callback<${n}CommandOutput>): void;\n` +
        `  ${lowerFirst(n)}(input: ${n}CommandInput, options: HttpHandlerOptions, callback: Callback<${n}CommandOutput>): void;\n` +
        `  ${lowerFirst(n)}(input: ${n}CommandInput, optionsOrCallback?: HttpHandlerOptions | Callback<${n}CommandOutput>, callback?: Callback<${n}CommandOutput>): Promise<${n}CommandOutput> | void {\n` +
        `    return send(this, new ${n}Command(input), optionsOrCallback, callback);\n  }\n`,
    )
    .join("\n");
  return (
    HEADER +
    `import type { HttpHandlerOptions } from "@smithy/types";\n` +
    `import { LambdaMicrovmsClient } from "./LambdaMicrovmsClient";\n` +
    `import { send, type Callback } from "./sendWithCallback";\n` +
    imports +
    `\n/** The client with a method per operation: \`await microvms.getMicrovm({ microvmIdentifier })\`. */\n` +
    `export class LambdaMicrovms extends LambdaMicrovmsClient {\n${methods}}\n`
  );
}

/** `src/pagination/paginators.generated.ts`: one line per paginated operation. */
export function emitPaginators(model: ServiceModel): string {
  const names = Object.keys(model.paginators);
  const imports = names.map((n) => `import { ${n}Command } from "../commands/${n}Command";\n`).join("");
  const lines = names
    .map(
      (n) =>
        `/** Pages through {@link ${n}Command}; see {@link createPaginator}. */\n` +
        `export const paginate${n.replace(/^List/, "List")} = /* @__PURE__ */ createPaginator(${n}Command, "${n}");\n`,
    )
    .join("\n");
  return (
    HEADER +
    `import { createPaginator } from "./createPaginator";\n` +
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
