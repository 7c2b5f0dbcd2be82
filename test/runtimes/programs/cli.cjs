// The flow in Node.js CommonJS: the package is loaded with require.
const sdk = require("lambda-microvms");

const settings = JSON.parse(process.argv[2]);
import("./flow.mjs")
  .then(({ runFlow }) => runFlow(sdk, settings))
  .then((result) => console.log(`RESULT ${JSON.stringify({ ...result, entry: require.resolve("lambda-microvms") })}`))
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
