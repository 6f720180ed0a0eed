/**
 * A few extra connections to the warehouse for GET requests. DuckDB gives every connection its own
 * MVCC snapshot per query, so reads here never see another request's open transaction and never
 * wait for a writer: a refresh or an upload commits atomically and the next read sees it. Mutations
 * keep the one main connection under the write lock (server/lock.ts).
 */
import type { Warehouse } from '../pipelines/warehouse/warehouse.ts';

export const DEFAULT_READ_CONNECTIONS = 4;

export class ReadPool {
  private free: Warehouse[] = [];
  private all: Warehouse[] = [];
  private waiting: ((wh: Warehouse) => void)[] = [];
  private opening = 0;
  private closed = false;

  constructor(
    private readonly wh: Warehouse,
    private readonly size: number = DEFAULT_READ_CONNECTIONS,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`read connections must be a positive integer, got ${size}`);
  }

  /** Runs `fn` with a pooled connection; waits for one when all are busy. */
  async use<T>(fn: (wh: Warehouse) => Promise<T>): Promise<T> {
    const conn = await this.acquire();
    try {
      return await fn(conn);
    } finally {
      this.release(conn);
    }
  }

  private async acquire(): Promise<Warehouse> {
    if (this.closed) throw new Error('read pool closed');
    const ready = this.free.pop();
    if (ready) return ready;
    if (this.all.length + this.opening < this.size) {
      this.opening++;
      try {
        const s = await this.wh.session();
        this.all.push(s);
        return s;
      } finally {
        this.opening--;
      }
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(conn: Warehouse): void {
    const next = this.waiting.shift();
    if (next) next(conn);
    else this.free.push(conn);
  }

  close(): void {
    this.closed = true;
    for (const s of this.all) s.close();
    this.all = [];
    this.free = [];
  }
}
