/**
 * The OpenTelemetry API, for programs that use it. `@opentelemetry/api` is an optional peer
 * dependency: it is looked for only once a tracer or meter provider is registered in the process,
 * which is one property read per call; when it is missing, or when nothing is registered, the
 * client loads nothing and does nothing more.
 *
 * Every copy of API 1.x keeps the registered providers in one global registry (so that copies
 * from different packages see the same provider). Reading that registry's keys tells whether
 * anything is registered without loading any copy.
 */
import type * as OtelApi from "@opentelemetry/api";

/** The `@opentelemetry/api` module. */
export type Api = typeof OtelApi;

/** Set by the build: true in the CommonJS build, false in the ES module build. */
declare const __LAMBDA_MICROVMS_CJS__: boolean | undefined;

/** Where API 1.x keeps what is registered (`trace`, `metrics`, `context`, `propagation`, `diag`). */
const REGISTRY = Symbol.for("opentelemetry.js.api.1");

interface Registry {
  trace?: unknown;
  metrics?: unknown;
}

function registry(): Registry | undefined {
  return (globalThis as unknown as Record<symbol, Registry | undefined>)[REGISTRY];
}

/** True when a tracer or meter provider is registered: the only check made on every call. */
export function otelRegistered(): boolean {
  const registered = registry();
  return registered !== undefined && (registered.trace !== undefined || registered.metrics !== undefined);
}

/** True when a tracer provider is registered. */
export function tracesRegistered(): boolean {
  return registry()?.trace !== undefined;
}

/** True when a meter provider is registered. */
export function metricsRegistered(): boolean {
  return registry()?.metrics !== undefined;
}

/** The API once loaded; null once it was found missing (then it is not looked for again). */
let loaded: Api | null | undefined;
let loading: Promise<Api | null> | undefined;

/**
 * The CommonJS build (which Node.js also runs for `import`) asks `require` (as `module.require`,
 * which the build leaves as it is), and finds the copy the program's SDK set-up already loaded. The ES module build, for bundlers, uses `import()`
 * inside `try`, which bundlers take as optional: they bundle the API when it is installed and
 * leave a failing import, caught here, when it is not.
 */
async function importApi(): Promise<Api | null> {
  if (typeof __LAMBDA_MICROVMS_CJS__ !== "undefined" && __LAMBDA_MICROVMS_CJS__) {
    try {
      return module.require("@opentelemetry/api") as Api;
    } catch {
      return null;
    }
  }
  try {
    const imported = (await import("@opentelemetry/api")) as Api & { default?: Api };
    return typeof imported.trace === "object" ? imported : (imported.default ?? null);
  } catch {
    return null;
  }
}

/** The API when a provider is registered and the API can be loaded; undefined otherwise. */
export async function loadApi(): Promise<Api | undefined> {
  if (!otelRegistered()) return undefined;
  if (loaded === undefined) {
    loading ??= importApi();
    loaded = await loading;
  }
  return loaded ?? undefined;
}

/** The API if {@link loadApi} has loaded it and a provider is still registered, without waiting. */
export function loadedApi(): Api | undefined {
  return loaded && otelRegistered() ? loaded : undefined;
}
