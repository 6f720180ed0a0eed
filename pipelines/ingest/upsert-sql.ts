/**
 * Builds the set-based SQL that applies a validated batch to a raw table (SPEC §3): rows are
 * upserted by key, the newest batch wins, and each earlier version moves to `<table>_history`
 * with the batch that superseded it. Feedback additionally keeps one form per ticket: a newer
 * form for the same ticket replaces the older one (SPEC §2.4), which moves to history as `replaced`.
 */
import type { Kind } from './kinds.ts';
import { sqlIdent } from '../warehouse/warehouse.ts';

export interface UpsertSql {
  /** Statements to run in order inside the batch's transaction. */
  statements: string[];
  /** A query returning one row: inserted, updated, unchanged, replaced, accepted. */
  counts: string;
}

/**
 * @param checked the table made by buildValidateSql
 * @param incoming name of a temp table this creates: the accepted rows with `_status`
 */
export function buildUpsertSql(kind: Kind, checked: string, incoming: string, batchId: number): UpsertSql {
  const table = sqlIdent(kind.table);
  const history = sqlIdent(`${kind.table}_history`);
  const cols = kind.columns.map((c) => sqlIdent(c.id));
  const keyOn = (a: string, b: string) => kind.key.map((k) => `${a}.${sqlIdent(k)} = ${b}.${sqlIdent(k)}`).join(' AND ');
  const same = [...cols.map((c) => `a.${c} IS NOT DISTINCT FROM e.${c}`), `CAST(a.extra AS VARCHAR) IS NOT DISTINCT FROM CAST(e.extra AS VARCHAR)`].join(' AND ');
  const firstKey = sqlIdent(kind.key[0]!);
  const allCols = [...cols, 'extra', 'batch_id', 'line_no'].join(', ');

  const statements = [
    `CREATE TEMP TABLE ${incoming} AS
     SELECT a.* EXCLUDE (_reasons, _raw),
       CASE WHEN e.${firstKey} IS NULL THEN 'new' WHEN ${same} THEN 'unchanged' ELSE 'updated' END AS _status,
       false AS _replaced
     FROM ${checked} a LEFT JOIN ${table} e ON ${keyOn('a', 'e')}
     WHERE len(a._reasons) = 0`,
  ];

  if (kind.replaces_on) {
    const on = sqlIdent(kind.replaces_on);
    // Within the file, the form submitted last (then the later line) is the ticket's current form.
    statements.push(
      `UPDATE ${incoming} SET _replaced = true
       FROM (SELECT line_no, row_number() OVER (PARTITION BY ${on} ORDER BY submitted_at DESC NULLS LAST, line_no DESC) AS rn
             FROM ${incoming} WHERE _status <> 'unchanged') w
       WHERE ${incoming}.line_no = w.line_no AND w.rn > 1`,
      `INSERT INTO ${history}
       SELECT ${cols.join(', ')}, extra, ${batchId}, line_no, ${batchId}, 'replaced' FROM ${incoming} WHERE _replaced`,
      // Current forms of the same ticket under another key are replaced by the incoming one.
      `INSERT INTO ${history}
       SELECT e.*, ${batchId}, 'replaced' FROM ${table} e
       WHERE EXISTS (SELECT 1 FROM ${incoming} i WHERE i.${on} = e.${on} AND i._status <> 'unchanged' AND NOT i._replaced)
         AND NOT EXISTS (SELECT 1 FROM ${incoming} i WHERE ${keyOn('i', 'e')})`,
      `DELETE FROM ${table} e
       WHERE EXISTS (SELECT 1 FROM ${incoming} i WHERE i.${on} = e.${on} AND i._status <> 'unchanged' AND NOT i._replaced)
         AND NOT EXISTS (SELECT 1 FROM ${incoming} i WHERE ${keyOn('i', 'e')})`,
    );
  }

  statements.push(
    `INSERT INTO ${history}
     SELECT e.*, ${batchId}, 'updated' FROM ${table} e
     WHERE EXISTS (SELECT 1 FROM ${incoming} i WHERE i._status = 'updated' AND ${keyOn('i', 'e')})`,
    `DELETE FROM ${table} e
     WHERE EXISTS (SELECT 1 FROM ${incoming} i WHERE i._status = 'updated' AND ${keyOn('i', 'e')})`,
    `INSERT INTO ${table} (${allCols})
     SELECT ${cols.join(', ')}, extra, ${batchId}, line_no FROM ${incoming}
     WHERE _status IN ('new', 'updated') AND NOT _replaced`,
  );

  const counts = `
    SELECT count(*) AS accepted,
      count(*) FILTER (WHERE _status = 'new') AS inserted,
      count(*) FILTER (WHERE _status = 'updated') AS updated,
      count(*) FILTER (WHERE _status = 'unchanged') AS unchanged,
      (SELECT count(*) FROM ${history} WHERE superseded_by = ${batchId} AND change = 'replaced') AS replaced
    FROM ${incoming}`;
  return { statements, counts };
}

/** Warnings for references to records the warehouse does not know (accepted, listed for data quality). */
export function buildWarningsSql(kind: Kind, incoming: string, batchId: number): string[] {
  return kind.references.map(
    (ref) => `INSERT INTO batch_warnings
      SELECT ${batchId}, i.line_no, '${ref.column}', i.${sqlIdent(ref.column)}, 'unknown_reference',
        '${ref.column}: "' || i.${sqlIdent(ref.column)} || '" is not a known ${ref.table.replace(/s$/, '')} (${ref.table}.${ref.key})'
      FROM ${incoming} i
      WHERE i.${sqlIdent(ref.column)} IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM ${sqlIdent(ref.table)} x WHERE x.${sqlIdent(ref.key)} = i.${sqlIdent(ref.column)})`,
  );
}
