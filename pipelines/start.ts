/**
 * `npm start`. Until the Hono server and the dashboard land (issues 4 and 5), it prepares the
 * embedded warehouse with demo data and prints the latest month's company KPIs; it says so plainly.
 */
import { DEFAULT_DB_PATH, Warehouse } from './warehouse/warehouse.ts';
import { ensureDemoData } from './demo.ts';
import { getKpi } from './models/kpi.ts';

const wh = await Warehouse.open(process.env.DB_PATH ?? DEFAULT_DB_PATH);
try {
  await ensureDemoData(wh, { log: (m) => console.log(m) });
  const { m } = (await wh.one<{ m: string }>(`SELECT strftime(max(month), '%Y-%m') AS m FROM kpi_month WHERE scope = 'company' AND jobs > 0`))!;
  const k = await getKpi(wh, m);
  console.log(`\nwarehouse ready: ${wh.path}\nlatest month ${m}: timeliness ${pct(k.timeliness_rate)}, satisfaction ${pct(k.satisfaction_rate)}, mean score ${k.feedback.mean_score?.toFixed(2) ?? '—'}, complaint rate ${pct(k.complaint_rate)}`);
  console.log('\nThe HTTP server and dashboard are not built yet (issues 4 and 5). Meanwhile: npm run cli -- kpi --month ' + m);
} finally {
  wh.close();
}

function pct(v: number | null): string {
  return v === null ? '无数据' : `${(v * 100).toFixed(1)} %`;
}
