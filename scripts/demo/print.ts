/** Terse, timed output for the demo. */
const started = Date.now();

const clock = (): string => `${((Date.now() - started) / 1000).toFixed(2).padStart(6)}s`;

export function step(title: string): void {
  process.stdout.write(`\n${clock()}  ${title}\n`);
}

export function line(text: string): void {
  process.stdout.write(`         ${text}\n`);
}

/** Polls `read` until `done`, printing each new state with the time it was first seen. */
export async function watch<T>(
  what: string,
  read: () => Promise<T>,
  state: (value: T) => string,
  done: (value: T) => boolean,
  pollMs: number,
  timeoutMs = 10 * 60_000,
): Promise<T> {
  const from = Date.now();
  const seen: string[] = [];
  let last: string | undefined;
  for (;;) {
    const value = await read();
    const s = state(value);
    if (s !== last) {
      seen.push(`${s} @${((Date.now() - from) / 1000).toFixed(2)}s`);
      last = s;
    }
    if (done(value)) {
      line(`${what}: ${seen.join(" → ")}`);
      return value;
    }
    if (Date.now() - from > timeoutMs) throw new Error(`${what} did not settle in ${timeoutMs / 1000}s (last state ${s})`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
