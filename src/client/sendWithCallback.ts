/** The aggregated client's methods accept a Node-style callback too, as the official client's do. */
import type { HttpHandlerOptions, MetadataBearer } from "@smithy/types";
import type { LambdaMicrovmsClient } from "./LambdaMicrovmsClient";
import type { LambdaMicrovmsCommand } from "./command";

/** A Node-style callback: an error, or the output. */
export type Callback<Output> = (error: unknown, output?: Output) => void;

export function send<I extends object, O extends MetadataBearer>(
  client: LambdaMicrovmsClient,
  command: LambdaMicrovmsCommand<I, O>,
  optionsOrCallback?: HttpHandlerOptions | Callback<O>,
  callback?: Callback<O>,
): Promise<O> | void {
  const done = typeof optionsOrCallback === "function" ? optionsOrCallback : callback;
  const options = typeof optionsOrCallback === "function" ? undefined : optionsOrCallback;
  const pending = client.send(command, options);
  if (!done) return pending;
  pending.then(
    (output) => done(null, output),
    (error: unknown) => done(error),
  );
}
