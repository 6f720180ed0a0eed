/**
 * What files people really have (SPEC §2): English or Chinese headers, UTF-8 with or without BOM,
 * GBK/GB18030, TSV, XLSX with Excel serial dates, every timestamp notation, extra columns.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { join } from 'node:path';
import { ingestFile } from '../../pipelines/ingest/ingest.ts';
import { excelSerialToText } from '../../pipelines/ingest/xlsx-to-csv.ts';
import { csv, tempWarehouse, type TempWarehouse } from '../helpers.ts';

let t: TempWarehouse;
beforeEach(async () => {
  t = await tempWarehouse();
});
afterEach(() => t.cleanup());

const EN = ['ticket_id', 'reported_at', 'channel', 'customer_name', 'address', 'team_id', 'technician_id', 'result', 'needs_supplier', 'distance_km'];
const ZH = ['工单号', '报修时间', '报修渠道', '客户名称', '地址', '班组编号', '工号', '处理结果', '需联系配套厂家', '服务半径（公里）'];
const ROWS = [
  ['K1', '2025-05-03 14:20', '电话', '上海某物流公司', '上海市浦东新区张江路1号', 'T01', 'E0101', '已完成', '是', '12.5'],
  ['K2', '2025/5/3 14:20', 'wechat', '杭州某客运公司', '杭州市西湖区文三路2号', 'T01', 'E0102', 'needs_return', 'N', '0'],
  ['K3', '2025年5月3日 14:20', 'Email', '南京某公交公司', '南京市鼓楼区中山路3号', 'T02', 'E0201', '更换设备', 'false', '150'],
];

const SNAPSHOT = 'SELECT ticket_id, strftime(reported_at, \'%Y-%m-%d %H:%M:%S\') AS reported_at, channel, customer_name, address, result, needs_supplier, distance_km FROM tickets ORDER BY 1';
const EXPECTED = [
  { ticket_id: 'K1', reported_at: '2025-05-03 14:20:00', channel: 'phone', customer_name: '上海某物流公司', address: '上海市浦东新区张江路1号', result: 'completed', needs_supplier: true, distance_km: 12.5 },
  { ticket_id: 'K2', reported_at: '2025-05-03 14:20:00', channel: 'wechat', customer_name: '杭州某客运公司', address: '杭州市西湖区文三路2号', result: 'needs_return', needs_supplier: false, distance_km: 0 },
  { ticket_id: 'K3', reported_at: '2025-05-03 14:20:00', channel: 'email', customer_name: '南京某公交公司', address: '南京市鼓楼区中山路3号', result: 'replaced', needs_supplier: false, distance_km: 150 },
];

describe('header languages and encodings', () => {
  it('reads English ids', async () => {
    const b = await ingestFile(t.wh, 'tickets', t.file('en.csv', csv([EN, ...ROWS])));
    expect(b).toMatchObject({ encoding: 'utf-8', accepted: 3, rejected: 0 });
    expect(await t.wh.all(SNAPSHOT)).toEqual(EXPECTED);
  });

  for (const encoding of ['utf-8', 'utf-8-bom', 'gbk', 'gb18030'] as const) {
    it(`reads Chinese labels in ${encoding}`, async () => {
      const b = await ingestFile(t.wh, 'tickets', t.file(`zh-${encoding}.csv`, csv([ZH, ...ROWS]), encoding));
      expect(b).toMatchObject({ accepted: 3, rejected: 0, encoding: encoding === 'gbk' ? 'gb18030' : encoding });
      expect(await t.wh.all(SNAPSHOT)).toEqual(EXPECTED);
    });
  }

  it('reads a GBK file whose quoted fields hold commas and line breaks', async () => {
    const text = '投诉编号,受理时间,投诉内容,投诉类别\nC1,2025年5月3日 14:20,"师傅迟到, 态度差\n第二次投诉",服务态度\n';
    const b = await ingestFile(t.wh, 'complaints', t.file('c.csv', text, 'gbk'));
    expect(b).toMatchObject({ encoding: 'gb18030', accepted: 1 });
    expect(await t.wh.all('SELECT description, category, line_no FROM complaints')).toEqual([
      { description: '师傅迟到, 态度差\n第二次投诉', category: 'attitude', line_no: 2 },
    ]);
  });

  it('reads TSV and CRLF line ends', async () => {
    const text = [ZH, ...ROWS].map((r) => r.join('\t')).join('\r\n') + '\r\n';
    const b = await ingestFile(t.wh, 'tickets', t.file('zh.tsv', text));
    expect(b).toMatchObject({ format: 'tsv', accepted: 3 });
    expect(await t.wh.all(SNAPSHOT)).toEqual(EXPECTED);
  });

  it('keeps unknown extra columns in `extra`', async () => {
    const b = await ingestFile(t.wh, 'teams', t.file('teams.csv', csv([['班组编号', '班组名称', '区域', '成立年份', '备注'], ['T01', '上海服务站', '华东', '2010', '']])));
    expect(b.accepted).toBe(1);
    const [row] = await t.wh.all<{ extra: string }>('SELECT CAST(extra AS VARCHAR) AS extra FROM teams');
    expect(JSON.parse(row!.extra)).toEqual({ 成立年份: '2010', 备注: null });
  });

  it('accepts every timestamp notation of SPEC §2 and converts ISO offsets to China time', async () => {
    const cases: [string, string][] = [
      ['2025-05-03 14:20', '2025-05-03 14:20:00'],
      ['2025-05-03 14:20:07', '2025-05-03 14:20:07'],
      ['2025/5/3 14:20', '2025-05-03 14:20:00'],
      ['2025/05/03 14:20:07', '2025-05-03 14:20:07'],
      ['2025年5月3日 14:20', '2025-05-03 14:20:00'],
      ['2025年5月3日14:20:07', '2025-05-03 14:20:07'],
      ['2025-05-03T14:20:00', '2025-05-03 14:20:00'],
      ['2025-05-03T14:20:00+08:00', '2025-05-03 14:20:00'],
      ['2025-05-03T06:20:00Z', '2025-05-03 14:20:00'],
      ['2025-05-03T08:20:00+02:00', '2025-05-03 14:20:00'],
      ['2025-05-03', '2025-05-03 00:00:00'],
    ];
    const rows = cases.map(([raw], i) => [`K${i}`, raw, 'x']);
    const b = await ingestFile(t.wh, 'tickets', t.file('ts.csv', csv([['ticket_id', 'reported_at', 'customer_name'], ...rows])));
    expect(b.rejected).toBe(0);
    const got = await t.wh.all<{ ticket_id: string; ts: string }>(`SELECT ticket_id, strftime(reported_at, '%Y-%m-%d %H:%M:%S') AS ts FROM tickets`);
    const byId = new Map(got.map((g) => [g.ticket_id, g.ts]));
    cases.forEach(([raw, want], i) => expect(`${raw} → ${byId.get(`K${i}`)}`).toBe(`${raw} → ${want}`));
  });
});

describe('XLSX', () => {
  it('reads an XLSX sheet with date cells and bare Excel serial dates', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('工单');
    ws.addRow(['工单号', '报修时间', '客户名称', '完成时间', '配件费', '服务半径(公里)']);
    // A date-formatted cell (exceljs writes a serial with a date format) and a bare serial number.
    ws.addRow(['K1', new Date(Date.UTC(2025, 4, 3, 14, 20, 0)), '甲公司', 45781.5, 120.5, 30]);
    ws.getCell('B2').numFmt = 'yyyy-mm-dd hh:mm';
    ws.addRow([]);
    ws.addRow(['K2', '2025/5/4 09:00', { richText: [{ text: '乙' }, { text: '公司' }] }, '', 0, 'far']);
    const file = join(t.dir, 'tickets.xlsx');
    await wb.xlsx.writeFile(file);

    const b = await ingestFile(t.wh, 'tickets', file);
    expect(b).toMatchObject({ format: 'xlsx', encoding: 'xlsx', rows: 2, accepted: 1, rejected: 1 });
    expect(await t.wh.all(`SELECT ticket_id, strftime(reported_at, '%Y-%m-%d %H:%M:%S') AS r, strftime(completed_at, '%Y-%m-%d %H:%M:%S') AS c, customer_name, parts_cost FROM tickets`)).toEqual([
      { ticket_id: 'K1', r: '2025-05-03 14:20:00', c: '2025-05-04 12:00:00', customer_name: '甲公司', parts_cost: 120.5 },
    ]);
    const [rej] = await t.wh.all<{ line_no: number }>('SELECT line_no FROM rejects');
    expect(rej!.line_no).toBe(4); // the Excel row, counting the empty row 3
  });

  it('converts serials by the 1900 date system', () => {
    expect(excelSerialToText(45781.5)).toBe('2025-05-04 12:00:00');
    expect(excelSerialToText(1)).toBe('1899-12-31 00:00:00');
    expect(excelSerialToText(45658 + 14 / 24 + 20 / 1440)).toBe('2025-01-01 14:20:00');
  });
});
