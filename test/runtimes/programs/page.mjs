// A web page: the settings come in the page, the result (or the error) goes to window.flowResult.
import * as sdk from "lambda-microvms";
import { runFlow } from "./flow.mjs";

const settings = JSON.parse(document.getElementById("settings").textContent);
window.flowResult = runFlow(sdk, settings).then(
  (ok) => ({ ok }),
  (error) => ({ error: `${error.name}: ${error.message}` }),
);
