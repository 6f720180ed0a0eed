/**
 * The command line (SPEC §6): `npm run cli -- <command> [options]`, `--db <path>` choosing the
 * warehouse file. Commands print a human summary, or JSON with `--json` (a stable contract).
 * A failed command exits non-zero with the reason on stderr.
 */
import { parseArgs } from 'node:util';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_DB_PATH, Warehouse } from './warehouse/warehouse.ts';
import type { BatchSummary } from './contract/ingestion.ts';
import { defaultUploader } from './ingest/ingest.ts';
import { isKindName, KIND_NAMES } from './ingest/kinds.ts';
import { rejectsCsv } from './ingest/rejects.ts';
import { listBatches } from './ingest/batches.ts';
import { DomainError } from './errors.ts';
import { loadBatch, refreshModelsFor } from './load-batch.ts';
import { terminalProgress } from './progress.ts';
import { defaultEnd, generate, GENERATE_DEFAULTS } from './generate/generate.ts';
import { getKpi, type Scope, type SpecKpi } from './reads/kpi.ts';
import { getKpiMoney } from './reads/money.ts';
import type { KpiMoney } from './contract/money.ts';
import type { Assessment } from './contract/assessment.ts';
import { closeMonth, getAssessment, reopenMonth } from './assessment/index.ts';

const USAGE = `usage: npm run cli -- <command> [options]   (all commands take --db <path>)

  ingest <kind> <file> [--json] [--by NAME]   load a CSV/TSV/XLSX file; kind: ${KIND_NAMES.join(' ')}
  rejects <batch_id> [--out FILE]            rejected rows with reject_reason (CSV; stdout without --out)
  batches [--json] [--limit N]               batch history, newest first
  generate --out DIR [--months 24] [--tickets N] [--seed S] [--dirty] [--fraud] [--end YYYY-MM]
                                             write demo files a department would upload
                                             (--fraud: forged forms, truth in DIR/truth/)
  refresh [--full] [--json]                  rebuild the models: the months later batches touched, or all
  kpi --month YYYY-MM [--team ID | --region R | --technician ID] [--json]
                                             the KPIs of a month (SPEC §6)
  assessment --month YYYY-MM [--json]        month-over-month outcome per unit and the bonus sheet (SPEC §6)
  close --month YYYY-MM [--by NAME]          freeze the month's assessment and bonus sheet
  reopen --month YYYY-MM --reason TEXT [--by NAME]
                                             reopen a closed month (the reason is kept in the audit log)

  ingest refreshes the models for the months it touched, unless --no-refresh.
`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      json: { type: 'boolean', default: false },
      out: { type: 'string' },
      by: { type: 'string' },
      limit: { type: 'string' },
      months: { type: 'string' },
      tickets: { type: 'string' },
      seed: { type: 'string' },
      end: { type: 'string' },
      dirty: { type: 'boolean', default: false },
      fraud: { type: 'boolean', default: false },
      full: { type: 'boolean', default: false },
      'no-refresh': { type: 'boolean', default: false },
      month: { type: 'string' },
      reason: { type: 'string' },
      team: { type: 'string' },
      region: { type: 'string' },
      technician: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...args] = positionals;
  if (!command || values.help) {
    process.stdout.write(USAGE);
    return command || values.help ? 0 : 2;
  }
  const dbPath = values.db ? resolve(values.db) : DEFAULT_DB_PATH;

  if (command === 'generate') {
    if (!values.out) throw new UsageError('generate needs --out DIR');
    const files = await generate({
      out: resolve(values.out),
      months: intOption(values.months, GENERATE_DEFAULTS.months, 'months'),
      tickets: intOption(values.tickets, GENERATE_DEFAULTS.tickets, 'tickets'),
      seed: intOption(values.seed, GENERATE_DEFAULTS.seed, 'seed'),
      dirty: values.dirty,
      fraud: values.fraud,
      end: values.end ?? defaultEnd(),
      onProgress: (m: string) => process.stderr.write(`${m}\n`),
    });
    if (values.json) process.stdout.write(JSON.stringify(files, null, 2) + '\n');
    else for (const f of files) process.stdout.write(`${f.kind.padEnd(14)} ${String(f.rows).padStart(10)} rows  ${f.file} (${f.encoding})\n`);
    return 0;
  }

  const wh = await Warehouse.open(dbPath);
  try {
    switch (command) {
      case 'ingest': {
        const [kind, file] = args;
        if (!kind || !file) throw new UsageError('ingest needs <kind> <file>');
        if (!isKindName(kind)) throw new UsageError(`unknown kind "${kind}"; one of: ${KIND_NAMES.join(', ')}`);
        const progress = !values.json && process.stderr.isTTY ? terminalProgress(process.stderr) : undefined;
        const { summary, refresh: r } = await loadBatch(wh, kind, resolve(file), {
          by: values.by, onProgress: progress?.update, refresh: values['no-refresh'] ? 'none' : 'incremental',
        });
        progress?.done();
        process.stdout.write(values.json ? JSON.stringify(summary) + '\n' : humanSummary(summary));
        if (r && !values.json) process.stdout.write(`  models refreshed: ${r.full ? 'all months' : r.months.join(', ')} in ${r.seconds.toFixed(1)} s\n`);
        return 0;
      }
      case 'refresh': {
        const r = await refreshModelsFor(wh, values.full ? 'full' : 'incremental');
        process.stdout.write(values.json ? JSON.stringify(r) + '\n' : `refreshed ${r.full ? 'all' : r.months.length} months (${r.months[0] ?? '–'} … ${r.months.at(-1) ?? '–'}) in ${r.seconds.toFixed(2)} s\n`);
        return 0;
      }
      case 'kpi': {
        if (!values.month) throw new UsageError('kpi needs --month YYYY-MM');
        const scope: Scope = values.team
          ? { scope: 'team', id: values.team }
          : values.region
            ? { scope: 'region', id: values.region }
            : values.technician
              ? { scope: 'technician', id: values.technician }
              : { scope: 'company' };
        const kpi = await getKpi(wh, values.month, scope);
        // The SPEC §6 object, then the money figures as further top-level keys (docs/models.md).
        const money = await getKpiMoney(wh, values.month, scope);
        process.stdout.write(values.json ? JSON.stringify({ ...kpi, ...money }) + '\n' : humanKpi(kpi) + humanMoney(money));
        return 0;
      }
      case 'rejects': {
        const id = intOption(args[0], NaN, 'batch_id');
        const csv = await rejectsCsv(wh, id);
        if (values.out) writeFileSync(values.out, csv);
        else process.stdout.write(csv);
        return 0;
      }
      case 'batches': {
        const rows = await listBatches(wh, intOption(values.limit, 100, 'limit'));
        if (values.json) process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
        else
          for (const b of rows)
            process.stdout.write(
              `#${String(b.batch_id).padEnd(5)} ${b.started_at}  ${b.kind.padEnd(13)} ${b.status.padEnd(9)} rows ${b.rows_read}  accepted ${b.accepted}  rejected ${b.rejected}  warnings ${b.warnings}  ${b.file_name}${b.error ? `  — ${b.error}` : ''}\n`,
            );
        return 0;
      }
      case 'assessment': {
        if (!values.month) throw new UsageError('assessment needs --month YYYY-MM');
        const a = await getAssessment(wh, values.month);
        process.stdout.write(values.json ? JSON.stringify(a) + '\n' : humanAssessment(a));
        return 0;
      }
      case 'close': {
        if (!values.month) throw new UsageError('close needs --month YYYY-MM');
        const c = await closeMonth(wh, { month: values.month, by: values.by ?? defaultUploader() });
        process.stdout.write(values.json ? JSON.stringify(c) + '\n' : `closed ${c.month} (by ${c.closed_by} at ${c.closed_at})\n`);
        return 0;
      }
      case 'reopen': {
        if (!values.month || !values.reason) throw new UsageError('reopen needs --month YYYY-MM --reason TEXT');
        const c = await reopenMonth(wh, { month: values.month, by: values.by ?? defaultUploader(), reason: values.reason });
        process.stdout.write(values.json ? JSON.stringify(c) + '\n' : `reopened ${c.month} (by ${c.reopened_by}: ${values.reason})\n`);
        return 0;
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } finally {
    wh.close();
  }
}

function humanKpi(k: SpecKpi): string {
  const pct = (v: number | null) => (v === null ? '无数据 no data' : `${(v * 100).toFixed(1)} %`);
  const num = (v: number | null, d = 2) => (v === null ? '无数据 no data' : v.toFixed(d));
  return [
    `${k.month}  ${k.scope}${k.scope_id ? ` ${k.scope_id}` : ''}`,
    `  服务及时率 timeliness      ${pct(k.timeliness_rate)}  (on time ${k.tickets.on_time} / due ${k.tickets.due}; late ${k.tickets.late}, pending ${k.tickets.pending})`,
    `  用户满意程度 satisfaction  ${pct(k.satisfaction_rate)}  (satisfied ${k.feedback.satisfied} / forms ${k.feedback.forms})`,
    `  满意度均项得分 mean score  ${num(k.feedback.mean_score)}  (total ${k.feedback.total_score})`,
    `  用户抱怨率 complaint rate  ${pct(k.complaint_rate)}  (attributable ${k.complaints.attributable} / jobs ${k.tickets.completed})`,
    `  投诉24h响应 / 3日办结      ${pct(k.complaints.response_rate)} / ${pct(k.complaints.resolution_rate)}`,
    `  一次修复率 first-time fix  ${pct(k.first_time_fix_rate)}   反馈表回收率 coverage ${pct(k.feedback.coverage)}   回访率 follow-up ${pct(k.followup_rate)}`,
    `  抽查率 / 不符率            ${pct(k.spot_check_rate)} / ${pct(k.discrepancy_rate)}   单次服务成本 cost/job ¥${num(k.cost_per_job)}`,
  ].join('\n') + '\n';
}

function humanMoney(m: KpiMoney): string {
  const yuan = (v: number | null) => (v === null ? '无数据 no data' : `¥${v.toFixed(2)}`);
  const budget = m.money.cost_budget_per_job === null ? '' : `  budget ${yuan(m.money.cost_budget_per_job)}${m.money.over_budget ? ' — over budget' : ''}`;
  const type = (label: string, f: KpiMoney['service_types'][number] | KpiMoney['customer_types'][number]) =>
    `    ${label.padEnd(20)} jobs ${String(f.jobs).padStart(6)}  cost ${yuan(f.cost_total)}  fees ${yuan(f.fee_charged)}  fees − cost ${yuan(f.fee_minus_cost)}  anomalies ${f.fee_anomalies}`;
  return [
    `  成本 cost                  parts ${yuan(m.money.parts_cost)}  labour ${yuan(m.money.labor_cost)}  travel ${yuan(m.money.travel_cost)}  per job ${yuan(m.money.cost_per_job)}${budget}`,
    `  收费 fees                  ${yuan(m.money.fee_charged)}  fees − cost ${yuan(m.money.fee_minus_cost)}`,
    `  违规收费疑点 fee anomalies  ${m.fee_anomalies.count} (${yuan(m.fee_anomalies.amount)})`,
    `  伪造反馈表 forged forms    ${m.forged_forms.count} (penalties ${yuan(m.forged_forms.penalty)})`,
    '  by service type',
    ...m.service_types.map((f) => type(f.service_type ?? '(not recorded)', f)),
    '  by customer type',
    ...m.customer_types.map((f) => type(f.customer_type ?? '(not recorded)', f)),
  ].join('\n') + '\n';
}

function humanAssessment(a: Assessment): string {
  const yuan = (v: number) => `${v > 0 ? '+' : ''}${v}`;
  const mean = (v: number | null) => (v === null ? '—' : v.toFixed(3));
  const lines = [`${a.month}${a.closed ? `  (closed by ${a.closed.by} at ${a.closed.at})` : ''}`, '  unit        forms  mean    prev   outcome    amount'];
  for (const u of a.units) {
    lines.push(`  ${(u.team_id ?? '公司 company').padEnd(10)} ${String(u.forms).padStart(6)}  ${mean(u.mean_score).padStart(6)}  ${mean(u.prev_mean_score).padStart(6)}  ${u.outcome.padEnd(9)}  ${yuan(u.amount)}`);
  }
  lines.push('  person      team   share  complaints  forged  quarterly  adjustments  total');
  for (const p of a.people) {
    const flag = p.forged_forms ? `  ⚑ forged forms: ${p.forged_form_ids.join(', ')}` : '';
    lines.push(`  ${p.technician_id.padEnd(10)} ${String(p.team_id ?? '').padEnd(5)} ${yuan(p.satisfaction_share).padStart(6)}  ${yuan(p.complaint_penalty).padStart(10)}  ${yuan(p.forged_form_penalty).padStart(6)}  ${yuan(p.quarterly_reward).padStart(9)}  ${yuan(p.adjustments).padStart(11)}  ${yuan(p.total)}${flag}`);
  }
  return lines.join('\n') + '\n';
}

function humanSummary(s: BatchSummary): string {
  if (s.duplicate) return `duplicate: ${s.file_name} is byte-identical to batch #${s.duplicate_of}; nothing changed.\n`;
  const lines = [
    `batch #${s.batch_id}  ${s.kind}  ${s.file_name}  (${s.format}, ${s.encoding})  ${s.seconds.toFixed(1)} s`,
    `  rows ${s.rows}  accepted ${s.accepted} (new ${s.inserted}, updated ${s.updated}, unchanged ${s.unchanged}${s.replaced ? `, replaced forms ${s.replaced}` : ''})  rejected ${s.rejected}  warnings ${s.warnings}`,
  ];
  if (s.rejected) lines.push(`  rejected rows: npm run cli -- rejects ${s.batch_id} --out rejects-${s.batch_id}.csv`);
  return lines.join('\n') + '\n';
}

function intOption(v: string | undefined, dflt: number, name: string): number {
  if (v === undefined) {
    if (Number.isNaN(dflt)) throw new UsageError(`${name} is required`);
    return dflt;
  }
  if (!/^\d+$/.test(v)) throw new UsageError(`${name} must be a whole number, got "${v}"`);
  return Number(v);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    if (err instanceof UsageError) process.stderr.write(`error: ${err.message}\n\n${USAGE}`);
    else if (err instanceof DomainError) process.stderr.write(`error: ${err.message}\n`);
    else process.stderr.write(`error: ${err.stack ?? err.message}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
