/**
 * Every rejection rule of SPEC §2–3, each on its own row, with every reason of a row kept and the
 * file's line and column named.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestFile } from '../../pipelines/ingest/ingest.ts';
import { listRejects } from '../../pipelines/ingest/rejects.ts';
import { csv, tempWarehouse, type TempWarehouse } from '../helpers.ts';

let t: TempWarehouse;
beforeEach(async () => {
  t = await tempWarehouse();
});
afterEach(() => t.cleanup());

const TICKET_HEADER = ['ticket_id', 'reported_at', 'channel', 'customer_name', 'distance_km', 'needs_supplier', 'first_response_at', 'arrived_at', 'completed_at', 'result', 'parts_cost', 'fee_charged'];

async function rejectsByLine(batchId: number) {
  const { rows } = await listRejects(t.wh, batchId);
  return new Map(rows.map((r) => [r.line_no, r.reasons.map((x) => `${x.column}:${x.code}`).sort()]));
}

describe('tickets rejection rules', () => {
  it('rejects each bad row with every reason, and accepts the good ones', async () => {
    const rows = [
      TICKET_HEADER,
      /* 2 good */ ['K01', '2025-05-03 14:20', '电话', '张三', '12', '否', '2025-05-03 15:00', '2025-05-04 09:00', '2025-05-04 12:00', '已完成', '100.50', '0'],
      /* 3 missing key */ ['', '2025-05-03 14:20', '电话', '张三', '', '', '', '', '', '', '', ''],
      /* 4 missing reported_at */ ['K04', '', '电话', '张三', '', '', '', '', '', '', '', ''],
      /* 5 bad timestamp */ ['K05', '2025-13-45 10:00', '电话', '张三', '', '', '', '', '', '', '', ''],
      /* 6 bad number */ ['K06', '2025-05-03 14:20', '电话', '张三', '12km', '', '', '', '', '', '', ''],
      /* 7 unknown enum */ ['K07', '2025-05-03 14:20', '传真', '张三', '', '', '', '', '', '', '', ''],
      /* 8 negative distance */ ['K08', '2025-05-03 14:20', '电话', '张三', '-3', '', '', '', '', '', '', ''],
      /* 9 negative money */ ['K09', '2025-05-03 14:20', '电话', '张三', '', '', '', '', '', '', '-10.00', ''],
      /* 10 first response before report */ ['K10', '2025-05-03 14:20', '电话', '张三', '', '', '2025-05-03 14:00', '', '', '', '', ''],
      /* 11 arrival before report */ ['K11', '2025-05-03 14:20', '电话', '张三', '', '', '', '2025-05-02 14:20', '', '', '', ''],
      /* 12 completion before report */ ['K12', '2025-05-03 14:20', '电话', '张三', '', '', '', '', '2025-05-03 14:19', '已完成', '', ''],
      /* 13 completed yet cancelled */ ['K13', '2025-05-03 14:20', '电话', '张三', '', '', '', '', '2025-05-04 10:00', '已取消', '', ''],
      /* 14 many at once */ ['K14', '2025-05-03 14:20', 'fax', '', '-1', 'maybe', '2025-05-01 10:00', '', '', 'lost', '1.234', 'abc'],
      /* 15 bad boolean alone */ ['K15', '2025-05-03 14:20', '电话', '张三', '', 'perhaps', '', '', '', '', '', ''],
      /* 16 exactly at reported_at is fine */ ['K16', '2025-05-03 14:20', '电话', '张三', '0', 'N', '2025-05-03 14:20', '', '', '', '0', '0.5'],
    ];
    const b = await ingestFile(t.wh, 'tickets', t.file('tickets.csv', csv(rows)));
    expect(b).toMatchObject({ rows: 15, accepted: 2, inserted: 2, rejected: 13 });
    const r = await rejectsByLine(b.batch_id);
    expect(r.get(3)).toEqual(['ticket_id:missing_required']);
    expect(r.get(4)).toEqual(['reported_at:missing_required']);
    expect(r.get(5)).toEqual(['reported_at:unparseable_timestamp']);
    expect(r.get(6)).toEqual(['distance_km:unparseable_number']);
    expect(r.get(7)).toEqual(['channel:unknown_enum']);
    expect(r.get(8)).toEqual(['distance_km:negative_value']);
    expect(r.get(9)).toEqual(['parts_cost:negative_value']);
    expect(r.get(10)).toEqual(['first_response_at:event_before_reported']);
    expect(r.get(11)).toEqual(['arrived_at:event_before_reported']);
    expect(r.get(12)).toEqual(['completed_at:event_before_reported']);
    expect(r.get(13)).toEqual(['completed_at:completed_when_cancelled']);
    expect(r.get(14)).toEqual(
      [
        'channel:unknown_enum',
        'customer_name:missing_required',
        'distance_km:negative_value',
        'needs_supplier:bad_boolean',
        'first_response_at:event_before_reported',
        'result:unknown_enum',
        'parts_cost:unparseable_number',
        'fee_charged:unparseable_number',
      ].sort(),
    );
    expect(r.get(15)).toEqual(['needs_supplier:bad_boolean']);
    expect(r.has(2) || r.has(16)).toBe(false);

    const accepted = await t.wh.all('SELECT ticket_id, parts_cost, fee_charged FROM tickets ORDER BY ticket_id');
    expect(accepted).toEqual([
      { ticket_id: 'K01', parts_cost: 100.5, fee_charged: 0 },
      { ticket_id: 'K16', parts_cost: 0, fee_charged: 0.5 },
    ]);
  });

  it('keeps raw values exactly as sent and names the value in the message', async () => {
    const b = await ingestFile(t.wh, 'tickets', t.file('t.csv', csv([TICKET_HEADER, ['K1', '2025/02/30 10:00', ' 电话 ', '张三', '', '', '', '', '', '', '', '']])));
    const { rows } = await listRejects(t.wh, b.batch_id);
    expect(rows[0]!.raw[1]).toBe('2025/02/30 10:00');
    expect(rows[0]!.raw[2]).toBe(' 电话 ');
    expect(rows[0]!.reasons[0]!.message).toBe('reported_at (报修时间): cannot read "2025/02/30 10:00" as a timestamp');
  });

  it('rejects every row of a key that appears twice in one file, naming both lines', async () => {
    const b = await ingestFile(
      t.wh,
      'tickets',
      t.file('t.csv', csv([['工单号', '报修时间', '客户名称'], ['A', '2025-05-01 08:00', 'x'], ['B', '2025-05-01 08:00', 'y'], ['A', '2025-05-02 08:00', 'z']])),
    );
    expect(b).toMatchObject({ accepted: 1, rejected: 2 });
    const { rows } = await listRejects(t.wh, b.batch_id);
    expect(rows.map((r) => r.line_no)).toEqual([2, 4]);
    expect(rows[0]!.reasons[0]!.message).toBe('ticket_id "A" appears more than once in this file, on lines 2, 4');
  });

  it('rejects a line with the wrong number of columns and keeps line numbers of later rows true', async () => {
    const text = 'ticket_id,reported_at,customer_name\nA,2025-05-01 08:00,x\nB,2025-05-01 08:00\nC,2025-05-01 08:00,z,extra\nD,2025-05-01 08:00,w\nE,bad,v\n';
    const b = await ingestFile(t.wh, 'tickets', t.file('t.csv', text));
    expect(b).toMatchObject({ rows: 5, accepted: 2, rejected: 3 });
    const r = await rejectsByLine(b.batch_id);
    expect(r.get(3)).toEqual([':column_count']);
    expect(r.get(4)).toEqual([':column_count']);
    expect(r.get(6)).toEqual(['reported_at:unparseable_timestamp']); // not shifted by the two lines above
    const lines = await t.wh.all('SELECT ticket_id, line_no FROM tickets ORDER BY 1');
    expect(lines).toEqual([
      { ticket_id: 'A', line_no: 2 },
      { ticket_id: 'D', line_no: 5 },
    ]);
  });

  it('gives true lines for quoted fields with line breaks and blank lines', async () => {
    const text = 'ticket_id,reported_at,customer_name,address\nA,2025-05-01 08:00,x,"line one\nline two"\n\nB,2025-05-01 08:00,"Li, ""Si""",y\nC,nope,z,w\nD,2025-05-01 08:00,v\n';
    const b = await ingestFile(t.wh, 'tickets', t.file('t.csv', text));
    expect(b).toMatchObject({ rows: 4, accepted: 2, rejected: 2 });
    const r = await rejectsByLine(b.batch_id);
    expect([...r.keys()]).toEqual([6, 7]);
    expect(r.get(7)).toEqual([':column_count']);
    const rows = await t.wh.all('SELECT ticket_id, customer_name, address, line_no FROM tickets ORDER BY 1');
    expect(rows).toEqual([
      { ticket_id: 'A', customer_name: 'x', address: 'line one\nline two', line_no: 2 },
      { ticket_id: 'B', customer_name: 'Li, "Si"', address: 'y', line_no: 5 },
    ]);
  });
});

describe('feedback, verifications, complaints, adjustments, reference kinds', () => {
  it('feedback: grades in every notation, bad and missing grades, reasons set', async () => {
    const rows = [
      ['表单编号', '工单号', '服务及时性', '维修质量', '服务态度', '总体评价', '不满意原因'],
      ['F1', 'K1', 'a', '2', '优', '很满意', ''],
      ['F2', 'K2', 'E', '-2', '很差', 'dissatisfied', '服务态度、速度'],
      ['F3', 'K3', 'B', '+1', '良', '', 'skill;speed'],
      ['F4', 'K4', 'F', '3', '', '', ''],
      ['F5', 'K5', 'C', '0', '中', 'meh', '太贵'],
    ];
    const b = await ingestFile(t.wh, 'feedback', t.file('f.csv', csv(rows)));
    expect(b).toMatchObject({ accepted: 3, rejected: 2 });
    const r = await rejectsByLine(b.batch_id);
    expect(r.get(5)).toEqual(['attitude:missing_required', 'quality:bad_grade', 'timeliness:bad_grade']);
    expect(r.get(6)).toEqual(['overall:unknown_enum', 'reasons:unknown_enum']);
    const forms = await t.wh.all('SELECT form_id, timeliness, quality, attitude, overall, reasons FROM feedback ORDER BY 1');
    expect(forms).toEqual([
      { form_id: 'F1', timeliness: 'A', quality: 'A', attitude: 'A', overall: 'very_satisfied', reasons: null },
      { form_id: 'F2', timeliness: 'E', quality: 'E', attitude: 'E', overall: 'dissatisfied', reasons: ['attitude', 'speed'] },
      { form_id: 'F3', timeliness: 'B', quality: 'B', attitude: 'B', overall: null, reasons: ['skill', 'speed'] },
    ]);
  });

  it('verifications: corrected needs its three grades; outcome must be known', async () => {
    const rows = [
      ['form_id', 'verified_at', 'verified_by', 'outcome', 'timeliness', 'quality', 'attitude'],
      ['F1', '2025-06-01 10:00', '王监督', '更正', 'B', 'C', 'B'],
      ['F2', '2025-06-01 10:00', '王监督', 'corrected', 'B', '', ''],
      ['F3', '2025-06-01 10:00', '王监督', '作废', '', '', ''],
      ['F4', '2025-06-01 10:00', '', '属实', '', '', ''],
    ];
    const b = await ingestFile(t.wh, 'verifications', t.file('v.csv', csv(rows)));
    expect(b).toMatchObject({ accepted: 1, rejected: 3 });
    const r = await rejectsByLine(b.batch_id);
    expect(r.get(3)).toEqual(['outcome:corrected_without_grades']);
    expect(r.get(4)).toEqual(['outcome:unknown_enum']);
    expect(r.get(5)).toEqual(['verified_by:missing_required']);
  });

  it('complaints: attributable defaults to pending; responses cannot precede receipt', async () => {
    const rows = [
      ['投诉编号', '受理时间', '投诉类别', '确属服务责任', '情节', '首次响应时间', '处理完成时间'],
      ['C1', '2025年5月3日 14:20', '服务态度', '', '轻微', '2025年5月3日 15:00', '2025年5月5日 10:00'],
      ['C2', '2025年5月3日 14:20', '乱收费', '是', '特别严重', '2025年5月3日 10:00', '2025年5月2日 10:00'],
    ];
    const b = await ingestFile(t.wh, 'complaints', t.file('c.csv', csv(rows)));
    expect(b).toMatchObject({ accepted: 1, rejected: 1 });
    const r = await rejectsByLine(b.batch_id);
    expect(r.get(3)).toEqual(['category:unknown_enum', 'resolved_at:event_before_received', 'responded_at:event_before_received', 'severity:unknown_enum']);
    expect(await t.wh.all('SELECT complaint_id, attributable, category, severity FROM complaints')).toEqual([
      { complaint_id: 'C1', attributable: 'pending', category: 'attitude', severity: 'minor' },
    ]);
  });

  it('adjustments: month notations, signed amounts, approver required', async () => {
    const rows = [
      ['工号', '月份', '金额', '事由', '批准人'],
      ['E1', '2025-05', '200', '合理化建议被采纳', '李经理'],
      ['E1', '2025年6月', '-150.5', '违规操作', '李经理'],
      ['E2', '2025-13', '100', 'x', '李经理'],
      ['E3', '2025/7', '100', 'y', ''],
    ];
    const b = await ingestFile(t.wh, 'adjustments', t.file('a.csv', csv(rows)));
    expect(b).toMatchObject({ accepted: 2, rejected: 2 });
    const r = await rejectsByLine(b.batch_id);
    expect(r.get(4)).toEqual(['month:unparseable_month']);
    expect(r.get(5)).toEqual(['approved_by:missing_required']);
    expect(await t.wh.all(`SELECT technician_id, strftime(month, '%Y-%m') AS month, amount FROM adjustments ORDER BY month`)).toEqual([
      { technician_id: 'E1', month: '2025-05', amount: 200 },
      { technician_id: 'E1', month: '2025-06', amount: -150.5 },
    ]);
  });

  it('technicians: boolean spellings and a missing name', async () => {
    const rows = [['工号', '姓名', '班组编号', '入职日期', '在职'], ['E1', '甲', 'T1', '2020-03-01', '是'], ['E2', '乙', 'T1', '2021/4/5', 'N'], ['E3', '丙', 'T1', '', 'yes'], ['E4', '丁', 'T1', '', 'TRUE'], ['E5', '戊', 'T1', '', '0'], ['E6', '', 'T1', '', '']];
    const b = await ingestFile(t.wh, 'technicians', t.file('e.csv', csv(rows)));
    expect(b).toMatchObject({ accepted: 5, rejected: 1 });
    expect(await t.wh.all(`SELECT technician_id, active, CAST(hired_on AS VARCHAR) AS hired_on FROM technicians ORDER BY 1`)).toEqual([
      { technician_id: 'E1', active: true, hired_on: '2020-03-01' },
      { technician_id: 'E2', active: false, hired_on: '2021-04-05' },
      { technician_id: 'E3', active: true, hired_on: null },
      { technician_id: 'E4', active: true, hired_on: null },
      { technician_id: 'E5', active: false, hired_on: null },
    ]);
  });
});

describe('line numbers in a regular file with quoted fields', () => {
  it('reads quoted fields on one line directly and keeps raw values of a malformed quoted line', async () => {
    const text = 'ticket_id,reported_at,customer_name,address\nA,2025-05-01 08:00,"Li, Si",""\nB,2025-05-01 08:00,"Wang, Wu",x,"y, z"\nC,2025-05-01 08:00,丙,\n';
    const b = await ingestFile(t.wh, 'tickets', t.file('q.csv', text));
    expect(b).toMatchObject({ rows: 3, accepted: 2, rejected: 1 });
    const { rows } = await listRejects(t.wh, b.batch_id);
    expect(rows).toMatchObject([{ line_no: 3, raw: ['B', '2025-05-01 08:00', 'Wang, Wu', 'x', 'y, z'] }]);
    expect(await t.wh.all('SELECT ticket_id, customer_name, address, line_no FROM tickets ORDER BY 1')).toEqual([
      { ticket_id: 'A', customer_name: 'Li, Si', address: null, line_no: 2 },
      { ticket_id: 'C', customer_name: '丙', address: null, line_no: 4 },
    ]);
  });
});
