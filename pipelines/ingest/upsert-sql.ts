/**
 * Builds the set-based SQL that applies a validated batch to a raw table (SPEC §3): rows are
 * upserted by key, the newest batch wins, and each earlier version moves to `<table>_history`
 * with the batch that superseded it. Feedback additionally keeps one form per ticket: a newer
 * form for the same ticket replaces the older one (SPEC §2.4), which moves to history as `replaced`.
 *
 * Only rows whose key already exists are matched against the table (`<checked>_matched`), so a
 * first load streams straight from the validated rows into the table.
 */
import type { Kind } from './kinds.ts';
import { sqlIdent } from '../warehouse/warehouse.ts';

export interface Step {
  sql: string;
  /**
   * A query returning one row `{n}`: run `sql` only when n > 0. Moving versions to history scans
   * the whole table, which a batch of only new rows (the usual day) should not pay for.
   */
  onlyIf?: string;
}

export interface UpsertSql {
  /** Steps to run in order inside the batch's transaction. */
  statements: Step[];
  /** A query returning one row: accepted, inserted, updated, unchanged, replaced. */
  counts: string;
  /** Temp tables the statements create. */
  temp: string[];
}

/** @param checked the table made by buildValidateSql (accepted rows have an empty `_reasons`) */
export function buildUpsertSql(kind: Kind, checked: string, batchId: number): UpsertSql {
  const table = sqlIdent(kind.table);
  const history = sqlIdent(`${kind.table}_history`);
  const matched = `${checked}_matched`;
  const replacedInFile = `${checked}_replaced`;
  const cols = kind.columns.map((c) => sqlIdent(c.id));
  const keyOn = (a: string, b: string) => kind.key.map((k) => `${a}.${sqlIdent(k)} = ${b}.${sqlIdent(k)}`).join(' AND ');
  const same = [...cols.map((c) => `a.${c} IS NOT DISTINCT FROM e.${c}`), `CAST(a.extra AS VARCHAR) IS NOT DISTINCT FROM CAST(e.extra AS VARCHAR)`].join(' AND ');
  const accepted = 'len(a._reasons) = 0';
  const temp = [matched];

  const statements: Step[] = [
    { sql: `CREATE TEMP TABLE ${matched} AS
     SELECT a.line_no, ${kind.key.map((k) => `a.${sqlIdent(k)}`).join(', ')}, CASE WHEN ${same} THEN 'unchanged' ELSE 'updated' END AS _status
     FROM ${checked} a JOIN ${table} e ON ${keyOn('a', 'e')}
     WHERE ${accepted}` },
  ];
  const anyUpdated = { onlyIf: `SELECT count(*) AS n FROM ${matched} WHERE _status = 'updated'` };
  // Accepted rows that change the table: all but the unchanged ones (and, for feedback, the forms
  // replaced within this very file).
  let changing = `${accepted} AND NOT EXISTS (SELECT 1 FROM ${matched} m WHERE m.line_no = a.line_no AND m._status = 'unchanged')`;

  if (kind.replaces_on) {
    const on = sqlIdent(kind.replaces_on);
    temp.push(replacedInFile);
    statements.push(
      // Within the file, the form submitted last (then the later line) is the ticket's current form.
      { sql: `CREATE TEMP TABLE ${replacedInFile} AS
       SELECT line_no FROM (
         SELECT a.line_no, row_number() OVER (PARTITION BY a.${on} ORDER BY a.submitted_at DESC NULLS LAST, a.line_no DESC) AS rn
         FROM ${checked} a
         WHERE ${changing} AND a.${on} IN (SELECT x.${on} FROM ${checked} x WHERE len(x._reasons) = 0 GROUP BY 1 HAVING count(*) > 1))
       WHERE rn > 1` },
      { sql: `INSERT INTO ${history}
       SELECT ${cols.map((c) => `a.${c}`).join(', ')}, a.extra, ${batchId}, a.line_no, ${batchId}, 'replaced'
       FROM ${checked} a WHERE a.line_no IN (SELECT line_no FROM ${replacedInFile})` },
    );
    changing += ` AND a.line_no NOT IN (SELECT line_no FROM ${replacedInFile})`;
    // A current form of the same ticket under another key is replaced by the incoming one.
    const replacedExisting = `EXISTS (SELECT 1 FROM ${checked} a WHERE ${changing} AND a.${on} = e.${on})
         AND NOT EXISTS (SELECT 1 FROM ${checked} a WHERE ${accepted} AND ${keyOn('a', 'e')})`;
    statements.push(
      { sql: `INSERT INTO ${history} SELECT e.*, ${batchId}, 'replaced' FROM ${table} e WHERE ${replacedExisting}` },
      { sql: `DELETE FROM ${table} e WHERE ${replacedExisting}` },
    );
  }

  const updatedExisting = `EXISTS (SELECT 1 FROM ${matched} m WHERE m._status = 'updated' AND ${keyOn('m', 'e')})`;
  statements.push(
    { sql: `INSERT INTO ${history} SELECT e.*, ${batchId}, 'updated' FROM ${table} e WHERE ${updatedExisting}`, ...anyUpdated },
    { sql: `DELETE FROM ${table} e WHERE ${updatedExisting}`, ...anyUpdated },
    { sql: `INSERT INTO ${table} (${[...cols, 'extra', 'batch_id', 'line_no'].join(', ')})
     SELECT ${cols.map((c) => `a.${c}`).join(', ')}, a.extra, ${batchId}, a.line_no FROM ${checked} a WHERE ${changing}` },
  );

  const counts = `
    SELECT accepted, accepted - matched AS inserted, updated, unchanged, replaced FROM (
      SELECT (SELECT count(*) FROM ${checked} a WHERE ${accepted}) AS accepted,
             (SELECT count(*) FROM ${matched}) AS matched,
             (SELECT count(*) FROM ${matched} WHERE _status = 'updated') AS updated,
             (SELECT count(*) FROM ${matched} WHERE _status = 'unchanged') AS unchanged,
             (SELECT count(*) FROM ${history} WHERE superseded_by = ${batchId} AND change = 'replaced') AS replaced)`;
  return { statements, counts, temp };
}

/**
 * Warnings for references to records the warehouse does not know: the row is accepted and listed
 * for data quality (SPEC §2.3: a bonus can't be paid to an unknown person).
 */
export function buildWarningsSql(kind: Kind, checked: string, batchId: number): string[] {
  return kind.references.map(
    (ref) => `INSERT INTO batch_warnings
      SELECT ${batchId}, a.line_no, '${ref.column}', a.${sqlIdent(ref.column)}, 'unknown_reference',
        '${ref.column}: "' || a.${sqlIdent(ref.column)} || '" is not a known ${ref.table.replace(/s$/, '')} (${ref.table}.${ref.key})'
      FROM ${checked} a
      WHERE len(a._reasons) = 0 AND a.${sqlIdent(ref.column)} IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM ${sqlIdent(ref.table)} x WHERE x.${sqlIdent(ref.key)} = a.${sqlIdent(ref.column)})`,
  );
}
