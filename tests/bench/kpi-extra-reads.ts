/** Reads beyond `kpi` that bench:kpi times: the assessment read and a whole-table team listing. */
import type { Warehouse } from '../../pipelines/warehouse/warehouse.ts';
import { getAssessment } from '../../pipelines/assessment/index.ts';

type Timer = (fn: () => Promise<unknown>) => Promise<{ p50: number; p95: number }>;

export async function benchExtraReads(wh: Warehouse, month: string, time: Timer): Promise<[string, { p50: number; p95: number }][]> {
  return [
    ['assessment (units + bonus sheet)', await time(() => getAssessment(wh, month))],
    ['kpi_month rows of all teams (table)', await time(() => wh.all(`SELECT * FROM kpi_month WHERE month = CAST($1 AS DATE) AND scope = 'team'`, [`${month}-01`]))],
  ];
}
