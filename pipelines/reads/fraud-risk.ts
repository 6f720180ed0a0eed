/**
 * Fraud-risk reads (SPEC §4.7; issue 12 item 3): the targeted spot-check queue of a week or month,
 * one form's signals with their reasons and evidence, technicians ranked by risk for a month with
 * their monthly history (for sparklines), and the spot-check findings per technician by queue. The
 * figures are the models' (fct_form_risk, mart_technician_risk_month, risk_form_score,
 * fct_spot_check) and the SQL beside them in sql/spotcheck/; this file only shapes them. Phones are
 * unmasked: the caller masks them for roles without PII.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  FindingsList, FormRisk, FormRiskSignal, PhoneSharingForm, ProvenFindingsList, QueueFindings, RiskSignal, TechnicianFindingsRow,
  TechnicianRiskList, TechnicianRiskPoint, TechnicianRiskRow,
} from '../contract/fraud.ts';
import { addMonths, isMonth } from '../contract/months.ts';
import { VERIFICATION_QUEUES, type VerificationQueue } from '../contract/spotcheck.ts';
import type { VerificationOutcome } from '../contract/vocabulary.ts';
import { DomainError } from '../errors.ts';
import { SpotcheckError } from '../spotcheck/errors.ts';
import { PROJECT_ROOT, type Warehouse } from '../warehouse/warehouse.ts';

export { getTargetedQueue } from '../spotcheck/targeted.ts';

const sql = (name: string) => readFileSync(join(PROJECT_ROOT, 'sql', 'spotcheck', name), 'utf8');
const FORM_RISK_SQL = sql('form_risk.sql');
const TECHNICIAN_RISK_SQL = sql('technician_risk.sql');
const FINDINGS_SQL = sql('findings.sql');

/** The months of history a technician row carries, this month included. */
export const HISTORY_MONTHS = 12;

type Row = Record<string, unknown>;
const num = (v: unknown): number => Number(v ?? 0);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function checkMonth(month: string): void {
  if (!isMonth(month)) throw new SpotcheckError('bad_parameter', 'month must be YYYY-MM');
}

/** One form's risk; not_found when it is not a current form of a completed job. */
export async function getFormRisk(wh: Warehouse, formId: string): Promise<FormRisk> {
  const r = await wh.one<Row>(FORM_RISK_SQL, [formId]);
  if (!r) throw new DomainError('not_found', 'not_found', `no current feedback form "${formId}" of a completed job`);
  const signal = <S extends RiskSignal>(s: S, fired: boolean, strength: number, weight: number, reason: string, evidence: FormRiskSignal<S>['evidence']): FormRiskSignal<S> => ({
    signal: s, fired, strength, weight, reason_zh: str(r[`${reason}_reason_zh`]), reason_en: str(r[`${reason}_reason_en`]), evidence,
  });
  const signals = [
    signal('shared_phone', !!r.shared_phone, num(r.shared_phone_strength), num(r.risk_weight_shared_phone), 'shared_phone', {
      window_days: num(r.phone_window_days), other_customers: num(r.phone_other_customers), other_forms: num(r.phone_other_forms),
      forms: r.phone_forms as PhoneSharingForm[],
    }),
    signal('technician_phone', !!r.technician_phone, num(r.technician_phone_strength), num(r.risk_weight_technician_phone), 'technician_phone', {
      technician_id: str(r.phone_technician_id), technician_name: str(r.phone_technician_name), own: !!r.phone_is_own,
    }),
    signal('early_submission', !!r.early_submission, num(r.early_submission_strength), num(r.risk_weight_early_submission), 'early_submission', {
      completed_at: String(r.completed_at_text), submitted_at: str(r.submitted_at_text),
      minutes_after_completion: numOrNull(r.minutes_after_completion), date_only: !!r.submitted_date_only,
    }),
    signal('burst', !!r.burst, num(r.burst_strength), num(r.risk_weight_burst), 'burst', {
      minutes: num(r.burst_minutes), customers: num(r.burst_customers), forms: r.burst_form_ids as string[],
    }),
    signal('all_max', !!r.all_max, num(r.all_max_strength), num(r.risk_weight_all_max), 'all_max', {
      months: numOrNull(r.all_max_months), forms: numOrNull(r.all_max_forms), max_forms: numOrNull(r.all_max_max_forms),
      basis: str(r.all_max_basis) as 'team' | 'company' | null, basis_share: numOrNull(r.all_max_basis_share), p_value: numOrNull(r.all_max_p_value),
    }),
    signal('replaced_drop', !!r.replaced_drop, num(r.replaced_drop_strength), num(r.risk_weight_replaced_drop), 'replaced_drop', {
      on_site_form: str(r.replaced_on_site_form), on_site_score: numOrNull(r.replaced_on_site_score),
      phone_form: str(r.replaced_phone_form), phone_score: numOrNull(r.replaced_phone_score),
    }),
    signal('prior_findings', !!r.prior_findings, num(r.prior_findings_strength), num(r.risk_weight_prior_findings), 'prior_findings', {
      months: numOrNull(r.risk_findings_months), checked: num(r.prior_checked), fraudulent: num(r.prior_fraudulent), corrected: num(r.prior_corrected), forms: r.finding_forms as string[],
    }),
  ];
  const verifications = await wh.all<FormRisk['verifications'][number]>(
    `SELECT strftime(verified_at, '%Y-%m-%d %H:%M:%S') AS verified_at, verified_by, outcome, queue
     FROM verifications WHERE form_id = $1 ORDER BY verified_at, batch_id, line_no`,
    [formId],
  );
  return {
    form_id: String(r.form_id), ticket_id: String(r.ticket_id), month: String(r.job_month),
    team_id: str(r.team_id), technician_id: str(r.technician_id), technician_name: str(r.technician_name),
    customer_name: str(r.customer_name), contact_phone: str(r.contact_phone), source: str(r.source),
    score: num(r.score), signals, in_random_sample: r.in_random_sample === null || r.in_random_sample === undefined ? null : !!r.in_random_sample,
    verifications,
  };
}

function point(r: Row, month: string): TechnicianRiskPoint {
  return {
    month, forms: num(r.forms), forms_flagged: num(r.forms_flagged), score_sum: num(r.score_sum),
    mean_score: num(r.mean_score), max_score: num(r.max_score), signals: (r.signals ?? []) as RiskSignal[],
  };
}

/** Technicians of a month ranked by risk (score_sum), each with up to HISTORY_MONTHS months of history. */
export async function getTechnicianRisk(wh: Warehouse, req: { month: string; team?: string | null }): Promise<TechnicianRiskList> {
  checkMonth(req.month);
  const rows = await wh.all<Row>(TECHNICIAN_RISK_SQL, { month: `${req.month}-01`, team: req.team ?? null });
  const history = new Map<string, TechnicianRiskPoint[]>();
  if (rows.length) {
    const from = addMonths(req.month, -(HISTORY_MONTHS - 1));
    const past = await wh.all<Row>(
      `SELECT technician_id, strftime(month, '%Y-%m') AS m, forms, forms_flagged, score_sum, mean_score, max_score, signals
       FROM mart_technician_risk_month
       WHERE month BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)
         AND technician_id IN (SELECT technician_id FROM mart_technician_risk_month
                               WHERE month = CAST($to AS DATE) AND ($team::VARCHAR IS NULL OR team_id = $team))
       ORDER BY technician_id, month`,
      { from: `${from}-01`, to: `${req.month}-01`, team: req.team ?? null },
    );
    for (const p of past) {
      const id = String(p.technician_id);
      if (!history.has(id)) history.set(id, []);
      history.get(id)!.push(point(p, String(p.m)));
    }
  }
  const list = (...xs: unknown[]) => xs.filter((x): x is string => typeof x === 'string');
  return {
    month: req.month,
    team: req.team ?? null,
    rows: rows.map((r): TechnicianRiskRow => ({
      ...point(r, req.month),
      rank: num(r.rank),
      technician_id: String(r.technician_id), technician_name: str(r.technician_name),
      team_id: String(r.team_id), team_name: str(r.team_name), forms_max: num(r.forms_max),
      signal_forms: {
        shared_phone: num(r.shared_phone_forms), technician_phone: num(r.technician_phone_forms), early_submission: num(r.early_submission_forms),
        burst: num(r.burst_forms), replaced_drop: num(r.replaced_drop_forms),
      },
      all_max: {
        fired: !!r.all_max, months: num(r.all_max_months), forms: numOrNull(r.all_max_forms), max_forms: numOrNull(r.all_max_max_forms),
        share: numOrNull(r.all_max_share), basis: str(r.all_max_basis) as 'team' | 'company' | null,
        basis_share: numOrNull(r.all_max_basis_share), p_value: numOrNull(r.all_max_p_value),
      },
      prior_findings: { fired: !!r.prior_findings, months: num(r.findings_months), checked: num(r.prior_checked), fraudulent: num(r.prior_fraudulent), corrected: num(r.prior_corrected) },
      reasons_zh: list(r.all_max_reason_zh, r.prior_findings_reason_zh),
      reasons_en: list(r.all_max_reason_en, r.prior_findings_reason_en),
      history: history.get(String(r.technician_id)) ?? [],
    })),
  };
}

const noFindings = (): QueueFindings => ({ checked: 0, confirmed: 0, corrected: 0, fraudulent: 0, unreachable: 0 });
const byQueue = (): Record<VerificationQueue, QueueFindings> =>
  Object.fromEntries(VERIFICATION_QUEUES.map((q) => [q, noFindings()])) as Record<VerificationQueue, QueueFindings>;

function add(f: QueueFindings, outcome: VerificationOutcome, n: number): void {
  f.checked += n;
  f[outcome] += n;
}

/** The month's spot checks per technician (of their forms), by queue and outcome, and to date. */
export async function getFindings(wh: Warehouse, req: { month: string; team?: string | null }): Promise<FindingsList> {
  checkMonth(req.month);
  const raw = await wh.all<{ technician_id: string; technician_name: string | null; team_id: string | null; team_name: string | null; queue: VerificationQueue; outcome: VerificationOutcome; in_month: number; to_date: number }>(
    FINDINGS_SQL, { month: `${req.month}-01`, team: req.team ?? null },
  );
  const rows = new Map<string, TechnicianFindingsRow>();
  const totals = byQueue();
  for (const r of raw) {
    let row = rows.get(r.technician_id);
    if (!row) {
      row = { technician_id: r.technician_id, technician_name: r.technician_name, team_id: r.team_id, team_name: r.team_name, month: noFindings(), by_queue: byQueue(), to_date: noFindings() };
      rows.set(r.technician_id, row);
    }
    add(row.month, r.outcome, r.in_month);
    add(row.by_queue[r.queue], r.outcome, r.in_month);
    add(totals[r.queue], r.outcome, r.in_month);
    add(row.to_date, r.outcome, r.to_date);
  }
  return { month: req.month, team: req.team ?? null, rows: [...rows.values()], totals };
}

/**
 * The findings hr reads (ProvenFindingsList): per technician, the forms found fraudulent or corrected
 * in the month and to date — the findings that reach the bonus sheet —, only technicians with such a
 * finding in the month; no queue and no check that found nothing (those would tell who was suspected).
 */
export function provenFindings(list: FindingsList): ProvenFindingsList {
  const proven = (f: QueueFindings) => ({ corrected: f.corrected, fraudulent: f.fraudulent });
  return {
    month: list.month,
    team: list.team,
    proven_only: true,
    rows: list.rows
      .filter((r) => r.month.corrected + r.month.fraudulent > 0)
      .map((r) => ({ technician_id: r.technician_id, technician_name: r.technician_name, team_id: r.team_id, team_name: r.team_name, month: proven(r.month), to_date: proven(r.to_date) })),
  };
}

/** The outcome of a form's latest verification (null: never checked), as the models read it (stg_latest_verification). */
export async function latestOutcome(wh: Warehouse, formId: string): Promise<VerificationOutcome | null> {
  const r = await wh.one<{ outcome: VerificationOutcome }>('SELECT outcome FROM stg_latest_verification WHERE form_id = $1', [formId]);
  return r?.outcome ?? null;
}
