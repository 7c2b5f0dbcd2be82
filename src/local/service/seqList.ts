/**
 * Records kept in `seq` order (the order they were made), so that a page "after item N" starts
 * with a binary search instead of a scan of everything ever made.
 */
export class SeqList<T extends { readonly seq: number }> {
  private readonly items: T[] = [];

  // Stryker disable next-line BlockStatement: only decides whether an empty per-image list is dropped; an empty list lists nothing either way
  get size(): number {
    return this.items.length;
  }

  /** Adds a record: each is added when it is made, so with a greater `seq` than all before it. */
  add(item: T): void {
    this.items.push(item);
  }

  remove(item: T): void {
    const at = this.firstAfter(item.seq - 1);
    if (this.items[at] === item) this.items.splice(at, 1);
  }

  /** The records with `seq` greater than `after`, in order. */
  *after(after: number): IterableIterator<T> {
    for (let i = this.firstAfter(after); i < this.items.length; i++) yield this.items[i]!;
  }

  values(): readonly T[] {
    return this.items;
  }

  /** Index of the first record whose seq is greater than `seq`. */
  private firstAfter(seq: number): number {
    let low = 0;
    let high = this.items.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.items[mid]!.seq <= seq) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
