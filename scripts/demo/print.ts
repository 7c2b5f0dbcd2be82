/** Terse, timed output for the demo. */
const started = Date.now();

const clock = (): string => `${((Date.now() - started) / 1000).toFixed(2).padStart(6)}s`;

export function step(title: string): void {
  process.stdout.write(`\n${clock()}  ${title}\n`);
}

export function line(text: string): void {
  process.stdout.write(`         ${text}\n`);
}

/**
 * Follows a waiter through its `onPoll` events and prints the states it passed through, each
 * with the time it was first seen: `image: CREATING @0.00s → CREATED @0.61s`.
 */
export function progress<T>(what: string, state: (event: { response?: T; error?: unknown }) => string) {
  const from = Date.now();
  const seen: string[] = [];
  let last: string | undefined;
  return {
    onPoll(event: { response?: T; error?: unknown }): void {
      const s = state(event);
      if (s === last) return;
      seen.push(`${s} @${((Date.now() - from) / 1000).toFixed(2)}s`);
      last = s;
    },
    print(): void {
      line(`${what}: ${seen.join(" → ")}`);
    },
  };
}
