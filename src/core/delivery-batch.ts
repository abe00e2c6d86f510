// Knows which proxy challenges reached the worker in the same delivery batch of the browser.

/**
 * Why: Firefox hands webRequest events to the extension in batches (everything queued within one
 * idle slice of up to 250 ms) and passes the answers of a batch back to the network only once every
 * listener call of that batch has answered. So a request that waits for another request's verdict
 * must never be in that other request's batch: the other's answer would never leave, and both would
 * wait forever. The listener calls of one batch run in one synchronous turn, before any microtask;
 * Chrome calls each listener in a task of its own, so there every batch holds one challenge.
 */
export class DeliveryBatches {
  private current = 0;
  private open = false;
  /** requestId → the batch of its latest challenge. */
  private readonly batchOf = new Map<string, number>();
  /** batch → group (proxy + realm) → challenges of that group in the batch. */
  private readonly counts = new Map<number, Map<string, number>>();

  constructor(
    private readonly defer: (fn: () => void) => void = (fn) => queueMicrotask(fn),
    /** Batches remembered; older ones are long answered. */
    private readonly keep = 256,
  ) {}

  /** Notes one challenge; call it synchronously from the listener, before any await. */
  note(requestId: string, group: string): number {
    if (!this.open) {
      this.open = true;
      this.current++;
      this.defer(() => {
        this.open = false;
      });
      this.prune();
    }
    const batch = this.current;
    this.batchOf.delete(requestId);
    this.batchOf.set(requestId, batch);
    const groups = this.counts.get(batch) ?? new Map<string, number>();
    groups.set(group, (groups.get(group) ?? 0) + 1);
    this.counts.set(batch, groups);
    return batch;
  }

  /** How many challenges of `group` came in the same batch as `requestId`'s latest one (itself included; 0 if unknown). */
  size(requestId: string, group: string): number {
    const batch = this.batchOf.get(requestId);
    return batch === undefined ? 0 : (this.counts.get(batch)?.get(group) ?? 0);
  }

  /**
   * How many challenges of groups other than `group` came in the same batch as `requestId`'s latest
   * one. A call held for the user would hold their answers too (Firefox), so it must not be held.
   */
  othersThan(requestId: string, group: string): number {
    const batch = this.batchOf.get(requestId);
    const groups = batch === undefined ? undefined : this.counts.get(batch);
    let n = 0;
    for (const [g, count] of groups ?? []) if (g !== group) n += count;
    return n;
  }

  private prune(): void {
    const oldest = this.current - this.keep;
    for (const batch of this.counts.keys()) if (batch < oldest) this.counts.delete(batch);
    for (const [id, batch] of this.batchOf) {
      if (batch >= oldest) break; // insertion order is batch order
      this.batchOf.delete(id);
    }
  }
}
