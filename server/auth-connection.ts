/**
 * Sign-in and sign-out have a connection of their own (issue 11 item 15): on the main connection
 * they waited behind the warehouse write lock, which a model refresh holds for seconds. They touch
 * only users, sessions and the audit log, in short statements that DuckDB's MVCC keeps apart from a
 * refresh's transaction; a queue runs them one at a time on this connection, so one's statements
 * never interleave with another's.
 */
import type { Warehouse } from '../pipelines/warehouse/warehouse.ts';

export class AuthConnection {
  private conn: Promise<Warehouse> | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly wh: Warehouse) {}

  use<T>(fn: (wh: Warehouse) => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => fn(await (this.conn ??= this.wh.session())));
    this.queue = run.catch(() => undefined);
    return run;
  }
}
