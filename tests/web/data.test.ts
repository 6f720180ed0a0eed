/**
 * The data page (issue 5 §5, SPEC §2–3) in a real browser: a dirty file is previewed (rows,
 * encoding, detected kind, column mapping) before it is sent, the batch summary matches what the
 * server recorded for the batch, every reason of the rejected lines is shown, and the rejected
 * rows download as a CSV holding the bad rows with their reasons; a GB18030 file previews its
 * Chinese header; hr sees only adjustments and no rejects download; wrong files are refused in
 * plain words. Also the browser's header matching and decoding on their own.
 */
import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startDashboard, unexpected, type Dashboard } from './browser.ts';
import type { UploadKind } from '../../pipelines/contract/index.ts';
import { detectKind, mapHeader } from '../../web/src/lib/components/data/mapping.ts';
import { decode, detectDelimiter, parseText } from '../../web/src/lib/components/data/preview.ts';

let d: Dashboard;
let techs: string[];
beforeAll(async () => {
  d = await startDashboard();
  techs = (await d.t.wh.all<{ technician_id: string }>('SELECT technician_id FROM technicians ORDER BY technician_id LIMIT 6')).map((r) => r.technician_id);
});
afterAll(async () => d?.close());

/** What the server recorded for a batch, asked through the signed-in page. */
async function apiBatch(page: Page, id: number) {
  const { batches } = await page.evaluate(async () => (await fetch('/api/batches?limit=50')).json());
  return (batches as { batch_id: number; accepted: number; rejected: number; rows_read: number; status: string }[]).find((b) => b.batch_id === id)!;
}

async function summaryCount(page: Page, name: string): Promise<number> {
  return Number(await page.locator(`[data-testid=count-${name}]`).getAttribute('data-value'));
}

async function waitForSummary(page: Page, fileName: string): Promise<number> {
  const summary = page.locator('[data-testid=summary]');
  await expect.poll(() => summary.textContent(), { timeout: 60_000 }).toContain(fileName);
  return Number(await summary.getAttribute('data-batch'));
}

describe('the browser side of the file contract', () => {
  const adjustments: UploadKind = {
    name: 'adjustments', label: '其他奖惩', key: ['technician_id', 'month', 'reason'],
    columns: [
      { id: 'technician_id', label: '工号', aliases: [], required: true },
      { id: 'month', label: '月份', aliases: [], required: true },
      { id: 'amount', label: '金额', aliases: [], required: true },
      { id: 'reason', label: '事由', aliases: ['原因'], required: true },
      { id: 'approved_by', label: '批准人', aliases: [], required: true },
    ],
  };
  const technicians: UploadKind = {
    name: 'technicians', label: '售后服务人员', key: ['technician_id'],
    columns: [
      { id: 'technician_id', label: '工号', aliases: [], required: true },
      { id: 'name', label: '姓名', aliases: [], required: true },
      { id: 'team_id', label: '班组编号', aliases: [], required: false },
    ],
  };

  it('matches headers by id (any case), label or alias, and picks the kind with its required columns', () => {
    const m = mapHeader(adjustments, [' 工号 ', 'MONTH', '金额', '原因', '批准人', '备注', 'reject_reason']);
    expect(m.headers.map((h) => [h.status, h.column?.id ?? null])).toEqual([
      ['mapped', 'technician_id'], ['mapped', 'month'], ['mapped', 'amount'], ['mapped', 'reason'], ['mapped', 'approved_by'], ['extra', null], ['ignored', null],
    ]);
    expect(m.missing).toEqual([]);
    expect(detectKind([technicians, adjustments], ['工号', '月份', '金额', '事由', '批准人'])!.kind.name).toBe('adjustments');
    // Both match 工号 only: technicians wins by having the other required column (姓名).
    expect(detectKind([adjustments, technicians], ['工号', '姓名'])!.kind.name).toBe('technicians');
    const partial = detectKind([technicians, adjustments], ['工号', '月份', '金额'])!;
    expect(partial.kind.name).toBe('adjustments');
    expect(partial.missing.map((c) => c.id)).toEqual(['reason', 'approved_by']);
    expect(mapHeader(adjustments, ['工号', 'technician_id']).headers[1]!.status).toBe('duplicate');
    expect(detectKind([adjustments, technicians], ['foo', 'bar'])).toBeNull();
  });

  it('decodes UTF-8 (BOM or not) and else GB18030, and finds the delimiter as the server does', () => {
    expect(decode(new TextEncoder().encode('工号,月份'))).toEqual({ text: '工号,月份', encoding: 'utf-8' });
    expect(decode(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('工号')]))).toEqual({ text: '工号', encoding: 'utf-8-bom' });
    expect(decode(new Uint8Array(iconv.encode('投诉编号,受理时间', 'gb18030')))).toEqual({ text: '投诉编号,受理时间', encoding: 'gb18030' });
    expect(detectDelimiter('a\tb\tc,d')).toBe('\t');
    expect(detectDelimiter('"a;b",c;d;e')).toBe(';');
    const p = parseText('a,b\n1,2\n\n3,"4\n5"\n', 'x.csv', 'utf-8', 100, 100);
    expect(p.header).toEqual(['a', 'b']);
    expect(p.rows).toEqual([['1', '2'], ['3', '4\n5']]);
    expect(p.dataRows).toBe(2);
  });
});

describe('data page', () => {
  it('supervisor: a dirty adjustments file is previewed, imported, its rejects shown with every reason and downloaded', async () => {
    const { page, context, errors } = await d.open('supervisor', '/data');
    const [t1, t2, t3, t4, t5] = techs as [string, string, string, string, string];
    const lines = [
      '工号,月份,金额,事由,批准人,备注',
      `${t1},2025-05,500,合理化建议被采纳,张经理,第一条`, // line 2: good
      `${t2},2025-05,五百,客户表扬,张经理,`, // line 3: amount not a number
      `${t3},2025-13,200,客户表扬,李经理,`, // line 4: no month 13
      `,2025-05,-300,违规收费,李经理,`, // line 5: technician missing
      `${t4},2025-13,abc,,王经理,`, // line 6: three reasons
      `${t5},2025-04,-100.5,迟到,王经理,罚款`, // line 7: good (signed amount)
    ];
    const csv = Buffer.from('\uFEFF' + lines.join('\r\n') + '\r\n', 'utf8');
    await page.locator('[data-testid=dropzone]').waitFor();
    await page.locator('[data-testid=file-input]').setInputFiles({ name: '其他奖惩-dirty.csv', mimeType: 'text/csv', buffer: csv });

    // Preview: rows parsed in the browser, encoding, detected kind, mapping.
    await expect.poll(() => page.locator('[data-testid=preview-row]').count()).toBe(6);
    const firstRow = await page.locator('[data-testid=preview-row]').first().locator('td').allTextContents();
    expect(firstRow).toEqual(['1', t1, '2025-05', '500', '合理化建议被采纳', '张经理', '第一条']);
    expect(await page.locator('[data-testid=file-encoding]').getAttribute('data-encoding')).toBe('utf-8-bom');
    expect(await page.locator('[data-testid=file-rows]').textContent()).toContain('6');
    expect(await page.locator('[data-testid=kind-detected]').getAttribute('data-kind')).toBe('adjustments');
    expect(await page.locator('[data-testid=kind-select]').inputValue()).toBe('adjustments');
    const mapping = await page.locator('[data-testid=mapping-row]').evaluateAll((rows) => rows.map((r) => [(r as HTMLElement).dataset.header, (r as HTMLElement).dataset.column, (r as HTMLElement).dataset.status]));
    expect(mapping).toEqual([
      ['工号', 'technician_id', 'mapped'], ['月份', 'month', 'mapped'], ['金额', 'amount', 'mapped'], ['事由', 'reason', 'mapped'], ['批准人', 'approved_by', 'mapped'], ['备注', '', 'extra'],
    ]);
    expect(await page.locator('[data-testid=mapping-row][data-status=extra]').textContent()).toContain('extra');
    expect(await page.locator('[data-testid=mapping-missing]').count()).toBe(0);

    // Send, then the summary equals what the server recorded for the new batch.
    await page.locator('[data-testid=send]').click();
    const batchId = await waitForSummary(page, '其他奖惩-dirty.csv');
    const api = await apiBatch(page, batchId);
    expect(api.status).toBe('committed');
    expect(await summaryCount(page, 'accepted')).toBe(api.accepted);
    expect(await summaryCount(page, 'rejected')).toBe(api.rejected);
    expect(await summaryCount(page, 'rows')).toBe(api.rows_read);
    expect([api.accepted, api.rejected]).toEqual([2, 4]);
    const inWarehouse = await d.t.wh.one<{ n: number }>('SELECT count(*)::INT AS n FROM rejects WHERE batch_id = $1', [batchId]);
    expect(inWarehouse!.n).toBe(4);

    // Every reason of every rejected line, as the API lists them.
    await expect.poll(() => page.locator('[data-testid=reject-line]').allTextContents()).toEqual(['3', '4', '5', '6']);
    const rejectsApi = await page.evaluate(async (id) => (await fetch(`/api/batches/${id}/rejects?limit=20`)).json(), batchId);
    const shown = await page.locator('[data-testid=reject-reason]').evaluateAll((rows) => rows.map((r) => `${(r as HTMLElement).dataset.line}:${(r as HTMLElement).dataset.column}:${(r as HTMLElement).dataset.code}`));
    const expected = (rejectsApi.rows as { line_no: number; reasons: { column: string; code: string }[] }[]).flatMap((r) => r.reasons.map((x) => `${r.line_no}:${x.column}:${x.code}`));
    expect(shown).toEqual(expected);
    expect(shown.filter((s) => s.startsWith('6:')).sort()).toEqual(['6:amount:unparseable_number', '6:month:unparseable_month', '6:reason:missing_required']);
    expect(shown).toContain('3:amount:unparseable_number');
    expect(shown).toContain('5:technician_id:missing_required');
    expect(await page.locator('[data-testid=reject-reason][data-line="4"]').textContent()).toContain('不是有效的月份');

    // The rejects download: the bad rows in their own columns plus reject_reason.
    const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=download-rejects]').click()]);
    expect(dl.suggestedFilename()).toBe(`rejects-${batchId}.csv`);
    const text = readFileSync((await dl.path())!, 'utf8').replace(/^\uFEFF/, '');
    const out = text.trim().split(/\r?\n/);
    expect(out[0]).toBe('工号,月份,金额,事由,批准人,备注,reject_reason');
    expect(out).toHaveLength(5);
    expect(out[1]).toContain('五百');
    expect(out[1]).toMatch(/line 3: .*amount/);
    expect(out[2]).toContain('2025-13');
    expect(out[2]).toMatch(/line 4: .*month/);
    expect(out[3]).toMatch(/^,2025-05,/);
    expect(out[3]).toMatch(/line 5: .*technician_id/);
    expect(out[4]).toMatch(/line 6: .*month.*;.*amount|line 6: .*amount.*;.*month/);
    expect(out[4]).toContain('reason');

    // The history shows the batch first, with the same counts and its download.
    const top = page.locator('[data-testid=history-row]').first();
    await expect.poll(() => top.getAttribute('data-batch')).toBe(String(batchId));
    expect(await top.locator('[data-testid=history-accepted]').textContent()).toBe(String(api.accepted));
    const [again] = await Promise.all([page.waitForEvent('download'), top.locator('[data-testid=history-download]').click()]);
    expect(readFileSync((await again.path())!, 'utf8')).toBe(readFileSync((await dl.path())!, 'utf8'));

    // The same bytes again: a duplicate that changes nothing.
    await page.locator('[data-testid=file-input]').setInputFiles({ name: '其他奖惩-dirty.csv', mimeType: 'text/csv', buffer: csv });
    await page.locator('[data-testid=send]').click();
    await expect.poll(() => page.locator('[data-testid=duplicate-note]').textContent(), { timeout: 60_000 }).toContain(`#${batchId}`);
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('a GB18030 (GBK) complaints file previews its Chinese header and the server reads it the same way', async () => {
    const { page, context, errors } = await d.open('supervisor', '/data');
    const text = [
      '投诉编号,受理时间,投诉渠道,客户名称,责任人工号,投诉类别,确属服务责任,情节,投诉内容',
      `TS-GB-1,2025-05-03 14:20,热线,张三,${techs[0]},服务态度,是,轻微,维修人员态度差`,
      `TS-GB-2,2025/5/4 9:00,网站,李四,${techs[1]},未按时到达,待定,较重,说好上午到下午才来`,
    ].join('\r\n');
    const bytes = iconv.encode(text, 'gb18030');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    await page.locator('[data-testid=file-input]').setInputFiles({ name: 'complaints-gbk.csv', mimeType: 'text/csv', buffer: bytes });
    await expect.poll(() => page.locator('[data-testid=preview-row]').count()).toBe(2);
    expect(await page.locator('[data-testid=file-encoding]').getAttribute('data-encoding')).toBe('gb18030');
    expect(await page.locator('[data-testid=file-encoding]').textContent()).toContain('GB18030');
    const headers = await page.locator('[data-testid=preview-table] thead th > div:first-child').allTextContents();
    expect(headers).toEqual(['投诉编号', '受理时间', '投诉渠道', '客户名称', '责任人工号', '投诉类别', '确属服务责任', '情节', '投诉内容']);
    expect(await page.locator('[data-testid=preview-row]').nth(1).locator('td').nth(9).textContent()).toBe('说好上午到下午才来');
    expect(await page.locator('[data-testid=kind-detected]').getAttribute('data-kind')).toBe('complaints');
    expect(await page.locator('[data-testid=mapping-row][data-header=责任人工号]').getAttribute('data-column')).toBe('technician_id');

    await page.locator('[data-testid=send]').click();
    const batchId = await waitForSummary(page, 'complaints-gbk.csv');
    expect(await page.locator('[data-testid=summary]').textContent()).toContain('GB18030');
    const api = await apiBatch(page, batchId);
    expect([await summaryCount(page, 'accepted'), await summaryCount(page, 'rejected')]).toEqual([api.accepted, api.rejected]);
    expect(api.accepted).toBe(2);
    const stored = await d.t.wh.all<{ description: string }>("SELECT description FROM complaints WHERE complaint_id LIKE 'TS-GB-%' ORDER BY complaint_id");
    expect(stored.map((r) => r.description)).toEqual(['维修人员态度差', '说好上午到下午才来']);
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('hr sees only the adjustments kind and, for rejects, whom to ask instead of a download', async () => {
    const { page, context, errors } = await d.open('hr', '/data');
    const csv = Buffer.from(['工号,月份,金额,事由,批准人', `${techs[2]},2025-05,300,季度优秀员工,人事部`, `${techs[3]},2025-5x,300,季度优秀员工,人事部`].join('\n') + '\n', 'utf8');
    await page.locator('[data-testid=file-input]').setInputFiles({ name: 'hr-adjustments.csv', mimeType: 'text/csv', buffer: csv });
    await expect.poll(() => page.locator('[data-testid=preview-row]').count()).toBe(2);
    const options = await page.locator('[data-testid=kind-select] option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(options).toEqual(['adjustments']);
    expect(await page.locator('[data-testid=file-encoding]').getAttribute('data-encoding')).toBe('utf-8');
    await page.locator('[data-testid=send]').click();
    const batchId = await waitForSummary(page, 'hr-adjustments.csv');
    const api = await apiBatch(page, batchId);
    expect([await summaryCount(page, 'accepted'), await summaryCount(page, 'rejected')]).toEqual([api.accepted, api.rejected]);
    expect(api.rejected).toBe(1);
    await page.locator('[data-testid=rejects-hr-note]').waitFor();
    expect(await page.locator('[data-testid=rejects-hr-note]').textContent()).toContain('监督部');
    expect(await page.locator('[data-testid=download-rejects]').count()).toBe(0);
    await expect.poll(() => page.locator('[data-testid=history-row]').first().getAttribute('data-batch')).toBe(String(batchId));
    expect(await page.locator('[data-testid=history-download]').count()).toBe(0);
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('refuses unsupported files in plain words: by name in the browser, by content on the server (415), too large (413)', async () => {
    const { page, context, errors } = await d.open('supervisor', '/data');
    const input = page.locator('[data-testid=file-input]');
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n', 'latin1');

    await input.setInputFiles({ name: 'report.pdf', mimeType: 'application/pdf', buffer: pdf });
    await expect.poll(() => page.locator('[data-testid=file-problem]').textContent()).toContain('无法导入「report.pdf」：只支持 CSV、TSV、TXT');
    expect(await page.locator('[data-testid=send]').count()).toBe(0);
    await input.setInputFiles({ name: 'old.xls', mimeType: 'application/vnd.ms-excel', buffer: Buffer.from([0xd0, 0xcf, 0x11, 0xe0]) });
    await expect.poll(() => page.locator('[data-testid=file-problem]').textContent()).toContain('另存为 .xlsx 或 CSV');

    // A PDF named .csv passes the name check; nothing in it is a known header, so the kind is chosen by hand.
    await input.setInputFiles({ name: 'disguised.csv', mimeType: 'text/csv', buffer: pdf });
    await page.locator('[data-testid=kind-none]').waitFor();
    expect(await page.locator('[data-testid=send]').isDisabled()).toBe(true);
    await page.locator('[data-testid=kind-select]').selectOption('complaints');
    expect(await page.locator('[data-testid=mapping-missing]').textContent()).toContain('complaint_id');
    await page.locator('[data-testid=send]').click();
    const err = page.locator('[data-testid=upload-error]');
    await expect.poll(() => err.getAttribute('data-status')).toBe('415');
    expect(await err.textContent()).toContain('服务器拒收了这个文件');
    expect(await err.textContent()).toContain('PDF');

    // Over the upload limit (UPLOAD_MAX_BYTES, read once at start; the routes read the app's limits per request).
    const before = d.limits.uploadMaxBytes;
    d.limits.uploadMaxBytes = 2000;
    try {
      const big = Buffer.from(['工号,月份,金额,事由,批准人', ...Array.from({ length: 200 }, (_, i) => `${techs[0]},2025-05,${i + 1},大文件第${i}行,张经理`)].join('\n'), 'utf8');
      await input.setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: big });
      await page.locator('[data-testid=send]').click();
      await expect.poll(() => err.getAttribute('data-status')).toBe('413');
      expect(await err.textContent()).toContain('文件太大');
    } finally {
      d.limits.uploadMaxBytes = before;
    }
    // Chromium logs each refused request; exactly those two are expected.
    const provoked = /Failed to load resource: the server responded with a status of (415|413)/;
    expect(errors.filter((e) => provoked.test(e))).toHaveLength(2);
    expect(unexpected(errors.filter((e) => !provoked.test(e)))).toEqual([]);
    await context.close();
  });

  it('in English, an XLSX file is sent without a preview and read on the server', async () => {
    const { page, context, errors } = await d.open('admin', '/data');
    await page.locator('[data-testid=lang-switch]').click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Data import');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sheet1');
    ws.addRow(['technician_id', 'month', 'amount', 'reason', 'approved_by']);
    ws.addRow([techs[4], '2025-05', 800, 'improvement suggestion adopted', 'Director Wang']);
    ws.addRow([techs[5], '2025-05', -200, 'late report', 'Director Wang']);
    const buffer = Buffer.from(await wb.xlsx.writeBuffer());
    await page.locator('[data-testid=file-input]').setInputFiles({ name: 'bonus.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer });
    await expect.poll(() => page.locator('[data-testid=xlsx-note]').textContent()).toContain('XLSX is read on the server');
    expect(await page.locator('[data-testid=preview-table]').count()).toBe(0);
    await page.locator('[data-testid=kind-select]').selectOption('adjustments');
    await page.locator('[data-testid=send]').click();
    const batchId = await waitForSummary(page, 'bonus.xlsx');
    expect(await page.locator('[data-testid=summary] h2').textContent()).toContain('Other rewards & penalties');
    const api = await apiBatch(page, batchId);
    expect([await summaryCount(page, 'accepted'), await summaryCount(page, 'rejected')]).toEqual([api.accepted, api.rejected]);
    expect(api.accepted).toBe(2);
    expect(await page.locator('[data-testid=refreshed]').textContent()).toContain('May 2025');
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });
});
