/**
 * An AbortSignal stand-in that never fires and keeps its listeners, by event type and function
 * name, so a test can check that none is left behind once a wait or an attempt is over.
 */
export function listeningSignal(): { signal: AbortSignal; listeners: Set<string> } {
  const listeners = new Set<string>();
  const signal = {
    aborted: false,
    reason: undefined as unknown,
    addEventListener: (type: string, fn: () => void) => listeners.add(`${type} ${fn.name}`),
    removeEventListener: (type: string, fn: () => void) => listeners.delete(`${type} ${fn.name}`),
  };
  return { signal: signal as unknown as AbortSignal, listeners };
}
