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
import { maskCustomer, seesPii } from '../mask.ts';
import { ROLES, type User } from '../roles.ts';
import { error, me, teamFor, STD_ERRORS, type RouteDeps } from './kit.ts';
import { FORM_FILTERS, type FormFilter, type RecordRow } from '../../pipelines/contract/lists.ts';
import { ATTRIBUTABLE, SEVERITIES } from '../../pipelines/contract/vocabulary.ts';
import { countComplaints, listComplaints } from '../../pipelines/reads/complaints.ts';
import { countForms, listForms } from '../../pipelines/reads/forms.ts';
import { kpiTable } from '../../pipelines/reads/kpi-table.ts';
import { countLateTickets, listLateTickets } from '../../pipelines/reads/late-tickets.ts';
import { technicianNames } from '../../pipelines/reads/names.ts';

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

export const BONUS_COLUMNS: Column[] = [
  { header: '工号' }, { header: '姓名' }, { header: '班组' },
  { header: '满意度分摊', format: 'money' }, { header: '投诉扣款', format: 'money' }, { header: '季度奖励', format: 'money' },
  { header: '其他奖惩', format: 'money' }, { header: '合计', format: 'money' },
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

export const LATE_COLUMNS: { header: string; key: string; format?: Column['format'] }[] = [
  { header: '工单号', key: 'ticket_id' },
  { header: '报修时间', key: 'reported_at' },
  { header: '班组编号', key: 'team_id' },
  { header: '班组名称', key: 'team_name' },
  { header: '工号', key: 'technician_id' },
  { header: '服务人员', key: 'technician_name' },
  { header: '时限规则', key: 'rule_name' },
  { header: '超时分钟', key: 'minutes_late', format: 'int' },
  { header: '客户', key: 'customer_name' },
  { header: '联系电话', key: 'contact_phone' },
  { header: '地址', key: 'address' },
];

export const FORM_COLUMNS: { header: string; key: string; format?: Column['format'] }[] = [
  { header: '表单编号', key: 'form_id' },
  { header: '工单号', key: 'ticket_id' },
  { header: '填写日期', key: 'submitted_at' },
  { header: '班组编号', key: 'team_id' },
  { header: '班组名称', key: 'team_name' },
  { header: '工号', key: 'technician_id' },
  { header: '服务人员', key: 'technician_name' },
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

export const COMPLAINT_COLUMNS: { header: string; key: string; format?: Column['format'] }[] = [
  { header: '投诉编号', key: 'complaint_id' },
  { header: '受理时间', key: 'received_at' },
  { header: '渠道', key: 'channel' },
  { header: '投诉类别', key: 'category_label' },
  { header: '可归责', key: 'attributable' },
  { header: '严重程度', key: 'severity' },
  { header: '班组编号', key: 'team_id' },
  { header: '班组名称', key: 'team_name' },
  { header: '工号', key: 'technician_id' },
  { header: '服务人员', key: 'technician_name' },
  { header: '工单号', key: 'ticket_id' },
  { header: '答复时间', key: 'responded_at' },
  { header: '办结时间', key: 'resolved_at' },
  { header: '24小时内答复', key: 'responded_in_time' },
  { header: '3个工作日内办结', key: 'resolved_in_time' },
  { header: '客户', key: 'customer_name' },
  { header: '联系电话', key: 'contact_phone' },
];

/** Booleans as 是/否 for people reading the sheet; null stays empty. */
const cellOf = (v: RecordRow[string] | undefined): Cell => (typeof v === 'boolean' ? (v ? '是' : '否') : ((v ?? null) as Cell));

export function exportRoutes(d: RouteDeps): RouteDef[] {
  const { wh } = d;

  /** Reads under the shared lock, then records the export in the audit log under the write lock. */
  async function exported<T extends { rows: number }>(user: User, kind: string, target: string, format: Format, read: () => Promise<T>): Promise<T> {
    const out = await d.lock.read(read);
    await d.lock.write(() => writeAudit(wh, { actor: user.username, action: 'export', target, detail: { kind, format, rows: out.rows } }));
    return out;
  }

  return [
    {
      method: 'GET', path: '/api/exports/bonus-sheet', tag: 'exports', access: ['hr', 'admin', 'manager'], lock: 'none',
      summary: 'The bonus sheet of a month (奖惩明细) as XLSX or CSV, with a totals row',
      notes:
        'Columns 工号, 姓名, 班组, 满意度分摊, 投诉扣款, 季度奖励, 其他奖惩, 合计 (yuan, numbers), then a 合计 row. ' +
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
          const sum = (k: 'satisfaction_share' | 'complaint_penalty' | 'quarterly_reward' | 'adjustments' | 'total') =>
            round2(people.reduce((s, p) => s + p[k], 0));
          const scope = team === undefined ? '' : ` · 班组 ${team}`;
          const status = a.closed
            ? `已关账（冻结数据：${a.closed.by} 于 ${a.closed.at} 关账）`
            : '未关账（实时数据，关账前可能变化）';
          const t: Table = {
            sheet: `奖惩明细 ${month}`,
            caption: `奖惩明细 ${month}${scope} · ${status}`,
            columns: BONUS_COLUMNS,
            rows: people.map((p) => [
              p.technician_id, names.get(p.technician_id) ?? null, p.team_id,
              p.satisfaction_share, p.complaint_penalty, p.quarterly_reward, p.adjustments, p.total,
            ]),
            totals: ['合计', `${people.length} 人`, null, sum('satisfaction_share'), sum('complaint_penalty'), sum('quarterly_reward'), sum('adjustments'), sum('total')],
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
          const total = await countLateTickets(wh, filter);
          const cap = d.limits.exportMaxRows;
          if (total > cap) {
            throw new ApiError(422, 'export_too_large', `${total} rows are more than an export may hold (${cap}); narrow it by team or technician`, { rows: total, max_rows: cap });
          }
          const rows = await listLateTickets(wh, filter, 's.minutes_late DESC');
          const masked = !seesPii(u.role);
          const scope = [team !== undefined ? `班组 ${team}` : '', technician !== undefined ? `服务人员 ${technician}` : ''].filter(Boolean).join(' · ');
          const t: Table = {
            sheet: `超时工单 ${month}`,
            caption: `超时工单 ${month}${scope ? ` · ${scope}` : ''} · 共 ${rows.length} 条${masked ? ' · 客户电话、地址、个人姓名已脱敏' : ''}`,
            columns: LATE_COLUMNS.map(({ header, format: f }) => ({ header, format: f })),
            rows: rows.map((r) => {
              const m: RecordRow = maskCustomer(r, u.role);
              return LATE_COLUMNS.map((col) => m[col.key] as Cell);
            }),
          };
          return { table: t, rows: rows.length };
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
          const total = await countForms(wh, fq);
          const cap = d.limits.exportMaxRows;
          if (total > cap) throw new ApiError(422, 'export_too_large', `${total} rows are more than an export may hold (${cap}); narrow it by team or technician`, { rows: total, max_rows: cap });
          const rows = (await listForms(wh, fq, 'f.score ASC', { limit: cap, offset: 0 })).map((r): RecordRow => maskCustomer(r, u.role));
          const masked = !seesPii(u.role);
          const label = { low_score: '低分反馈表', unverified: '未抽查反馈表', all: '反馈表' }[filter];
          const t: Table = {
            sheet: `${label} ${month}`,
            caption: `${label} ${month}${team ? ` · 班组 ${team}` : ''} · 共 ${rows.length} 条${masked ? ' · 客户电话、地址、个人姓名已脱敏' : ''}`,
            columns: FORM_COLUMNS.map(({ header, format: f }) => ({ header, format: f })),
            rows: rows.map((r) => FORM_COLUMNS.map((col) => cellOf(r[col.key]))),
          };
          return { table: t, rows: rows.length };
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
          const total = await countComplaints(wh, cq);
          const cap = d.limits.exportMaxRows;
          if (total > cap) throw new ApiError(422, 'export_too_large', `${total} rows are more than an export may hold (${cap}); narrow it by team or technician`, { rows: total, max_rows: cap });
          const rows = (await listComplaints(wh, cq, 'c.received_at DESC', { limit: cap, offset: 0 })).map((r): RecordRow => maskCustomer(r, u.role));
          const masked = !seesPii(u.role);
          const t: Table = {
            sheet: `投诉 ${month}`,
            caption: `投诉 ${month}${team ? ` · 班组 ${team}` : ''} · 共 ${rows.length} 条${masked ? ' · 客户电话、个人姓名已脱敏' : ''}`,
            columns: COMPLAINT_COLUMNS.map(({ header, format: f }) => ({ header, format: f })),
            rows: rows.map((r) => COMPLAINT_COLUMNS.map((col) => cellOf(r[col.key]))),
          };
          return { table: t, rows: rows.length };
        });
        const suffix = [team, cq.technician, cq.category, cq.attributable, cq.severity].filter((x): x is string => !!x);
        return fileResponse(c, table, format, { zh: ['投诉', month, ...suffix].join('-'), ascii: ['complaints', month, ...suffix.map(asciiId)].join('-') });
      },
    },
  ];
}
