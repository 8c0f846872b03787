// A bounded set of recently seen strings: when full, the oldest entry makes room. A Map keeps insertion
// order, so the oldest is its first key; a hit is re-inserted so that busy entries stay.

export class RecentSet {
  private readonly entries = new Map<string, true>();

  /** `capacity`: most entries kept (0 keeps none). */
  constructor(private readonly capacity: number) {}

  has(value: string): boolean {
    if (!this.entries.has(value)) return false;
    this.entries.delete(value);
    this.entries.set(value, true);
    return true;
  }

  add(value: string): void {
    if (this.capacity === 0) return;
    this.entries.delete(value);
    this.entries.set(value, true);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
