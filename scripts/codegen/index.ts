/** Turns the model directory into the generated source files (path → contents). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadModel } from "./model.js";
import { emitErrors, emitModels } from "./emit-types.js";
import { emitAggregatedClient, emitCommands, emitPaginators, emitPartitions, emitSchema, emitServiceTypes } from "./emit-runtime.js";

export function generate(modelDir: string): Map<string, string> {
  const model = loadModel(modelDir);
  const partitions = JSON.parse(readFileSync(join(modelDir, "partitions.json"), "utf8"));
  const files = new Map<string, string>([
    ["src/models/models.generated.ts", emitModels(model)],
    ["src/models/errors.generated.ts", emitErrors(model)],
    ["src/protocol/schema.generated.ts", emitSchema(model)],
    ["src/client/LambdaMicrovms.generated.ts", emitAggregatedClient(model)],
    ["src/client/serviceTypes.generated.ts", emitServiceTypes(model)],
    ["src/pagination/paginators.generated.ts", emitPaginators(model)],
    ["src/endpoint/partitions.generated.ts", emitPartitions(partitions)],
  ]);
  for (const [path, text] of emitCommands(model)) files.set(path, text);
  return files;
}
