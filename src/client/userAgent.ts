/**
 * The user agent: `[name, version]` pairs as smithy types them, formatted as the AWS SDKs format
 * them (`name/version`, or `prefix/name#version` when the name has a prefix), characters outside
 * the header's token set replaced by `-`.
 */
import type { Provider, UserAgent, UserAgentPair } from "@smithy/types";
import { PACKAGE_NAME, PACKAGE_VERSION } from "./version";
import { runtimeUserAgent } from "../platform/runtime";

/** The pairs every call's user agent starts with: this package, the UA format, the runtime. */
export const defaultUserAgentProvider: Provider<UserAgent> = async () => [
  [PACKAGE_NAME, PACKAGE_VERSION],
  ["ua", "2.1"],
  ...runtimeUserAgent(),
  ["api/lambda-microvms", PACKAGE_VERSION],
];

/** A `customUserAgent` option as pairs (a string is one name). */
export function userAgentPairs(value: string | UserAgent | undefined): UserAgent | undefined {
  if (value === undefined) return undefined;
  return typeof value === "string" ? [[value]] : value;
}

const NAME_ESCAPE = /[^!$%&'*+\-.^_`|~\d\w]/g;
const VALUE_ESCAPE = /[^!$%&'*+\-.^_`|~\d\w#]/g;

function formatPair([name, version]: UserAgentPair): string {
  const escaped = name
    .split("/")
    .map((part) => part.replace(NAME_ESCAPE, "-"))
    .join("/");
  const slash = escaped.indexOf("/");
  const prefix = slash < 0 ? "" : escaped.slice(0, slash);
  const rest = slash < 0 ? escaped : escaped.slice(slash + 1);
  const parts = [prefix, prefix === "api" ? rest.toLowerCase() : rest, version?.replace(VALUE_ESCAPE, "-")].filter((p): p is string => Boolean(p));
  return parts.reduce((text, part, i) => (i === 0 ? part : i === 1 ? `${text}/${part}` : `${text}#${part}`), "");
}

/** The `user-agent` header value: the default pairs, `app/<id>`, then the caller's own. */
export function formatUserAgent(defaults: UserAgent, appId: string | undefined, custom: UserAgent | undefined): string {
  const pairs: UserAgentPair[] = [...defaults];
  if (appId) pairs.push(["app", appId]);
  if (custom) pairs.push(...custom);
  return pairs.map(formatPair).join(" ");
}
