/**
 * Line numbers stay true on a file large enough for DuckDB to read in parallel (many row groups),
 * with rejected rows and lines the CSV reader itself rejects scattered through it.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingestFile } from '../../pipelines/ingest/ingest.ts';
import { Warehouse, sqlString } from '../../pipelines/warehouse/warehouse.ts';
import { tempWarehouse, type TempWarehouse } from '../helpers.ts';

let t: TempWarehouse;
beforeEach(async () => {
  t = await tempWarehouse();
});
afterEach(() => t.cleanup());

it('keeps every row on its own source line in a 300k-row file', async () => {
  const N = 300_000;
  const file = join(t.dir, 'large.csv');
  const gen = await Warehouse.open(':memory:');
  // Row i sits on line i + 2 and carries that number in its id; every 997th row has a bad
  // channel; quoted fields (on one line) keep the file on DuckDB's direct path.
  await gen.run(`COPY (
      SELECT 'L' || (i + 2) AS 工单号, '2025-03-01 08:00' AS 报修时间,
             CASE WHEN i % 997 = 0 THEN 'fax' ELSE '电话' END AS 报修渠道,
             CASE WHEN i % 10 = 0 THEN '客户, ' || i ELSE '客户' || i END AS 客户名称
      FROM range(${N}) r(i)) TO ${sqlString(file)} (HEADER, DELIMITER ',')`);
  gen.close();
  // Three malformed lines at the end, then good rows after them.
  appendFileSync(file, `M${N + 2},2025-03-01 08:00\nM${N + 3},x,y,z,w\nL${N + 4},2025-03-01 08:00,电话,尾\nM${N + 5}\nL${N + 6},2025-03-01 08:00,电话,尾\n`);

  const b = await ingestFile(t.wh, 'tickets', file);
  const badChannel = Math.ceil(N / 997);
  expect(b).toMatchObject({ rows: N + 5, rejected: badChannel + 3, accepted: N - badChannel + 2 });
  expect(await t.wh.all(`SELECT count(*) AS wrong FROM tickets WHERE 'L' || line_no <> ticket_id`)).toEqual([{ wrong: 0 }]);
  expect(
    await t.wh.all(`SELECT count(*) AS wrong FROM rejects WHERE NOT (raw[1] = 'L' || line_no OR raw[1] = 'M' || line_no)`),
  ).toEqual([{ wrong: 0 }]);
  expect(await t.wh.all(`SELECT line_no FROM rejects WHERE raw[1] LIKE 'M%' ORDER BY 1`)).toEqual([
    { line_no: N + 2 },
    { line_no: N + 3 },
    { line_no: N + 5 },
  ]);
});
