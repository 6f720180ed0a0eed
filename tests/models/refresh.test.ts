/**
 * Incremental refresh (issue 3): after an ingest only the months the batch touched (and the months
 * that depend on them) are rebuilt, and the result equals a full rebuild.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { join } from 'node:path';
import { generate } from '../../pipelines/generate/generate.ts';
import { ingestFile } from '../../pipelines/ingest/ingest.ts';
import { refreshModels } from '../../pipelines/models/refresh.ts';
import { ensureReferenceData } from '../../pipelines/models/setup.ts';
import { csv, tempWarehouse, type TempWarehouse } from '../helpers.ts';

let t: TempWarehouse;
beforeAll(async () => {
  t = await tempWarehouse();
  await ensureReferenceData(t.wh);
  const files = await generate({ out: join(t.dir, 'demo'), months: 6, tickets: 6000, seed: 5, dirty: false, end: '2025-06' });
  for (const f of files) await ingestFile(t.wh, f.kind, f.file);
  const first = await refreshModels(t.wh);
  expect(first.full).toBe(true);
});
afterAll(() => t.cleanup());

const SNAPSHOT = `SELECT * FROM mart_kpi_month ORDER BY month, scope, scope_id`;

it('rebuilds only touched and dependent months, and matches a full rebuild', async () => {
  // A March ticket re-sent with a completion, and a new complaint in February.
  const [ticket] = await t.wh.all<{ ticket_id: string; reported_at: string; customer_name: string; team_id: string; technician_id: string }>(
    `SELECT ticket_id, strftime(reported_at, '%Y-%m-%d %H:%M') AS reported_at, customer_name, team_id, technician_id
     FROM tickets WHERE reported_at >= '2025-03-10' AND reported_at < '2025-03-11' AND completed_at IS NULL AND coalesce(result, '') <> 'cancelled' LIMIT 1`,
  );
  const update = ticket
    ? [['工单号', '报修时间', '客户名称', '班组编号', '工号', '完成时间', '处理结果'], [ticket.ticket_id, ticket.reported_at, ticket.customer_name, ticket.team_id, ticket.technician_id, '2025-03-12 10:00', '已完成']]
    : [['工单号', '报修时间', '客户名称', '完成时间'], ['ZX1', '2025-03-10 10:00', '新客户', '2025-03-12 10:00']];
  await ingestFile(t.wh, 'tickets', t.file('update.csv', csv(update)));
  await ingestFile(t.wh, 'complaints', t.file('c.csv', csv([['投诉编号', '受理时间', '确属服务责任', '情节', '班组编号'], ['ZC1', '2025-02-14 09:00', '是', '较重', 'T01']])));

  const inc = await refreshModels(t.wh);
  expect(inc.full).toBe(false);
  // Feb (complaint) and its next month, March (ticket) and April, the quarter ends (March, June),
  // and the as-of month June (it has pending tickets).
  expect(inc.months).toEqual(['2025-02', '2025-03', '2025-04', '2025-06']);
  const incremental = await t.wh.all(SNAPSHOT);
  await refreshModels(t.wh, { full: true });
  expect(await t.wh.all(SNAPSHOT)).toEqual(incremental);
});

it('does nothing but the as-of month when no batch came in', async () => {
  const r = await refreshModels(t.wh);
  expect(r.full).toBe(false);
  expect(r.months).toEqual(['2025-06']);
});
