/**
 * The failure convention: a code artifact URI whose query has `outcome=fail`
 * (`s3://bucket/app.zip?outcome=fail`) makes the build fail, so tests can reach the failure
 * states on purpose.
 */
import type { CodeArtifact } from "./models";

export function buildShouldFail(artifact: CodeArtifact): boolean {
  const uri = artifact.uri;
  if (typeof uri !== "string") return false;
  const q = uri.indexOf("?");
  if (q < 0) return false;
  return new URLSearchParams(uri.slice(q + 1)).getAll("outcome").includes("fail");
}

export const FAILURE_REASON =
  "The build failed: the code artifact asked for a failed build (outcome=fail). Fix the artifact and update the image.";
