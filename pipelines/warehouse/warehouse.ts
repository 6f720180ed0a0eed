/**
 * The embedded warehouse: one DuckDB file opened through @duckdb/node-api, with the numbered
 * migrations of sql/migrations applied on open and recorded in `schema_version`.
 */
import { DuckDBConnection, DuckDBInstance, DuckDBTypeId, type DuckDBValue } from '@duckdb/node-api';
import { readdirSync, readFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_DB_PATH = join(PROJECT_ROOT, 'data', 'warehouse.duckdb');
export const MIGRATIONS_DIR = join(PROJECT_ROOT, 'sql', 'migrations');

const NUMERIC_TYPES = new Set<DuckDBTypeId>([
  DuckDBTypeId.TINYINT, DuckDBTypeId.SMALLINT, DuckDBTypeId.INTEGER, DuckDBTypeId.BIGINT, DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UTINYINT, DuckDBTypeId.USMALLINT, DuckDBTypeId.UINTEGER, DuckDBTypeId.UBIGINT, DuckDBTypeId.UHUGEINT,
  DuckDBTypeId.DECIMAL,
]);

export type Params = DuckDBValue[] | Record<string, DuckDBValue>;
export type Row = Record<string, unknown>;

/**
 * What the connections of one database share: the open connections (so a shutdown can interrupt
 * every running query, not only the main connection's) and whether the database is closing.
 */
interface Shared {
  conns: Set<DuckDBConnection>;
  closing: boolean;
}

/** A query refused or cancelled because the warehouse is shutting down. */
export class WarehouseClosingError extends Error {
  override name = 'WarehouseClosingError';
  constructor() {
    super('the warehouse is closing; nothing more is written');
  }
}

export class Warehouse {
  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    readonly conn: DuckDBConnection,
    private readonly shared: Shared,
  ) {
    shared.conns.add(conn);
  }

  static async open(path: string = DEFAULT_DB_PATH): Promise<Warehouse> {
    if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
    // A commit checkpoints (rewrites changed row groups) once the WAL passes this size. The default
    // 16 MB made every incremental model refresh pay a checkpoint (2.8 s → 1.4 s on 3M tickets,
    // bench:kpi); the file is checkpointed on close. The cost: DuckDB keeps what the WAL holds in
    // memory (the soak test's server peaks near 1.9 GiB before a checkpoint frees it, docs/server.md
    // "Soak test") and a crash replay takes longer (6–15 s with 200–500 MiB of WAL).
    const instance = await DuckDBInstance.create(path, { checkpoint_threshold: '1GB' });
    const conn = await instance.connect();
    const wh = new Warehouse(path, instance, conn, { conns: new Set(), closing: false });
    await wh.migrate();
    return wh;
  }

  /**
   * Another connection to the same database: its own transactions, so a long write (an upload's
   * ingest) does not make reads on this connection wait, and they keep seeing committed data.
   * Close it with close(); the database stays open until its owner closes.
   */
  async session(): Promise<Warehouse> {
    if (this.shared.closing) throw new WarehouseClosingError();
    const conn = await this.instance.connect();
    const s = new Warehouse(this.path, this.instance, conn, this.shared);
    s.owner = false;
    return s;
  }

  private owner = true;

  /** Where archived originals and other files that belong to this warehouse are kept. */
  get filesDir(): string {
    return this.path === ':memory:' ? join(PROJECT_ROOT, 'data', 'memory-files') : `${this.path}.files`;
  }

  async run(sql: string, params?: Params): Promise<void> {
    this.refuseWhenClosing();
    await this.conn.run(sql, params);
  }

  /**
   * The start of a shutdown: every later query on any connection of this database is refused, and
   * every running one is cancelled (DuckDB's interrupt), so a long ingest or refresh fails at once
   * and its transaction rolls back. Then close() can release the file within a deadline.
   */
  interruptAll(): void {
    this.shared.closing = true;
    for (const c of this.shared.conns) c.interrupt();
  }

  /** A query between two statements of a cancelled job must not start it again: the flag is checked per query. */
  private refuseWhenClosing(): void {
    if (this.shared.closing) throw new WarehouseClosingError();
  }

  /**
   * Rows as plain JSON-safe objects: integers and decimals as numbers (counts and yuan fit a
   * double exactly), timestamps as 'YYYY-MM-DD HH:MM:SS' strings, lists and structs as JSON.
   */
  async all<T = Row>(sql: string, params?: Params): Promise<T[]> {
    this.refuseWhenClosing();
    const reader = await this.conn.runAndReadAll(sql, params);
    const rows = reader.getRowObjectsJson() as Record<string, unknown>[];
    const numeric = reader
      .columnTypes()
      .map((t, i) => (NUMERIC_TYPES.has(t.typeId) ? reader.columnName(i) : undefined))
      .filter((n): n is string => n !== undefined);
    if (numeric.length) {
      for (const r of rows) for (const n of numeric) if (r[n] !== null && r[n] !== undefined) r[n] = Number(r[n]);
    }
    return rows as T[];
  }

  async one<T = Row>(sql: string, params?: Params): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  /** Runs `fn` inside one transaction: all of it is committed, or none of it. */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    this.refuseWhenClosing();
    await this.conn.run('BEGIN TRANSACTION');
    try {
      const out = await fn();
      await this.conn.run('COMMIT');
      return out;
    } catch (err) {
      await this.conn.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  async migrate(): Promise<number[]> {
    await this.conn.run(
      `CREATE TABLE IF NOT EXISTS schema_version (
         version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)`,
    );
    const done = new Set(
      (await this.all<{ version: number }>('SELECT version FROM schema_version')).map((r) => r.version),
    );
    const applied: number[] = [];
    for (const m of listMigrations()) {
      if (done.has(m.version)) continue;
      await this.transaction(async () => {
        await this.conn.run(readFileSync(m.path, 'utf8'));
        await this.conn.run('INSERT INTO schema_version VALUES ($1, $2, now()::TIMESTAMP)', [m.version, m.name]);
      });
      applied.push(m.version);
    }
    return applied;
  }

  close(): void {
    if (!this.owner && !this.shared.conns.has(this.conn)) return; // closed with its database already
    this.shared.conns.delete(this.conn);
    this.conn.closeSync();
    if (this.owner) {
      // Sessions still open (a cancelled upload's) go with the database.
      for (const c of this.shared.conns) c.closeSync();
      this.shared.conns.clear();
      this.instance.closeSync();
    }
  }
}

export interface Migration {
  version: number;
  name: string;
  path: string;
}

export function listMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d+_.+\.sql$/.test(f))
    .map((f) => ({ version: Number(f.split('_')[0]), name: f.replace(/\.sql$/, ''), path: join(dir, f) }))
    .sort((a, b) => a.version - b.version);
}

/** Quote a string as a SQL literal (for values DuckDB cannot take as parameters, e.g. file paths in read_csv). */
export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/** Quote an identifier. */
export function sqlIdent(s: string): string {
  return `"${s.replaceAll('"', '""')}"`;
}
