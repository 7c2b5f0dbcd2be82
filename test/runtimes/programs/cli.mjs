// The flow in a runtime with a command line (Node.js ES modules, Bun, Deno): the settings come
// as one JSON argument, the result goes to stdout as one line after "RESULT ".
import * as sdk from "lambda-microvms";
import { runFlow } from "./flow.mjs";

const settings = JSON.parse(globalThis.Deno?.args[0] ?? process.argv[2]);
const result = await runFlow(sdk, settings);
const entry = typeof import.meta.resolve === "function" ? import.meta.resolve("lambda-microvms") : undefined;
console.log(`RESULT ${JSON.stringify({ ...result, entry })}`);
