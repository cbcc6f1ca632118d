/**
 * Wake-ups for the subscriptions of one store, whatever tells it that something was appended
 * (PostgreSQL NOTIFY, an EventStoreDB live subscription, an append in this process). A wake-up
 * that comes while a subscription is busy is remembered (a generation counter), never lost.
 */
export class WakeSignal {
  private readonly waiters = new Set<() => void>();
  private generation = 0;

  /**
   * A wait function for one subscription: returns at once if woken since its last wait, else on
   * the next wake-up, its timeout or its abort. `beforeWait` lets the source (re)connect lazily.
   */
  waiter(beforeWait?: () => void): (timeoutMs: number, signal: AbortSignal) => Promise<void> {
    let seen = this.generation;
    return async (timeoutMs, signal) => {
      if (signal.aborted) return;
      beforeWait?.();
      if (this.generation === seen) await this.wait(timeoutMs, signal);
      seen = this.generation;
    };
  }

  wakeAll(): void {
    this.generation++;
    const waiting = [...this.waiters];
    this.waiters.clear();
    waiting.forEach((wake) => wake());
  }

  private wait(timeoutMs: number, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal.addEventListener('abort', done, { once: true });
      this.waiters.add(done);
    });
  }
}
