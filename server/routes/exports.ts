/**
 * Exports (issue 4 §4): the bonus sheet, the KPI table by team and the late-ticket drill-down as
 * XLSX (default) or CSV (UTF-8 with BOM, CRLF), for download. The same scoping and masking as the
 * JSON routes: a manager gets only their own team (another team → 403 other_team); customer phone
 * numbers, addresses and personal names are masked for hr, executive and manager. Every text cell
 * is neutralized against formula injection (pipelines/export/safe-cell.ts). Every export is
 * written to the audit log (action `export`). See docs/server.md, "Exports".
 */
import type { Context } from 'hono';
import { getAssessment, writeAudit } from '../../pipelines/assessment/index.ts';
import { CSV_CONTENT_TYPE, writeCsv, writeXlsx, XLSX_CONTENT_TYPE, type Cell, type Column, type Table } from '../../pipelines/export/xlsx.ts';
import { ApiError } from '../errors.ts';
import type { AppEnv, ParamSpec, RouteDef } from '../http.ts';
import { maskCustomer, maskTechnicianPhone, seesPii } from '../mask.ts';
import { ROLES, type Role, type User } from '../roles.ts';
import { error, me, teamFor, STD_ERRORS, type RouteDeps } from './kit.ts';
import { FORM_FILTERS, type FormFilter, type RecordRow } from '../../pipelines/contract/lists.ts';
import { ATTRIBUTABLE, SEVERITIES } from '../../pipelines/contract/vocabulary.ts';
import { countComplaints, listComplaints } from '../../pipelines/reads/complaints.ts';
import { countForms, listForms } from '../../pipelines/reads/forms.ts';
import { kpiTable } from '../../pipelines/reads/kpi-table.ts';
import { countLateTickets, listLateTickets } from '../../pipelines/reads/late-tickets.ts';
import { technicianNames } from '../../pipelines/reads/names.ts';
import { FEE_ANOMALY_REASONS, type FeeAnomalyReason } from '../../pipelines/contract/money.ts';
import { countFeeAnomalies, listFeeAnomalies } from '../../pipelines/reads/fee-anomalies.ts';
import { countForgedForms, listForgedForms } from '../../pipelines/reads/forged-forms.ts';
import { FORGED_FORM_ROLES } from './money.ts';

type Format = 'xlsx' | 'csv';

const FORMAT: ParamSpec = { type: 'enum', description: 'file format', values: ['xlsx', 'csv'], default: 'xlsx' };
const MONTH_Q: ParamSpec = { type: 'month', description: 'the month, YYYY-MM', required: true };
const TEAM_Q: ParamSpec = { type: 'id', description: 'a team id (a manager: their own team only)' };

const FILE_RESPONSE = {
  200: { description: 'the file (Content-Disposition: attachment); XLSX by default, CSV with format=csv', contentType: XLSX_CONTENT_TYPE, schema: { type: 'string', format: 'binary' } },
};



/** RFC 5987 value: UTF-8, percent-encoded, attr-chars only. */
function rfc5987(s: string): string {
  return encodeURIComponent(s).replace(/['()*!]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `attachment; filename="ascii"; filename*=UTF-8''utf8` — the ASCII name for old clients. */
export function contentDisposition(utf8Name: string, asciiName: string): string {
  const ascii = asciiName.replace(/[^A-Za-z0-9_.-]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${rfc5987(utf8Name)}`;
}

/** Non-ASCII letters of an id (team ids may be Chinese) become _ in the ASCII file name. */
const asciiId = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_');

async function fileResponse(c: Context<AppEnv>, t: Table, format: Format, name: { zh: string; ascii: string }): Promise<Response> {
  c.header('Content-Disposition', contentDisposition(`${name.zh}.${format}`, `${name.ascii}.${format}`));
  c.header('X-Content-Type-Options', 'nosniff');
  if (format === 'csv') {
    c.header('Content-Type', CSV_CONTENT_TYPE);
    return c.body(writeCsv(t));
  }
  c.header('Content-Type', XLSX_CONTENT_TYPE);
  const buf = await writeXlsx([t]);
  return c.body(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer);
}

const round2 = (x: number) => Math.round(x * 100) / 100;

// ---------------------------------------------------------------------------------------------

/** A list export's column: its header, the row key it shows, its cell format. */
type ColumnSpec = { header: string; key: string; format?: Column['format'] };

export const BONUS_COLUMNS: Column[] = [
  { header: '工号' }, { header: '姓名' }, { header: '班组' },
  { header: '满意度分摊', format: 'money' }, { header: '投诉扣款', format: 'money' }, { header: '伪造反馈表扣款', format: 'money' },
  { header: '季度奖励', format: 'money' }, { header: '其他奖惩', format: 'money' }, { header: '合计', format: 'money' },
  // The HR flag (SPEC §4.4): forms found fraudulent this month, and which.
  { header: '伪造反馈表', format: 'int' }, { header: '伪造反馈表编号' },
];

export const KPI_COLUMNS: { header: string; key: string; format?: Column['format'] }[] = [
  { header: '班组编号', key: 'scope_id' },
  { header: '班组名称', key: 'team_name' },
  { header: '报修工单', key: 'tickets_reported', format: 'int' },
  { header: '应完成工单', key: 'tickets_due', format: 'int' },
  { header: '按时完成', key: 'tickets_on_time', format: 'int' },
  { header: '超时', key: 'tickets_late', format: 'int' },
  { header: '服务次数', key: 'jobs', format: 'int' },
  { header: '反馈表', key: 'forms', format: 'int' },
  { header: '服务及时率', key: 'timeliness_rate', format: 'percent' },
  { header: '用户满意程度', key: 'satisfaction_rate', format: 'percent' },
  { header: '满意度均项得分', key: 'mean_score', format: 'decimal' },
  { header: '可归责投诉', key: 'complaints_attributable', format: 'int' },
  { header: '用户抱怨率', key: 'complaint_rate', format: 'percent' },
  { header: '投诉24小时响应率', key: 'response_rate', format: 'percent' },
  { header: '投诉3个工作日办结率', key: 'resolution_rate', format: 'percent' },
  { header: '一次修复率', key: 'first_time_fix_rate', format: 'percent' },
  { header: '反馈表回收率', key: 'form_coverage', format: 'percent' },
  { header: '回访率', key: 'followup_rate', format: 'percent' },
  { header: '单次服务成本', key: 'cost_per_job', format: 'money' },
];

/**
 * The line under a list export's title: what and when, the scope, how many rows, and — for a role
 * that does not see PII — what was masked (free text too, for those roles: server/mask.ts).
 */
function listCaption(what: string, scope: string | undefined, rows: number, role: Role, maskedFields: string, unit = '条'): string {
  const masked = seesPii(role) ? '' : ` · ${maskedFields}及文字中的电话、邮箱、地址已脱敏`;
  return `${what}${scope ? ` · ${scope}` : ''} · 共 ${rows} ${unit}${masked}`;
}

/** Whom a list row counts for: the team and the technician, ids and names. */
const WHO: ColumnSpec[] = [
  { header: '班组编号', key: 'team_id' },
  { header: '班组名称', key: 'team_name' },
  { header: '工号', key: 'technician_id' },
  { header: '服务人员', key: 'technician_name' },
];

export const LATE_COLUMNS: ColumnSpec[] = [
  { header: '工单号', key: 'ticket_id' },
  { header: '报修时间', key: 'reported_at' },
  ...WHO,
  { header: '时限规则', key: 'rule_name' },
  { header: '超时分钟', key: 'minutes_late', format: 'int' },
  { header: '客户', key: 'customer_name' },
  { header: '联系电话', key: 'contact_phone' },
  { header: '地址', key: 'address' },
];

export const FORM_COLUMNS: ColumnSpec[] = [
  { header: '表单编号', key: 'form_id' },
  { header: '工单号', key: 'ticket_id' },
  { header: '填写日期', key: 'submitted_at' },
  ...WHO,
  { header: '服务及时性', key: 'timeliness' },
  { header: '维修质量', key: 'quality' },
  { header: '服务态度', key: 'attitude' },
  { header: '得分', key: 'score', format: 'int' },
  { header: '总体评价', key: 'overall' },
  { header: '已抽查', key: 'verified' },
  { header: '抽查结果', key: 'verification_outcome' },
  { header: '客户', key: 'customer_name' },
  { header: '联系电话', key: 'contact_phone' },
  { header: '地址', key: 'address' },
];

export const COMPLAINT_COLUMNS: ColumnSpec[] = [
  { header: '投诉编号', key: 'complaint_id' },
  { header: '受理时间', key: 'received_at' },
  { header: '渠道', key: 'channel' },
  { header: '投诉类别', key: 'category_label' },
  { header: '可归责', key: 'attributable' },
  { header: '严重程度', key: 'severity' },
  ...WHO,
  { header: '工单号', key: 'ticket_id' },
  { header: '答复时间', key: 'responded_at' },
  { header: '办结时间', key: 'resolved_at' },
  { header: '24小时内答复', key: 'responded_in_time' },
  { header: '3个工作日内办结', key: 'resolved_in_time' },
  { header: '客户', key: 'customer_name' },
  { header: '联系电话', key: 'contact_phone' },
];

export const FEE_ANOMALY_COLUMNS: ColumnSpec[] = [
  { header: '工单号', key: 'ticket_id' },
  { header: '完成时间', key: 'completed_at' },
  ...WHO,
  { header: '服务人员手机', key: 'technician_phone' },
  { header: '服务类别', key: 'service_type_label' },
  { header: '客户属性', key: 'customer_type_label' },
  { header: '收费金额', key: 'fee_charged', format: 'money' },
  { header: '配件费', key: 'parts_cost', format: 'money' },
  { header: '工时费', key: 'labor_cost', format: 'money' },
  { header: '差旅费', key: 'travel_cost', format: 'money' },
  { header: '疑点', key: 'reasons' },
  { header: '客户', key: 'customer_name' },
  { header: '联系电话', key: 'contact_phone' },
  { header: '地址', key: 'address' },
];

/** The words of a fee anomaly's reasons in the sheet. */
const REASON_WORDS: Record<FeeAnomalyReason, string> = { free_service: '免费服务收费', in_warranty: '保内收费' };

export const FORGED_FORM_COLUMNS: ColumnSpec[] = [
  { header: '表单编号', key: 'form_id' },
  { header: '工单号', key: 'ticket_id' },
  { header: '核实时间', key: 'verified_at' },
  { header: '核实人', key: 'verified_by' },
  ...WHO,
  { header: '服务人员手机', key: 'technician_phone' },
  { header: '扣款', key: 'penalty', format: 'money' },
  { header: '维修月份', key: 'job_month' },
  { header: '备注', key: 'note' },
  { header: '客户', key: 'customer_name' },
  { header: '联系电话', key: 'contact_phone' },
];

/** Booleans as 是/否 for people reading the sheet; null stays empty. */
const cellOf = (v: RecordRow[string] | undefined): Cell => (typeof v === 'boolean' ? (v ? '是' : '否') : ((v ?? null) as Cell));


/** A list export's table: one column per spec, each cell the row's value under its key (booleans as 是/否). */
function listTable(sheet: string, caption: string, spec: ColumnSpec[], rows: RecordRow[]): Table {
  return { sheet, caption, columns: spec.map(({ header, format }) => ({ header, format })), rows: rows.map((r) => spec.map((col) => cellOf(r[col.key]))) };
}

export function exportRoutes(d: RouteDeps): RouteDef[] {
  const { wh } = d;

  /** Reads under the shared lock, then records the export in the audit log under the write lock. */
  async function exported<T extends { rows: number }>(user: User, kind: string, target: string, format: Format, read: () => Promise<T>): Promise<T> {
    const out = await d.lock.read(read);
    await d.lock.write(() => writeAudit(wh, { actor: user.username, action: 'export', target, detail: { kind, format, rows: out.rows } }));
    return out;
  }

  /** A list's rows for export: 422 export_too_large when there are more than the cap (EXPORT_MAX_ROWS). */
  async function capped<R>(count: () => Promise<number>, list: (cap: number) => Promise<R[]>): Promise<R[]> {
    const total = await count();
    const cap = d.limits.exportMaxRows;
    if (total > cap) throw new ApiError(422, 'export_too_large', `${total} rows are more than an export may hold (${cap}); narrow it by team or technician`, { rows: total, max_rows: cap });
    return list(cap);
  }

  return [
    {
      method: 'GET', path: '/api/exports/bonus-sheet', tag: 'exports', access: ['hr', 'admin', 'manager'], lock: 'none',
      summary: 'The bonus sheet of a month (奖惩明细) as XLSX or CSV, with a totals row',
      notes:
        'Columns 工号, 姓名, 班组, 满意度分摊, 投诉扣款, 伪造反馈表扣款, 季度奖励, 其他奖惩, 合计 (yuan, numbers), then the HR flag 伪造反馈表 ' +
        '(forms found fraudulent this month) and 伪造反馈表编号 (their form ids), then a 合计 row. ' +
        'The first line says whether the month is closed (frozen figures) or open (live figures). ' +
        'manager: own team only (another team → 403). executive and supervisor: refused (individual pay is HR\'s).',
      query: { month: MONTH_Q, team: TEAM_Q, format: FORMAT },
      responses: { ...FILE_RESPONSE, ...STD_ERRORS, 409: error('models not built') },
      async handler(c, { q, user }) {
        const u = me(user);
        const team = teamFor(u, q.team as string | undefined);
        const month = q.month as string;
        const format = q.format as Format;
        const { table } = await exported(u, 'bonus-sheet', team ? `${month}/${team}` : month, format, async () => {
          const a = await getAssessment(wh, month);
          const people = team === undefined ? a.people : a.people.filter((p) => p.team_id === team);
          const names = await technicianNames(wh);
          const sum = (k: 'satisfaction_share' | 'complaint_penalty' | 'forged_form_penalty' | 'quarterly_reward' | 'adjustments' | 'total' | 'forged_forms') =>
            round2(people.reduce((s, p) => s + p[k], 0));
          const scope = team === undefined ? '' : ` · 班组 ${team}`;
          const status = a.closed
            ? `已结账（冻结数据：${a.closed.by} 于 ${a.closed.at} 结账）`
            : '未结账（实时数据，结账前可能变化）';
          const t: Table = {
            sheet: `奖惩明细 ${month}`,
            caption: `奖惩明细 ${month}${scope} · ${status}`,
            columns: BONUS_COLUMNS,
            rows: people.map((p) => [
              p.technician_id, names.get(p.technician_id) ?? null, p.team_id,
              p.satisfaction_share, p.complaint_penalty, p.forged_form_penalty, p.quarterly_reward, p.adjustments, p.total,
              p.forged_forms, p.forged_form_ids.join('、') || null,
            ]),
            totals: [
              '合计', `${people.length} 人`, null, sum('satisfaction_share'), sum('complaint_penalty'), sum('forged_form_penalty'),
              sum('quarterly_reward'), sum('adjustments'), sum('total'), sum('forged_forms'), null,
            ],
          };
          return { table: t, rows: people.length };
        });
        const suffix = team === undefined ? '' : `-${team}`;
        return fileResponse(c, table, format, { zh: `奖惩明细-${month}${suffix}`, ascii: `bonus-sheet-${month}${team === undefined ? '' : `-${asciiId(team)}`}` });
      },
    },
    {
      method: 'GET', path: '/api/exports/kpi', tag: 'exports', access: [...ROLES], lock: 'none',
      summary: 'The KPI table of a month by team (月度KPI), the company first, as XLSX or CSV',
      notes:
        'From kpi_month: the company row, then one row per team with data in the month (team id empty: 未分班组, records without a team). Rates are numbers ' +
        '(fractions; shown as percentages in XLSX), counts integers. manager: their own team\'s row only (no company row; another team → 403).',
      query: { month: MONTH_Q, team: TEAM_Q, format: FORMAT },
      responses: { ...FILE_RESPONSE, ...STD_ERRORS },
      async handler(c, { q, user }) {
        const u = me(user);
        const team = teamFor(u, q.team as string | undefined);
        const month = q.month as string;
        const format = q.format as Format;
        const { table } = await exported(u, 'kpi', team ? `${month}/${team}` : month, format, async () => {
          const rows = await kpiTable(wh, month, team ?? null);
          const t: Table = {
            sheet: `月度KPI ${month}`,
            caption: `月度KPI ${month} · ${team === undefined ? '全公司及各班组' : `班组 ${team}`}`,
            columns: KPI_COLUMNS.map(({ header, format: f }) => ({ header, format: f })),
            rows: rows.map((r) => KPI_COLUMNS.map((col) => r[col.key] as Cell)),
          };
          return { table: t, rows: rows.length };
        });
        const suffix = team === undefined ? '' : `-${team}`;
        return fileResponse(c, table, format, { zh: `月度KPI-${month}${suffix}`, ascii: `kpi-${month}${team === undefined ? '' : `-${asciiId(team)}`}` });
      },
    },
    {
      method: 'GET', path: '/api/exports/late-tickets', tag: 'exports', access: [...ROLES], lock: 'none',
      summary: 'All late tickets of a month (超时工单) as XLSX or CSV, longest late first',
      notes:
        'The rows of GET /api/tickets/late, all of them (sorted by minutes_late descending, then ticket id). ' +
        'contact_phone, address and personal customer names are masked for hr, executive and manager exactly as in the JSON route. ' +
        'manager: own team only. More rows than EXPORT_MAX_ROWS (default 200,000) → 422 export_too_large; narrow by team or technician.',
      query: { month: MONTH_Q, team: TEAM_Q, technician: { type: 'id', description: 'a technician id' }, format: FORMAT },
      responses: { ...FILE_RESPONSE, ...STD_ERRORS, 422: error('more rows than the export cap') },
      async handler(c, { q, user }) {
        const u = me(user);
        const team = teamFor(u, q.team as string | undefined);
        const technician = q.technician as string | undefined;
        const month = q.month as string;
        const format = q.format as Format;
        const target = [month, team, technician].filter((x) => x !== undefined).join('/');
        const { table } = await exported(u, 'late-tickets', target, format, async () => {
          const filter = { month, team: team ?? null, technician: technician ?? null };
          const rows = (await capped(() => countLateTickets(wh, filter), () => listLateTickets(wh, filter, 's.minutes_late DESC')))
            .map((r): RecordRow => maskCustomer(r, u.role));
          const scope = [team !== undefined ? `班组 ${team}` : '', technician !== undefined ? `服务人员 ${technician}` : ''].filter(Boolean).join(' · ');
          const caption = listCaption(`超时工单 ${month}`, scope, rows.length, u.role, '客户电话、地址、个人姓名');
          return { table: listTable(`超时工单 ${month}`, caption, LATE_COLUMNS, rows), rows: rows.length };
        });
        const suffix = [team, technician].filter((x): x is string => x !== undefined);
        return fileResponse(c, table, format, {
          zh: ['超时工单', month, ...suffix].join('-'),
          ascii: ['late-tickets', month, ...suffix.map(asciiId)].join('-'),
        });
      },
    },
    {
      method: 'GET', path: '/api/exports/forms', tag: 'exports', access: [...ROLES], lock: 'none',
      summary: 'The feedback forms of a drill-down (low-score, unverified or all) as XLSX or CSV',
      notes:
        'The rows of GET /api/forms with the same filters, all of them (lowest score first). Customer phone, address and personal names ' +
        'masked for hr, executive and manager. manager: own team only. More rows than EXPORT_MAX_ROWS → 422 export_too_large.',
      query: {
        month: MONTH_Q, team: TEAM_Q, technician: { type: 'id', description: 'a technician id' },
        filter: { type: 'enum', description: 'which forms', values: FORM_FILTERS, default: 'low_score' },
        max_score: { type: 'int', description: 'low_score: highest score listed (−6…6)', min: -6, max: 6 },
        format: FORMAT,
      },
      responses: { ...FILE_RESPONSE, ...STD_ERRORS, 422: error('more rows than the export cap') },
      async handler(c, { q, user }) {
        const u = me(user);
        const team = teamFor(u, q.team as string | undefined);
        const filter = q.filter as FormFilter;
        const month = q.month as string;
        const format = q.format as Format;
        const fq = { month, filter, maxScore: (q.max_score as number | undefined) ?? null, team: team ?? null, technician: (q.technician as string | undefined) ?? null };
        const target = [month, filter, team, fq.technician].filter((x) => x !== undefined && x !== null).join('/');
        const { table } = await exported(u, 'forms', target, format, async () => {
          const rows = (await capped(() => countForms(wh, fq), (cap) => listForms(wh, fq, 'f.score ASC', { limit: cap, offset: 0 })))
            .map((r): RecordRow => maskCustomer(r, u.role));
          const label = { low_score: '低分反馈表', unverified: '未抽查反馈表', all: '反馈表' }[filter];
          const caption = listCaption(`${label} ${month}`, team && `班组 ${team}`, rows.length, u.role, '客户电话、地址、个人姓名');
          return { table: listTable(`${label} ${month}`, caption, FORM_COLUMNS, rows), rows: rows.length };
        });
        const suffix = [filter, team, fq.technician].filter((x): x is string => !!x);
        return fileResponse(c, table, format, { zh: ['反馈表', month, ...suffix].join('-'), ascii: ['forms', month, ...suffix.map(asciiId)].join('-') });
      },
    },
    {
      method: 'GET', path: '/api/exports/complaints', tag: 'exports', access: [...ROLES], lock: 'none',
      summary: 'The complaints of a drill-down as XLSX or CSV',
      notes:
        'The rows of GET /api/complaints with the same filters, all of them (newest first). Customer phone and personal names masked for hr, ' +
        'executive and manager. manager: own team only. More rows than EXPORT_MAX_ROWS → 422 export_too_large.',
      query: {
        month: MONTH_Q, team: TEAM_Q, technician: { type: 'id', description: 'a technician id' },
        category: { type: 'id', description: 'a complaint category id' },
        attributable: { type: 'enum', description: 'attributable to the team', values: ATTRIBUTABLE },
        severity: { type: 'enum', description: 'severity', values: SEVERITIES },
        format: FORMAT,
      },
      responses: { ...FILE_RESPONSE, ...STD_ERRORS, 422: error('more rows than the export cap') },
      async handler(c, { q, user }) {
        const u = me(user);
        const team = teamFor(u, q.team as string | undefined);
        const month = q.month as string;
        const format = q.format as Format;
        const cq = {
          month, team: team ?? null, technician: (q.technician as string | undefined) ?? null,
          category: (q.category as string | undefined) ?? null, attributable: (q.attributable as string | undefined) ?? null,
          severity: (q.severity as string | undefined) ?? null,
        };
        const target = [month, team, cq.technician, cq.category, cq.attributable, cq.severity].filter((x) => x !== undefined && x !== null).join('/');
        const { table } = await exported(u, 'complaints', target, format, async () => {
          const rows = (await capped(() => countComplaints(wh, cq), (cap) => listComplaints(wh, cq, 'c.received_at DESC', { limit: cap, offset: 0 })))
            .map((r): RecordRow => maskCustomer(r, u.role));
          const caption = listCaption(`投诉 ${month}`, team && `班组 ${team}`, rows.length, u.role, '客户电话、个人姓名');
          return { table: listTable(`投诉 ${month}`, caption, COMPLAINT_COLUMNS, rows), rows: rows.length };
        });
        const suffix = [team, cq.technician, cq.category, cq.attributable, cq.severity].filter((x): x is string => !!x);
        return fileResponse(c, table, format, { zh: ['投诉', month, ...suffix].join('-'), ascii: ['complaints', month, ...suffix.map(asciiId)].join('-') });
      },
    },
    {
      method: 'GET', path: '/api/exports/fee-anomalies', tag: 'exports', access: [...ROLES], lock: 'none',
      summary: 'The fee anomalies of a month (违规收费疑点) as XLSX or CSV, largest fee first',
      notes:
        'The rows of GET /api/fee-anomalies with the same filters, all of them. 疑点 says why (免费服务收费, 保内收费). Customer phone, address, ' +
        'personal names and the technician\'s phone masked for hr, executive and manager. manager: own team only. More rows than ' +
        'EXPORT_MAX_ROWS → 422 export_too_large.',
      query: {
        month: MONTH_Q, team: TEAM_Q, technician: { type: 'id', description: 'a technician id' },
        reason: { type: 'enum', description: 'only anomalies with this reason', values: FEE_ANOMALY_REASONS },
        format: FORMAT,
      },
      responses: { ...FILE_RESPONSE, ...STD_ERRORS, 422: error('more rows than the export cap') },
      async handler(c, { q, user }) {
        const u = me(user);
        const team = teamFor(u, q.team as string | undefined);
        const month = q.month as string;
        const format = q.format as Format;
        const fq = { month, team: team ?? null, technician: (q.technician as string | undefined) ?? null, reason: (q.reason as FeeAnomalyReason | undefined) ?? null };
        const target = [month, team, fq.technician, fq.reason].filter((x) => x !== undefined && x !== null).join('/');
        const { table } = await exported(u, 'fee-anomalies', target, format, async () => {
          const rows = (await capped(() => countFeeAnomalies(wh, fq), () => listFeeAnomalies(wh, fq, 'a.fee_charged DESC')))
            .map((r) => maskTechnicianPhone(maskCustomer(r, u.role), u.role));
          const caption = listCaption(`违规收费疑点 ${month}`, team && `班组 ${team}`, rows.length, u.role, '客户电话、地址、个人姓名、服务人员手机');
          const words = rows.map((r): RecordRow => ({ ...r, reasons: r.reasons.map((x) => REASON_WORDS[x]).join('、') }));
          return { table: listTable(`违规收费疑点 ${month}`, caption, FEE_ANOMALY_COLUMNS, words), rows: rows.length };
        });
        const suffix = [team, fq.technician, fq.reason].filter((x): x is string => !!x);
        return fileResponse(c, table, format, { zh: ['违规收费疑点', month, ...suffix].join('-'), ascii: ['fee-anomalies', month, ...suffix.map(asciiId)].join('-') });
      },
    },
    {
      method: 'GET', path: '/api/exports/forged-forms', tag: 'exports', access: [...FORGED_FORM_ROLES], lock: 'none',
      summary: 'The forms found fraudulent in a month (伪造反馈表, by the month of the verification) as XLSX or CSV, newest first',
      notes:
        'The rows of GET /api/forged-forms with the same filters, all of them, with the penalty charged (扣款). Customer phone, personal names ' +
        'and the technician\'s phone masked for hr and manager. manager: own team only. executive: refused. More rows than EXPORT_MAX_ROWS → 422.',
      query: { month: MONTH_Q, team: TEAM_Q, technician: { type: 'id', description: 'a technician id' }, format: FORMAT },
      responses: { ...FILE_RESPONSE, ...STD_ERRORS, 422: error('more rows than the export cap') },
      async handler(c, { q, user }) {
        const u = me(user);
        const team = teamFor(u, q.team as string | undefined);
        const month = q.month as string;
        const format = q.format as Format;
        const fq = { month, team: team ?? null, technician: (q.technician as string | undefined) ?? null };
        const target = [month, team, fq.technician].filter((x) => x !== undefined && x !== null).join('/');
        const { table } = await exported(u, 'forged-forms', target, format, async () => {
          const rows = (await capped(() => countForgedForms(wh, fq), () => listForgedForms(wh, fq, 'g.verified_at DESC')))
            .map((r): RecordRow => maskTechnicianPhone(maskCustomer(r, u.role), u.role));
          const caption = listCaption(`伪造反馈表 ${month}（按核实月份）`, team && `班组 ${team}`, rows.length, u.role, '客户电话、个人姓名、服务人员手机', '份');
          return { table: listTable(`伪造反馈表 ${month}`, caption, FORGED_FORM_COLUMNS, rows), rows: rows.length };
        });
        const suffix = [team, fq.technician].filter((x): x is string => !!x);
        return fileResponse(c, table, format, { zh: ['伪造反馈表', month, ...suffix].join('-'), ascii: ['forged-forms', month, ...suffix.map(asciiId)].join('-') });
      },
    },
  ];
}
