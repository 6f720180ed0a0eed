/**
 * Builds the set-based SQL that types and validates a staged batch (SPEC §2–3). One statement
 * turns every staged row into typed columns plus `_reasons`, the list of every rule it breaks
 * (not only the first). Parsing rules live in SQL macros (sql/migrations/003_parse_macros.sql)
 * and enum vocabularies in the `enum_label` table; this file only assembles them per kind.
 */
import type { Column, Kind } from './kinds.ts';
import type { HeaderMapping } from './header.ts';
import { sqlIdent, sqlString } from '../warehouse/warehouse.ts';

export interface EnumLabel {
  domain: string;
  id: string;
  label: string;
}

/** Storage type of a key column's typed value. */
const SQL_TYPE: Record<string, string> = { timestamp: 'TIMESTAMP', date: 'DATE', month: 'DATE' };

const TYPE_WORD: Record<string, string> = {
  timestamp: 'a timestamp',
  date: 'a date',
  month: 'a month (YYYY-MM)',
  number: 'a number',
  money: 'an amount in yuan (at most 2 decimals)',
  boolean: 'a yes/no value (是/否, Y/N, yes/no, true/false, 1/0)',
  grade: 'a grade (A–E, 2…-2, 优/良/中/差/很差)',
};

function enumCase(expr: string, domain: string, labels: EnumLabel[]): string {
  const rows = labels.filter((l) => l.domain === domain);
  if (!rows.length) throw new Error(`enum domain ${domain} has no values in enum_label`);
  const whens = rows.flatMap((l) => [
    `WHEN ${sqlString(l.id.toLowerCase())} THEN ${sqlString(l.id)}`,
    `WHEN ${sqlString(l.label.toLowerCase())} THEN ${sqlString(l.id)}`,
  ]);
  return `CASE lower(${expr}) ${whens.join(' ')} END`;
}

function allowedList(domain: string, labels: EnumLabel[]): string {
  return labels
    .filter((l) => l.domain === domain)
    .map((l) => `${l.id} ${l.label}`)
    .join(', ');
}

function typedExpr(c: Column, raw: string, labels: EnumLabel[]): string {
  switch (c.type.t) {
    case 'text':
      return raw;
    case 'timestamp':
      return `parse_ts(${raw})`;
    case 'date':
      return `parse_date(${raw})`;
    case 'month':
      return `parse_month(${raw})`;
    case 'number':
      return `parse_number(${raw})`;
    case 'money':
      return `parse_money(${raw})`;
    case 'boolean':
      return `parse_bool(${raw})`;
    case 'grade':
      return `parse_grade(${raw})`;
    case 'enum':
      return enumCase(raw, c.type.domain, labels);
    case 'enum_set':
      return `list_transform(list_filter(string_split_regex(${raw}, '[,，、;；/]'), x -> trim(x) <> ''), x -> ${enumCase('trim(x)', c.type.domain, labels)})`;
  }
}

/** One rule applied to a row: when `when` holds, the row is rejected with this reason. */
interface Check {
  when: string;
  column: string;
  code: string;
  /** SQL expression for the message (may quote the raw value). */
  message: string;
}

function reasonStruct(c: Check): string {
  return `{'column': ${sqlString(c.column)}, 'code': ${sqlString(c.code)}, 'message': ${c.message}}`;
}

const quoted = (raw: string) => `'"' || ${raw} || '"'`;

function columnChecks(c: Column, labels: EnumLabel[]): Check[] {
  const raw = `t.${sqlIdent('r_' + c.id)}`;
  const typed = `t.${sqlIdent(c.id)}`;
  const name = `${c.id} (${c.label})`;
  const out: Check[] = [];
  if (c.required) out.push({ when: `${raw} IS NULL`, column: c.id, code: 'missing_required', message: sqlString(`${name} is required`) });
  const t = c.type;
  if (t.t === 'enum') {
    out.push({
      when: `${raw} IS NOT NULL AND ${typed} IS NULL`,
      column: c.id,
      code: 'unknown_enum',
      message: `${sqlString(`${name}: `)} || ${quoted(raw)} || ${sqlString(` is not one of: ${allowedList(t.domain, labels)}`)}`,
    });
  } else if (t.t === 'enum_set') {
    out.push({
      when: `${raw} IS NOT NULL AND (len(${typed}) = 0 OR list_bool_or(list_transform(${typed}, x -> x IS NULL)))`,
      column: c.id,
      code: 'unknown_enum',
      message: `${sqlString(`${name}: `)} || ${quoted(raw)} || ${sqlString(` has a value that is not one of: ${allowedList(t.domain, labels)}`)}`,
    });
  } else if (t.t !== 'text') {
    out.push({
      when: `${raw} IS NOT NULL AND ${typed} IS NULL`,
      column: c.id,
      code: t.t === 'grade' ? 'bad_grade' : t.t === 'boolean' ? 'bad_boolean' : `unparseable_${t.t === 'money' ? 'number' : t.t}`,
      message: `${sqlString(`${name}: cannot read `)} || ${quoted(raw)} || ${sqlString(` as ${TYPE_WORD[t.t]}`)}`,
    });
  }
  if ((t.t === 'number' && t.min !== undefined) || (t.t === 'money' && !t.signed)) {
    const min = t.t === 'number' ? t.min! : 0;
    out.push({
      when: `${typed} < ${min}`,
      column: c.id,
      code: 'negative_value',
      message: `${sqlString(`${name} must not be negative: `)} || ${quoted(raw)}`,
    });
  }
  return out;
}

export interface ValidateSqlInput {
  kind: Kind;
  mapping: HeaderMapping;
  labels: EnumLabel[];
  /**
   * SQL table expression of the raw rows, in file order: columns c0..cN-1 (text), plus `__line`
   * and `__shape` when normalized. Read once by the main statement.
   */
  source: string;
  mode: 'direct' | 'normalized';
  /** Name of the table to create; `<target>_dups` and the view `<target>_v` come with it. */
  target: string;
  width: number;
}

export interface ValidateSql {
  /** Creates `<target>_dups` (empty): the keys that occur more than once in the file. */
  dups: string;
  /** Fills `<target>_dups` from `<target>`; returns nothing. */
  findDups: string;
  /** Creates `<target>`: typed columns, extra, __line, _reasons, _raw (rejected rows only). */
  validate: string;
  /**
   * Statements creating the view `<target>_v`: `<target>` plus `line_no` (given the reader-rejects
   * shift table), with the lines of each duplicate key named in its reason.
   */
  view: (lineShift?: string) => string[];
}

/**
 * One pass over the file: the CSV reader feeds the typing and every check straight into
 * `<target>` (no staging copy of the raw text). DuckDB keeps insertion order, so the row order of
 * `<target>` is the file's order and gives each row its line (see `view`).
 */
export function buildValidateSql(input: ValidateSqlInput): ValidateSql {
  const { kind, mapping, labels, source, mode, target, width } = input;
  const rawOf = (c: Column) => {
    const pos = mapping.positions.get(c.id);
    let expr = pos === undefined ? 'NULL::VARCHAR' : `clean_text(c${pos})`;
    if (c.default !== undefined) expr = `coalesce(${expr}, ${sqlString(c.default)})`;
    return expr;
  };
  const rawCols = kind.columns.map((c) => `${rawOf(c)} AS ${sqlIdent('r_' + c.id)}`);
  const extra = mapping.extras.length
    ? `CASE WHEN ${mapping.extras.map((e) => `c${e.position} IS NOT NULL`).join(' OR ')} THEN json_object(${mapping.extras
        .map((e) => `${sqlString(e.name)}, clean_text(c${e.position})`)
        .join(', ')}) END`
    : 'NULL::JSON';
  const rawNames = Array.from({ length: width }, (_, i) => `c${i}`);
  const lineCol = mode === 'normalized' ? 'CAST(__line AS BIGINT)' : 'NULL::BIGINT';
  const shape = mode === 'normalized' ? `NULLIF(__shape, '')` : 'NULL::VARCHAR';
  const dupsTable = `${target}_dups`;
  const keyColumns = kind.key.map((k) => kind.columns.find((c) => c.id === k)!);
  const keyNames = keyColumns.map((c) => sqlIdent(c.id));

  const typedCols = kind.columns.map((c) => `${typedExpr(c, `r.${sqlIdent('r_' + c.id)}`, labels)} AS ${sqlIdent(c.id)}`);
  const checks: Check[] = [
    { when: 't.__shape IS NOT NULL', column: '', code: 'column_count', message: 't.__shape' },
    ...kind.columns.flatMap((c) => columnChecks(c, labels)),
    ...kind.rules.map((rule) => ({ when: rule.when, column: rule.column, code: rule.code, message: sqlString(rule.message) })),
    {
      when: 't._dup',
      column: kind.key.join('+'),
      code: 'duplicate_key',
      message: `${sqlString(`${kind.key.join(' + ')} `)} || ${quoted(kind.key.map((k) => `coalesce(CAST(t.${sqlIdent(k)} AS VARCHAR), '')`).join(` || ' / ' || `))} || ' appears more than once in this file'`,
    },
  ];
  const reasons = checks.map((c) => `CASE WHEN ${c.when} THEN ${reasonStruct(c)} END`);
  const keyJoin = kind.key.map((k) => `d.${sqlIdent(k)} = typed.${sqlIdent(k)}`).join(' AND ');

  // Duplicate keys are rare: the caller validates with an empty `<target>_dups`, fills it from the
  // result, and only when it is not empty validates again so those rows keep their raw values.
  const dups = `CREATE TEMP TABLE ${dupsTable} AS SELECT ${keyColumns.map((c) => `NULL::${SQL_TYPE[c.type.t] ?? 'VARCHAR'} AS ${sqlIdent(c.id)}`).join(', ')} LIMIT 0`;
  const findDups = `
INSERT INTO ${dupsTable}
SELECT ${keyNames.join(', ')} FROM ${target}
WHERE ${keyNames.map((k) => `${k} IS NOT NULL`).join(' AND ')}
GROUP BY ALL HAVING count(*) > 1`;

  const validate = `
CREATE TEMP TABLE ${target} AS
WITH r AS (
  SELECT ${lineCol} AS __line, ${shape} AS __shape, ${rawCols.join(', ')}, ${extra} AS extra, ${rawNames.join(', ')}
  FROM ${source}
),
typed AS (
  SELECT r.*, ${typedCols.join(', ')} FROM r
),
t AS (
  SELECT typed.*, EXISTS (SELECT 1 FROM ${dupsTable} d WHERE ${keyJoin}) AS _dup FROM typed
),
checked AS (
  SELECT t.*, (${checks.map((c) => `coalesce(${c.when}, false)`).join(' OR ')}) AS _bad FROM t
)
SELECT __line, ${kind.columns.map((c) => sqlIdent(c.id)).join(', ')}, extra,
  -- The list of reasons and the raw values are built only for rows that break a rule.
  CASE WHEN _bad THEN list_filter([${reasons.join(',\n    ')}], x -> x IS NOT NULL) ELSE [] END AS _reasons,
  CASE WHEN _bad THEN [${rawNames.join(', ')}] END AS _raw
FROM checked t`;

  // Line numbers come from the row order of `<target>`, which must therefore never be updated in
  // place (an UPDATE may move rows): the lines of duplicate keys are joined in by the view instead.
  const view = (lineShift?: string): string[] => {
    let lineNo = '__line';
    if (mode === 'direct') {
      const ordinalLine = `(${target}.rowid - (SELECT min(m.rowid) FROM ${target} m) + 2)`;
      lineNo = lineShift ? `${ordinalLine} + (SELECT count(*) FROM ${lineShift} s WHERE s.pos <= ${ordinalLine})` : ordinalLine;
    }
    const onKeys = (a: string, b: string) => kind.key.map((k) => `${a}.${sqlIdent(k)} = ${b}.${sqlIdent(k)}`).join(' AND ');
    // A value the file left empty that the warehouse decides (Column.derive), decided here, on the
    // typed table, so the raw file is read only once.
    const derived = kind.columns
      .filter((c) => c.derive)
      .map((c) => `coalesce(c.${sqlIdent(c.id)}, ${c.derive!('c', target)}) AS ${sqlIdent(c.id)}, `)
      .join('');
    return [
      `CREATE TEMP VIEW ${target}_lines AS SELECT *, ${lineNo} AS line_no FROM ${target}`,
      `CREATE TEMP TABLE ${target}_duplines AS
       SELECT ${keyNames.map((k) => `v.${k}`).join(', ')}, string_agg(CAST(v.line_no AS VARCHAR), ', ' ORDER BY v.line_no) AS lines
       FROM ${target}_lines v JOIN ${dupsTable} d ON ${onKeys('d', 'v')} GROUP BY ALL`,
      `CREATE TEMP VIEW ${target}_v AS
       SELECT c.* REPLACE (${derived}CASE WHEN l.lines IS NULL THEN c._reasons ELSE list_transform(c._reasons, x -> CASE WHEN x.code = 'duplicate_key'
         THEN {'column': x."column", 'code': x.code, 'message': x.message || ', on lines ' || l.lines} ELSE x END) END AS _reasons)
       FROM ${target}_lines c LEFT JOIN ${target}_duplines l ON ${onKeys('c', 'l')}`,
    ];
  };

  return { dups, findDups, validate, view };
}
