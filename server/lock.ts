/**
 * The warehouse is one DuckDB connection shared by every request. A mutation runs as a transaction
 * on that connection (BEGIN … COMMIT); a read that ran in between would see the uncommitted state,
 * and a second writer would be committed or rolled back with the first. So requests hold a
 * readers–writer lock: reads share it, mutations have it alone. Writers are preferred, so a steady
 * stream of reads cannot starve a close or an allocation.
 */
export class RwLock {
  private readers = 0;
  private writer = false;
  private readonly queue: { write: boolean; wake: () => void }[] = [];

  async read<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire(false);
    try {
      return await fn();
    } finally {
      this.readers--;
      this.drain();
    }
  }

  async write<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire(true);
    try {
      return await fn();
    } finally {
      this.writer = false;
      this.drain();
    }
  }

  private acquire(write: boolean): Promise<void> {
    if (!this.writer && this.queue.length === 0 && (write ? this.readers === 0 : true)) {
      if (write) this.writer = true;
      else this.readers++;
      return Promise.resolve();
    }
    return new Promise((wake) => this.queue.push({ write, wake }));
  }

  private drain(): void {
    while (this.queue.length && !this.writer) {
      const next = this.queue[0]!;
      if (next.write) {
        if (this.readers > 0) return;
        this.queue.shift();
        this.writer = true;
        next.wake();
        return;
      }
      this.queue.shift();
      this.readers++;
      next.wake();
    }
  }
}
