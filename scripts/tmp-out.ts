import { build } from "esbuild";
import { writeFileSync } from "node:fs";
const r = await build({ stdin: { contents: `import { LambdaMicrovmsClient, GetMicrovmCommand } from "./dist/index.js"; const c = new LambdaMicrovmsClient({ region: "us-east-1" }); console.log(await c.send(new GetMicrovmCommand({ microvmIdentifier: "x" })));`, resolveDir: "/work/main", loader: "js" }, bundle: true, minify: false, format: "esm", platform: "node", target: "node18", mainFields: ["module", "main"], write: false, logLevel: "silent" });
writeFileSync("/tmp/exp/onecmd.js", r.outputFiles[0]!.contents);
