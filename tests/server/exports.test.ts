/**
 * Exports (issue 4 §4) against a real generated warehouse: the role matrix of the three export
 * routes (manager: own team, other team 403), figures read back from the XLSX and the CSV equal
 * getAssessment / getKpi / the late-tickets JSON, masking per role, the closed-month caption, the
 * row cap, file names, and a formula-injection cell neutralized in both formats.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAssessment, listAudit } from '../../pipelines/assessment/index.ts';
import { ingestFile } from '../../pipelines/ingest/ingest.ts';
import { getKpi } from '../../pipelines/reads/kpi.ts';
import { displayWidth } from '../../pipelines/export/xlsx.ts';
import { DEFAULT_LIMITS } from '../../server/config.ts';
import { ROLES, type Role } from '../../server/roles.ts';
import type { TempWarehouse } from '../helpers.ts';
import { buildWarehouse, call, makeApp, MANAGER_TEAM, MONTH, signIn, USERS, type ApiResponse, type Signed, type TestApp, signInAll } from './fixture.ts';

let t: TempWarehouse;
let app: TestApp;
let as: Record<Role, Signed>;
/** The app's limits, read at each request: a test lowers one for a moment. */
const limits = { ...DEFAULT_LIMITS };

beforeAll(async () => {
  t = await buildWarehouse();
  app = makeApp(t, { limits });
  as = await signInAll(app);
});
afterAll(() => t.cleanup());

const OTHER_TEAM = 'T02';
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type Value = string | number | null;

/** The rows of the first worksheet as arrays of plain values (row 1 = the caption). */
async function readXlsx(res: ApiResponse): Promise<{ rows: Value[][]; ws: ExcelJS.Worksheet }> {
  expect(res.status, await res.clone().text().catch(() => '')).toBe(200);
  expect(res.headers.get('content-type')).toBe(XLSX_TYPE);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  const ws = wb.worksheets[0]!;
  const rows: Value[][] = [];
  ws.eachRow({ includeEmpty: true }, (row, n) => {
    const cells: Value[] = [];
    // The caption row is merged: only its first cell holds the value.
    const width = n === 1 ? 1 : ws.columnCount;
    for (let k = 1; k <= width; k++) {
      const v = row.getCell(k).value;
      cells.push(v === null || v === undefined ? null : (v as string | number));
    }
    rows[n - 1] = cells;
  });
  return { rows, ws };
}

/** RFC 4180 CSV → rows of strings; checks the BOM and CRLF line ends. */
async function readCsv(res: ApiResponse): Promise<string[][]> {
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1);
  expect(text.endsWith('\r\n')).toBe(true);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else {
      expect(ch, 'bare LF outside quotes').not.toBe('\n');
      field += ch;
    }
  }
  return rows;
}

const num = (s: string | undefined) => (s === undefined || s === '' ? null : Number(s));
const get = (path: string, role?: Role) => call(app, 'GET', path, { as: role ? as[role] : undefined });

const ROUTES: { path: string; allowed: readonly Role[] }[] = [
  { path: `/api/exports/bonus-sheet?month=${MONTH}`, allowed: ['hr', 'admin', 'manager'] },
  { path: `/api/exports/kpi?month=${MONTH}`, allowed: ROLES },
  { path: `/api/exports/late-tickets?month=${MONTH}`, allowed: ROLES },
];

describe('role matrix', () => {
  for (const r of ROUTES) {
    it(`GET ${r.path}`, async () => {
      for (const role of ROLES) {
        for (const format of ['xlsx', 'csv']) {
          const res = await get(`${r.path}&format=${format}`, role);
          if (r.allowed.includes(role)) {
            expect(res.status, `${role} ${format}: ${await res.clone().text()}`).toBe(200);
            expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="[A-Za-z0-9_.-]+"; filename\*=UTF-8''/);
          } else {
            expect(res.status, `${role} must be refused`).toBe(403);
            expect((await res.json()).error.code).toBe('forbidden');
          }
        }
      }
      const anon = await get(r.path);
      expect(anon.status).toBe(401);
      // A manager naming another team is refused; their own team is fine.
      const other = await get(`${r.path}&team=${OTHER_TEAM}`, 'manager');
      expect(other.status).toBe(403);
      expect((await other.json()).error.code).toBe('other_team');
      expect((await get(`${r.path}&team=${MANAGER_TEAM}`, 'manager')).status).toBe(200);
    });
  }

  it('refuses a bad format, a missing month and unknown parameters with 400', async () => {
    for (const qs of ['?month=2025-05&format=pdf', '', '?month=2025-05&page=2']) {
      const res = await get(`/api/exports/kpi${qs}`, 'admin');
      expect(res.status, qs).toBe(400);
    }
  });

  it('is described in the OpenAPI document with its roles', async () => {
    const doc = await (await get('/api/openapi.json')).json();
    expect(doc.paths['/api/exports/bonus-sheet'].get['x-roles']).toEqual(['hr', 'admin', 'manager']);
    expect(doc.paths['/api/exports/late-tickets'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['month', 'team', 'format']),
    );
  });
});

describe('bonus sheet', () => {
  it('XLSX: getAssessment people with names, money as numbers, a totals row, open-month caption', async () => {
    const a = await getAssessment(t.wh, MONTH);
    expect(a.people.length).toBeGreaterThan(3);
    const res = await get(`/api/exports/bonus-sheet?month=${MONTH}`, 'hr');
    const disp = res.headers.get('content-disposition')!;
    expect(disp).toContain(`filename="bonus-sheet-${MONTH}.xlsx"`);
    expect(decodeURIComponent(disp.split("filename*=UTF-8''")[1]!)).toBe(`奖惩明细-${MONTH}.xlsx`);
    const { rows, ws } = await readXlsx(res);
    expect(String(rows[0]![0])).toContain('未结账');
    expect(rows[1]).toEqual(['工号', '姓名', '班组', '满意度分摊', '投诉扣款', '伪造反馈表扣款', '季度奖励', '其他奖惩', '合计', '伪造反馈表', '伪造反馈表编号']);
    const body = rows.slice(2, -1);
    const totals = rows.at(-1)!;
    const names = new Map((await t.wh.all<{ technician_id: string; name: string }>('SELECT technician_id, name FROM technicians')).map((r) => [r.technician_id, r.name]));
    expect(body).toEqual(a.people.map((p) => [
      p.technician_id, names.get(p.technician_id)!, p.team_id, p.satisfaction_share, p.complaint_penalty, p.forged_form_penalty, p.quarterly_reward, p.adjustments, p.total,
      p.forged_forms, p.forged_form_ids.join('、') || null,
    ]));
    expect(totals[0]).toBe('合计');
    const keys = ['satisfaction_share', 'complaint_penalty', 'forged_form_penalty', 'quarterly_reward', 'adjustments', 'total', 'forged_forms'] as const;
    keys.forEach((k, i) => expect(totals[3 + i] as number).toBeCloseTo(a.people.reduce((s, p) => s + p[k], 0), 2));
    // Totals add up across the row too: the parts make the total.
    expect((totals[3] as number) + (totals[4] as number) + (totals[5] as number) + (totals[6] as number) + (totals[7] as number)).toBeCloseTo(totals[8] as number, 2);
    // Money cells are numbers with a money format; Chinese headers get room.
    expect(ws.getCell(3, 9).type).toBe(ExcelJS.ValueType.Number);
    expect(ws.getCell(3, 9).numFmt).toBe('#,##0.00');
    expect(ws.getColumn(4).width).toBeGreaterThanOrEqual(displayWidth('满意度分摊'));
  });

  it('CSV for a manager: their team only, totals of their team', async () => {
    const a = await getAssessment(t.wh, MONTH);
    const mine = a.people.filter((p) => p.team_id === MANAGER_TEAM);
    expect(mine.length).toBeGreaterThan(0);
    const rows = await readCsv(await get(`/api/exports/bonus-sheet?month=${MONTH}&format=csv`, 'manager'));
    const body = rows.slice(2, -1);
    expect(body.map((r) => r[0])).toEqual(mine.map((p) => p.technician_id));
    expect(new Set(body.map((r) => r[2]))).toEqual(new Set([MANAGER_TEAM]));
    expect(body.map((r) => num(r[8]))).toEqual(mine.map((p) => p.total));
    expect(num(rows.at(-1)![8])).toBeCloseTo(mine.reduce((s, p) => s + p.total, 0), 2);
  });

  it('says when the month is closed (frozen figures)', async () => {
    const closedMonth = '2025-04';
    const close = await call(app, 'POST', `/api/months/${closedMonth}/close`, { as: as.hr });
    expect(close.status, await close.clone().text()).toBe(200);
    const rows = await readCsv(await get(`/api/exports/bonus-sheet?month=${closedMonth}&format=csv`, 'admin'));
    expect(rows[0]![0]).toMatch(/已结账.*hr1/);
    const { rows: x } = await readXlsx(await get(`/api/exports/bonus-sheet?month=${closedMonth}`, 'hr'));
    expect(String(x[0]![0])).toContain('已结账');
  });
});

describe('KPI table', () => {
  it('XLSX: company first, then every team of kpi_month; rates are numbers formatted as percentages', async () => {
    const { rows, ws } = await readXlsx(await get(`/api/exports/kpi?month=${MONTH}`, 'executive'));
    const header = rows[1]!;
    const col = (h: string) => header.indexOf(h);
    const body = rows.slice(2);
    const teams = (await t.wh.all<{ id: string }>(
      `SELECT scope_id AS id FROM kpi_month WHERE scope = 'team' AND month = CAST($1 AS DATE) ORDER BY scope_id`, [`${MONTH}-01`],
    )).map((r) => r.id);
    expect(body.length).toBe(teams.length + 1);
    expect(body[0]![col('班组名称')]).toBe('全公司');
    expect(body.slice(1).map((r) => r[col('班组编号')])).toEqual(teams);
    const company = await getKpi(t.wh, MONTH);
    expect(body[0]![col('服务及时率')]).toBe(company.timeliness_rate);
    expect(body[0]![col('报修工单')]).toBe(company.tickets.reported);
    for (const [i, id] of teams.entries()) {
      const k = await getKpi(t.wh, MONTH, { scope: 'team', id });
      const r = body[i + 1]!;
      expect(r[col('服务及时率')]).toBe(k.timeliness_rate);
      expect(r[col('用户满意程度')]).toBe(k.satisfaction_rate);
      expect(r[col('用户抱怨率')]).toBe(k.complaint_rate);
      expect(r[col('满意度均项得分')]).toBe(k.feedback.mean_score);
      expect(r[col('服务次数')]).toBe(k.tickets.completed);
    }
    // Team counts add up to the company's.
    const sum = (h: string) => body.slice(1).reduce((s, r) => s + (r[col(h)] as number), 0);
    expect(sum('报修工单')).toBe(company.tickets.reported);
    const rate = ws.getCell(3, col('服务及时率') + 1);
    expect(rate.type).toBe(ExcelJS.ValueType.Number);
    expect(rate.numFmt).toBe('0.0%');
  });

  it('CSV for a manager: their team only, no company row', async () => {
    const rows = await readCsv(await get(`/api/exports/kpi?month=${MONTH}&format=csv`, 'manager'));
    expect(rows.length).toBe(3);
    const k = await getKpi(t.wh, MONTH, { scope: 'team', id: MANAGER_TEAM });
    expect(rows[2]![0]).toBe(MANAGER_TEAM);
    expect(num(rows[2]![rows[1]!.indexOf('服务及时率')])).toBe(k.timeliness_rate);
  });
});

describe('late tickets', () => {
  const phonesOfMonth = async () =>
    (await t.wh.all<{ p: string }>(
      `SELECT t.contact_phone AS p FROM fct_ticket_sla s JOIN tickets t USING (ticket_id)
       WHERE s.month = CAST($1 AS DATE) AND s.status = 'late' AND t.contact_phone IS NOT NULL`, [`${MONTH}-01`],
    )).map((r) => r.p);

  it('all rows of the JSON route; supervisor and admin see PII, the same as JSON', async () => {
    const json = await (await get(`/api/tickets/late?month=${MONTH}&page_size=500`, 'admin')).json();
    expect(json.total).toBeGreaterThan(0);
    expect(json.total).toBeLessThanOrEqual(500);
    const { rows } = await readXlsx(await get(`/api/exports/late-tickets?month=${MONTH}`, 'admin'));
    const body = rows.slice(2);
    expect(body.length).toBe(json.total);
    const byId = new Map(body.map((r) => [r[0], r]));
    for (const j of json.rows) {
      const r = byId.get(j.ticket_id)!;
      expect(r[7]).toBe(j.minutes_late);
      expect(r[9]).toBe(j.contact_phone);
      expect(r[10]).toBe(j.address);
    }
    expect(String(rows[0]![0])).not.toContain('脱敏');
  });

  it('masked for hr and manager exactly like the JSON route; manager sees their team only', async () => {
    const raw = await phonesOfMonth();
    expect(raw.length).toBeGreaterThan(0);
    for (const role of ['hr', 'manager'] as const) {
      const json = await (await get(`/api/tickets/late?month=${MONTH}&page_size=500`, role)).json();
      const res = await get(`/api/exports/late-tickets?month=${MONTH}&format=csv`, role);
      const text = await res.clone().text();
      for (const p of raw) expect(text, role).not.toContain(p);
      const rows = await readCsv(res);
      expect(rows[0]![0]).toContain('已脱敏');
      const body = rows.slice(2);
      expect(body.length).toBe(json.total);
      const byId = new Map(body.map((r) => [r[0], r]));
      for (const j of json.rows) {
        const r = byId.get(j.ticket_id)!;
        expect([r[8], r[9], r[10]]).toEqual([j.customer_name ?? '', j.contact_phone ?? '', j.address ?? '']);
        expect(r[9]).toMatch(/^(\d{3}\*+\d{4}|\**)$/);
      }
      if (role === 'manager') expect(new Set(body.map((r) => r[2]))).toEqual(new Set([MANAGER_TEAM]));
    }
  });

  it('refuses more rows than the cap with 422 export_too_large', async () => {
    limits.exportMaxRows = 1;
    try {
      const res = await get(`/api/exports/late-tickets?month=${MONTH}`, 'admin');
      expect(res.status).toBe(422);
      const body = await res.json();
      expect(body.error.code).toBe('export_too_large');
      expect(body.error.max_rows).toBe(1);
    } finally {
      limits.exportMaxRows = DEFAULT_LIMITS.exportMaxRows;
    }
  });

  it('audits every export', async () => {
    const entries = await listAudit(t.wh, { action: 'export', limit: 1000 });
    expect(entries.some((e) => e.actor === USERS.manager && (e.detail as { kind: string }).kind === 'late-tickets')).toBe(true);
    expect(entries.some((e) => e.actor === USERS.hr && (e.detail as { kind: string }).kind === 'bonus-sheet')).toBe(true);
  });
});

describe('forms and complaints drill-downs', () => {
  it('forms: the rows of GET /api/forms with the same filter; masked for hr', async () => {
    const json = await (await get(`/api/forms?month=${MONTH}&filter=low_score&page_size=500`, 'supervisor')).json();
    expect(json.total).toBeGreaterThan(0);
    const { rows } = await readXlsx(await get(`/api/exports/forms?month=${MONTH}&filter=low_score`, 'supervisor'));
    const body = rows.slice(2);
    expect(body.length).toBe(json.total);
    const byId = new Map(body.map((r) => [r[0], r]));
    for (const j of json.rows) {
      const r = byId.get(j.form_id)!;
      expect(r[1]).toBe(j.ticket_id);
      expect(r[10]).toBe(j.score);
      expect(r[15]).toBe(j.contact_phone);
    }
    const hr = await readCsv(await get(`/api/exports/forms?month=${MONTH}&filter=low_score&format=csv`, 'hr'));
    expect(hr[0]![0]).toContain('已脱敏');
    for (const r of hr.slice(2)) expect(r[15]).toMatch(/^(\d{3}\*+\d{4}|\**)$/);
  });

  it('complaints: the rows of GET /api/complaints with the same filter; a manager gets their team only', async () => {
    const json = await (await get(`/api/complaints?month=${MONTH}&attributable=yes&page_size=500`, 'admin')).json();
    expect(json.total).toBeGreaterThan(0);
    const rows = await readCsv(await get(`/api/exports/complaints?month=${MONTH}&attributable=yes&format=csv`, 'admin'));
    const body = rows.slice(2);
    expect(body.length).toBe(json.total);
    expect(new Set(body.map((r) => r[0]))).toEqual(new Set(json.rows.map((j: { complaint_id: string }) => j.complaint_id)));
    expect(new Set(body.map((r) => r[4]))).toEqual(new Set(['yes']));
    const mgr = await readCsv(await get(`/api/exports/complaints?month=${MONTH}&format=csv`, 'manager'));
    expect(new Set(mgr.slice(2).map((r) => r[6]))).toEqual(new Set([MANAGER_TEAM]));
    expect((await get(`/api/exports/complaints?month=${MONTH}&team=${OTHER_TEAM}`, 'manager')).status).toBe(403);
  });
});

describe('formula injection', () => {
  const EVIL = '=HYPERLINK("http://x","y")';

  it('a technician named like a formula is exported with an apostrophe, in XLSX and CSV', async () => {
    // A technician of the bonus sheet who also has a late ticket of the month.
    const tech = (await t.wh.one<{ technician_id: string; team_id: string }>(
      `SELECT s.technician_id, te.team_id FROM fct_ticket_sla s JOIN technicians te USING (technician_id)
       WHERE s.month = CAST($1 AS DATE) AND s.status = 'late'
         AND s.technician_id IN (SELECT technician_id FROM mart_bonus_person WHERE month = CAST($1 AS DATE))
       ORDER BY s.technician_id LIMIT 1`, [`${MONTH}-01`],
    ))!;
    expect(tech).toBeDefined();
    const file = t.file('evil-technicians.csv', `工号,姓名,班组编号\r\n${tech.technician_id},"${EVIL.replaceAll('"', '""')}",${tech.team_id}\r\n`);
    const summary = await ingestFile(t.wh, 'technicians', file, { uploadedBy: 'test' });
    expect(summary.updated).toBe(1);

    const { rows } = await readXlsx(await get(`/api/exports/bonus-sheet?month=${MONTH}`, 'admin'));
    const bonusRow = rows.find((r) => r[0] === tech.technician_id)!;
    expect(bonusRow[1]).toBe(`'${EVIL}`);

    const csv = await readCsv(await get(`/api/exports/bonus-sheet?month=${MONTH}&format=csv`, 'hr'));
    expect(csv.find((r) => r[0] === tech.technician_id)![1]).toBe(`'${EVIL}`);

    const late = await readXlsx(await get(`/api/exports/late-tickets?month=${MONTH}`, 'supervisor'));
    const names = late.rows.slice(2).filter((r) => r[4] === tech.technician_id).map((r) => r[5]);
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) expect(n).toBe(`'${EVIL}`);
    // No cell anywhere is a formula.
    late.ws.eachRow((row) => row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)));
  });
});
