/**
 * Builds the set-based SQL that types and validates a staged batch (SPEC §2–3). One statement
 * turns every staged row into typed columns plus `reasons`, the list of every rule it breaks
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

function reason(column: string, code: string, message: string): string {
  return `{'column': ${sqlString(column)}, 'code': ${sqlString(code)}, 'message': ${message}}`;
}

const quoted = (raw: string) => `'"' || ${raw} || '"'`;

function columnReasons(c: Column, labels: EnumLabel[]): string[] {
  const raw = `t.${sqlIdent('r_' + c.id)}`;
  const typed = `t.${sqlIdent(c.id)}`;
  const name = `${c.id} (${c.label})`;
  const out: string[] = [];
  if (c.required) {
    out.push(`CASE WHEN ${raw} IS NULL THEN ${reason(c.id, 'missing_required', sqlString(`${name} is required`))} END`);
  }
  const t = c.type;
  if (t.t === 'enum') {
    out.push(
      `CASE WHEN ${raw} IS NOT NULL AND ${typed} IS NULL THEN ${reason(
        c.id,
        'unknown_enum',
        `${sqlString(`${name}: `)} || ${quoted(raw)} || ${sqlString(` is not one of: ${allowedList(t.domain, labels)}`)}`,
      )} END`,
    );
  } else if (t.t === 'enum_set') {
    out.push(
      `CASE WHEN ${raw} IS NOT NULL AND (len(${typed}) = 0 OR list_bool_or(list_transform(${typed}, x -> x IS NULL))) THEN ${reason(
        c.id,
        'unknown_enum',
        `${sqlString(`${name}: `)} || ${quoted(raw)} || ${sqlString(` has a value that is not one of: ${allowedList(t.domain, labels)}`)}`,
      )} END`,
    );
  } else if (t.t !== 'text') {
    const code = t.t === 'grade' ? 'bad_grade' : t.t === 'boolean' ? 'bad_boolean' : `unparseable_${t.t === 'money' ? 'number' : t.t}`;
    out.push(
      `CASE WHEN ${raw} IS NOT NULL AND ${typed} IS NULL THEN ${reason(
        c.id,
        code,
        `${sqlString(`${name}: cannot read `)} || ${quoted(raw)} || ${sqlString(` as ${TYPE_WORD[t.t]}`)}`,
      )} END`,
    );
  }
  if ((t.t === 'number' && t.min !== undefined) || (t.t === 'money' && !t.signed)) {
    const min = t.t === 'number' ? t.min! : 0;
    out.push(
      `CASE WHEN ${typed} < ${min} THEN ${reason(c.id, 'negative_value', `${sqlString(`${name} must not be negative: `)} || ${quoted(raw)}`)} END`,
    );
  }
  return out;
}

export interface ValidateSqlInput {
  kind: Kind;
  mapping: HeaderMapping;
  labels: EnumLabel[];
  /** The staged table, columns c0..cN-1 (raw text), plus `__line`/`__shape` when normalized. */
  stage: string;
  mode: 'direct' | 'normalized';
  /** For `direct` mode: table of `pos` values that shift line numbers past reader-rejected lines. */
  lineShift?: string;
  /** Name of the table to create. */
  target: string;
  width: number;
}

/** `CREATE TEMP TABLE <target>` with line_no, typed columns, extra, reasons, raw (rejected rows only). */
export function buildValidateSql(input: ValidateSqlInput): string {
  const { kind, mapping, labels, stage, mode, target, width } = input;
  const rawCols = kind.columns.map((c) => {
    const pos = mapping.positions.get(c.id);
    let expr = pos === undefined ? 'NULL::VARCHAR' : `clean_text(c${pos})`;
    if (c.default !== undefined) expr = `coalesce(${expr}, ${sqlString(c.default)})`;
    return `${expr} AS ${sqlIdent('r_' + c.id)}`;
  });
  const extra = mapping.extras.length
    ? `CASE WHEN ${mapping.extras.map((e) => `c${e.position} IS NOT NULL`).join(' OR ')} THEN json_object(${mapping.extras
        .map((e) => `${sqlString(e.name)}, clean_text(c${e.position})`)
        .join(', ')}) END`
    : 'NULL::JSON';
  const rawList = `[${Array.from({ length: width }, (_, i) => `c${i}`).join(', ')}]`;
  let lineExpr: string;
  if (mode === 'normalized') lineExpr = 'CAST(__line AS BIGINT)';
  else {
    // The staged table keeps the file's row order (DuckDB preserves insertion order), so a row's
    // ordinal gives its line once lines the reader rejected are counted back in.
    const ordinalLine = `(rowid - (SELECT min(rowid) FROM ${stage}) + 2)`;
    lineExpr = input.lineShift
      ? `${ordinalLine} + (SELECT count(*) FROM ${input.lineShift} s WHERE s.pos <= ${ordinalLine})`
      : ordinalLine;
  }
  const shape = mode === 'normalized' ? `NULLIF(__shape, '')` : 'NULL::VARCHAR';

  const typedCols = kind.columns.map((c) => `${typedExpr(c, `r.${sqlIdent('r_' + c.id)}`, labels)} AS ${sqlIdent(c.id)}`);
  const reasons = [
    `CASE WHEN t.__shape IS NOT NULL THEN ${reason('', 'column_count', 't.__shape')} END`,
    ...kind.columns.flatMap((c) => columnReasons(c, labels)),
    ...kind.rules.map((rule) => `CASE WHEN ${rule.when} THEN ${reason(rule.column, rule.code, sqlString(rule.message))} END`),
    `CASE WHEN d.lines IS NOT NULL THEN ${reason(
      kind.key.join('+'),
      'duplicate_key',
      `${sqlString(`${kind.key.join(' + ')} `)} || ${quoted(kind.key.map((k) => `coalesce(CAST(t.${sqlIdent(k)} AS VARCHAR), '')`).join(` || ' / ' || `))} || ' appears more than once in this file, on lines ' || array_to_string(list_transform(d.lines, x -> CAST(x AS VARCHAR)), ', ')`,
    )} END`,
  ];
  const keyJoin = kind.key.map((k) => `d.${sqlIdent(k)} = t.${sqlIdent(k)}`).join(' AND ');
  const keyCols = kind.key.map(sqlIdent).join(', ');
  const keyNotNull = kind.key.map((k) => `${sqlIdent(k)} IS NOT NULL`).join(' AND ');

  return `
CREATE TEMP TABLE ${target} AS
WITH r AS (
  SELECT ${lineExpr} AS line_no, ${shape} AS __shape, ${rawCols.join(', ')}, ${extra} AS extra, ${rawList} AS raw
  FROM ${stage}
),
t AS (
  SELECT r.*, ${typedCols.join(', ')} FROM r
),
d AS (
  SELECT ${keyCols}, list_sort(list(line_no)) AS lines FROM t WHERE ${keyNotNull}
  GROUP BY ALL HAVING count(*) > 1
),
checked AS (
  SELECT t.*, list_filter([${reasons.join(',\n      ')}], x -> x IS NOT NULL) AS reasons
  FROM t LEFT JOIN d ON ${keyJoin}
)
SELECT line_no, ${kind.columns.map((c) => sqlIdent(c.id)).join(', ')}, extra, reasons,
  CASE WHEN len(reasons) > 0 THEN raw END AS raw
FROM checked`;
}
