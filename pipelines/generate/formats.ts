/**
 * How values are written into the generated files: header spellings (from kinds.ts, so they are
 * exactly what the ingester expects), enum labels (a mirror of sql/migrations/002_enum_labels.sql,
 * checked against it in tests), timestamp styles per file, money, booleans.
 */
import { KINDS, type KindName } from '../ingest/kinds.ts';
import { lit } from './random.ts';

export const ENUM_LABELS: Record<string, Record<string, string>> = {
  ticket_channel: { phone: '电话', online: '在线', wechat: '微信', email: '邮件', visit: '来访' },
  customer_type: { in_warranty: '保内', annual_contract: '按年合同', per_visit_contract: '按次合同', out_of_warranty: '保外' },
  service_type: { paid: '有费服务', contract: '合同服务', free: '免费服务' },
  fault_category: { body: '车身', chassis_engine: '底盘发动机', other: '其他' },
  ticket_result: { completed: '已完成', needs_return: '需返修', replaced: '更换设备', cancelled: '已取消' },
  overall: { very_satisfied: '很满意', satisfied: '满意', neutral: '一般', dissatisfied: '不满意' },
  dissatisfaction_reason: { attitude: '服务态度', skill: '技术水平', speed: '速度' },
  feedback_source: { on_site: '现场填写', phone: '电话回访', online: '在线' },
  complaint_channel: { hotline: '热线', online: '网站', visit: '来访', letter: '来函', survey: '回访' },
  complaint_category: {
    late_arrival: '未按时到达',
    no_communication: '未及时沟通',
    goods_not_checked: '货物失查',
    attitude: '服务态度',
    quality: '维修质量',
    fee: '违规收费',
    other: '其他',
  },
  attributable: { yes: '是', no: '否', pending: '待定' },
  severity: { minor: '轻微', major: '较重', severe: '严重' },
  verification_outcome: { confirmed: '属实', corrected: '更正', fraudulent: '虚假', unreachable: '联系不上' },
};

export function enumLabel(domain: string, id: string): string {
  const label = ENUM_LABELS[domain]?.[id];
  if (!label) throw new Error(`no label for ${domain}.${id}`);
  return label;
}

/** SQL: the Chinese label of the enum id in `expr` (NULL stays NULL). */
export function labelSql(domain: string, expr: string): string {
  const m = ENUM_LABELS[domain];
  if (!m) throw new Error(`unknown enum domain ${domain}`);
  return `(CASE ${expr} ${Object.entries(m)
    .map(([id, label]) => `WHEN ${lit(id)} THEN ${lit(label)}`)
    .join(' ')} END)`;
}

/** strftime patterns: each file is written in the style its source system uses. */
export const TS = {
  /** tickets: 2025-05-03 14:20:00 */
  iso: '%Y-%m-%d %H:%M:%S',
  /** feedback: 2025/5/3 14:20 */
  slash: '%Y/%-m/%-d %H:%M',
  /** complaints: 2025年5月3日 14:20 */
  chinese: '%Y年%-m月%-d日 %H:%M',
  /** verifications: 2025-05-03 14:20 */
  minutes: '%Y-%m-%d %H:%M',
} as const;
export type TsStyle = keyof typeof TS;

export function tsSql(expr: string, style: TsStyle): string {
  return `strftime(${expr}, '${TS[style]}')`;
}

/** JS twin of tsSql for dirty rows; `ms` is a "local" time encoded as UTC epoch ms. */
export function formatTs(ms: number, style: TsStyle): string {
  const d = new Date(ms);
  const Y = d.getUTCFullYear();
  const M = d.getUTCMonth() + 1;
  const D = d.getUTCDate();
  const p2 = (n: number) => String(n).padStart(2, '0');
  const hm = `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}`;
  switch (style) {
    case 'iso':
      return `${Y}-${p2(M)}-${p2(D)} ${hm}:${p2(d.getUTCSeconds())}`;
    case 'slash':
      return `${Y}/${M}/${D} ${hm}`;
    case 'chinese':
      return `${Y}年${M}月${D}日 ${hm}`;
    case 'minutes':
      return `${Y}-${p2(M)}-${p2(D)} ${hm}`;
  }
}

/** Parses any of the styles above back to "local as UTC" epoch ms (for dirty rows). */
export function parseTs(s: string): number {
  const m = /^(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})日? (\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(s);
  if (!m) throw new Error(`cannot parse generated timestamp ${s}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
}

/** SQL: money with exactly two decimals ("1234.50"). */
export function moneySql(expr: string): string {
  return `(CAST(${expr} AS DECIMAL(14,2)))::VARCHAR`;
}

/** SQL: 是/否. */
export function boolSql(expr: string): string {
  return `(CASE WHEN ${expr} THEN '是' WHEN NOT (${expr}) THEN '否' END)`;
}

export type HeaderStyle = 'label' | 'id';

/**
 * The columns a generated file has, in kinds.ts order: all but those the warehouse decides itself
 * when a file leaves them out (`derive`, e.g. a verification's queue), as a department's export
 * would not carry them.
 */
export function fileColumns(kind: KindName) {
  return KINDS[kind].columns.filter((c) => !c.derive);
}

/** The file's header names, in kinds.ts column order. */
export function headers(kind: KindName, style: HeaderStyle): string[] {
  return fileColumns(kind).map((c) => (style === 'label' ? c.label : c.id));
}

/**
 * A file's output: one SQL expression per column of `kind` (by column id), the FROM clause, and
 * the header style. Rows come out in the FROM table's order: outputs select from one table that
 * was created sorted, which DuckDB guarantees to keep (no sort of the wide formatted rows).
 */
export interface Output {
  kind: KindName;
  header: HeaderStyle;
  exprs: Record<string, string>;
  /** `FROM table` (a single table, so its order is kept). */
  from: string;
}

function checkedColumns(o: Output) {
  const cols = fileColumns(o.kind);
  const extra = Object.keys(o.exprs).filter((k) => !cols.some((c) => c.id === k));
  if (extra.length) throw new Error(`${o.kind}: no such columns ${extra.join(', ')}`);
  return cols.map((c) => {
    const e = o.exprs[c.id];
    if (e === undefined) throw new Error(`${o.kind}: no expression for column ${c.id}`);
    return { col: c, expr: e, name: o.header === 'label' ? c.label : c.id };
  });
}

/** One column per file column, named by its header (used to read template rows). */
export function columnsSql(o: Output, q: Tail = {}): string {
  const list = checkedColumns(o)
    .map(({ expr, name }) => `${expr} AS "${name.replaceAll('"', '""')}"`)
    .join(',\n  ');
  return `SELECT ${list}\n${o.from}\n${where(q)}${limit(q)}`;
}

/**
 * The file as one VARCHAR column holding each whole CSV record (named by the whole header line),
 * for COPY with quoting off: DuckDB's CSV writer is much faster on one column than on thirty.
 * Free-text columns are quoted here when they contain a delimiter or quote (RFC 4180).
 */
export function linesSql(o: Output): string {
  const cols = checkedColumns(o);
  const header = cols.map((c) => c.name).join(',');
  if (header.includes('"')) throw new Error('header names must not contain quotes');
  const cells = cols.map(({ col, expr }) => {
    const free = col.type.t === 'text' || col.type.t === 'enum_set';
    return free ? `coalesce(csv_quote(${expr}), '')` : `coalesce(${expr}, '')`;
  });
  return `SELECT concat_ws(',', ${cells.join(', ')}) AS "${header}"\n${o.from}`;
}

/** Macro used by linesSql; created once per generator database. */
export const CSV_QUOTE_MACRO = `CREATE OR REPLACE MACRO csv_quote(s) AS CASE
  WHEN contains(s, ',') OR contains(s, '"') OR contains(s, chr(10)) OR contains(s, chr(13))
  THEN '"' || replace(s, '"', '""') || '"' ELSE s END`;

/** Optional filter and limit appended to an output SELECT (used to pick dirty-row templates). */
export interface Tail {
  where?: string;
  limit?: number;
}
export const where = (q: Tail): string => (q.where ? `WHERE ${q.where}` : '');
export const limit = (q: Tail): string => (q.limit ? ` LIMIT ${q.limit}` : '');
