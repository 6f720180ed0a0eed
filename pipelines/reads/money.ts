/**
 * Money by service and customer type, region, team and technician (GET /api/money), and the
 * additions to the CLI's `kpi --json` (money, service_types, customer_types, fee_anomalies,
 * forged_forms) — all from mart_service_month (sql/models/marts/07_mart_service_month.sql).
 * A month or scope without a row has zero figures and a null cost per job.
 */
import {
  CUSTOMER_TYPES, SERVICE_TYPES,
  type CustomerType, type KpiMoney, type MoneyBreakdown, type MoneyBy, type MoneyFigures, type MoneyRow, type ServiceType,
} from '../contract/money.ts';
import { monthDate } from '../contract/months.ts';
import type { Warehouse } from '../warehouse/warehouse.ts';
import type { Scope } from './kpi.ts';
import { NO_TEAM_LABEL } from '../contract/breakdown.ts';
import { sqlString } from '../warehouse/warehouse.ts';

const FIGURES = [
  'jobs', 'parts_cost', 'labor_cost', 'travel_cost', 'cost_total', 'cost_per_job', 'fee_charged', 'fee_minus_cost',
  'fee_anomalies', 'fee_anomaly_amount', 'forged_forms', 'forged_form_penalty',
] as const satisfies readonly (keyof MoneyFigures)[];

const ZERO: MoneyFigures = {
  jobs: 0, parts_cost: 0, labor_cost: 0, travel_cost: 0, cost_total: 0, cost_per_job: null, fee_charged: 0, fee_minus_cost: 0,
  fee_anomalies: 0, fee_anomaly_amount: 0, forged_forms: 0, forged_form_penalty: 0,
};

type MartRow = MoneyFigures & { dimension: string; key: string; cost_budget_per_job: number | null; over_budget: boolean | null };

const figures = (r: Partial<MoneyFigures> | undefined): MoneyFigures =>
  Object.fromEntries(FIGURES.map((k) => [k, r?.[k] ?? ZERO[k]])) as unknown as MoneyFigures;

/** Every row of one scope in a month (all three dimensions). */
async function scopeRows(wh: Warehouse, month: string, scope: string, scopeId: string): Promise<MartRow[]> {
  return wh.all<MartRow>(
    `SELECT dimension, key, cost_budget_per_job, over_budget, ${FIGURES.join(', ')}
     FROM mart_service_month
     WHERE month = CAST($month AS DATE) AND scope = $scope AND scope_id = $scope_id`,
    { month: monthDate(month), scope, scope_id: scopeId },
  );
}

async function budgetOf(wh: Warehouse, month: string): Promise<number | null> {
  return (await wh.one<{ b: number | null }>(`SELECT cost_budget_per_job AS b FROM policy_for_month WHERE month = CAST($1 AS DATE)`, [monthDate(month)]))?.b ?? null;
}

/** The types of a dimension in the vocabulary's order, then '' (not recorded) when it has data. */
function byType<T extends string>(rows: MartRow[], dimension: string, types: readonly T[]): { key: T | ''; f: MoneyFigures }[] {
  const of = new Map(rows.filter((r) => r.dimension === dimension).map((r) => [r.key, r]));
  const out: { key: T | ''; f: MoneyFigures }[] = types.map((t) => ({ key: t, f: figures(of.get(t)) }));
  if (of.has('')) out.push({ key: '', f: figures(of.get('')) });
  return out;
}

/**
 * `kpi --json`'s money figures of a month and scope (SPEC §4, §6; names in docs/models.md): the
 * scope's totals with the month's budget, each service type and customer type (every type of the
 * vocabulary, then `null` for jobs without one when there are such), fee anomalies and forged forms.
 */
export async function getKpiMoney(wh: Warehouse, month: string, scope: Scope = { scope: 'company' }): Promise<KpiMoney> {
  const rows = await scopeRows(wh, month, scope.scope, scope.scope === 'company' ? '' : scope.id);
  const all = rows.find((r) => r.dimension === 'all');
  const total = figures(all);
  const budget = all ? all.cost_budget_per_job : await budgetOf(wh, month);
  return {
    money: { ...total, cost_budget_per_job: budget, over_budget: all ? all.over_budget : null },
    service_types: byType<ServiceType>(rows, 'service_type', SERVICE_TYPES).map(({ key, f }) => ({ service_type: key === '' ? null : key, ...f })),
    customer_types: byType<CustomerType>(rows, 'customer_type', CUSTOMER_TYPES).map(({ key, f }) => ({ customer_type: key === '' ? null : key, ...f })),
    fee_anomalies: { count: total.fee_anomalies, amount: total.fee_anomaly_amount },
    forged_forms: { count: total.forged_forms, penalty: total.forged_form_penalty },
  };
}

/**
 * A month's money by service type, customer type, region, team or technician, for the company or
 * one team (`team`: the team's own figures by type, its row, or its technicians' rows — technicians
 * of the team in the technicians table). Labels: enum labels, team and technician names.
 */
export async function moneyBreakdown(wh: Warehouse, month: string, by: MoneyBy, team: string | null): Promise<MoneyBreakdown> {
  const scope = team === null ? { scope: 'company', id: '' } : { scope: 'team', id: team };
  const own = await scopeRows(wh, month, scope.scope, scope.id);
  const all = own.find((r) => r.dimension === 'all');
  const head = {
    month, by, team,
    cost_budget_per_job: all ? all.cost_budget_per_job : await budgetOf(wh, month),
    total: figures(all),
  };
  if (by === 'service_type' || by === 'customer_type') {
    const labels = new Map((await wh.all<{ id: string; label: string }>(`SELECT id, label FROM enum_label WHERE domain = $1`, [by])).map((r) => [r.id, r.label]));
    const types = by === 'service_type' ? SERVICE_TYPES : CUSTOMER_TYPES;
    const rows: MoneyRow[] = byType<string>(own, by, types).map(({ key, f }) => ({ key, label: key === '' ? '（未填）' : labels.get(key) ?? key, ...f }));
    return { ...head, rows };
  }
  const label =
    by === 'team' ? `CASE WHEN m.scope_id = '' THEN ${sqlString(NO_TEAM_LABEL)} ELSE coalesce(tm.team_name, m.scope_id) END`
      : by === 'technician' ? `CASE WHEN m.scope_id = '' THEN '（未指派）' ELSE coalesce(te.name, m.scope_id) END`
        : `CASE WHEN m.scope_id = '' THEN '（未知地区）' ELSE m.scope_id END`;
  // A team's technicians are those of the technicians table (as GET /api/breakdown?by=technician).
  const teamFilter =
    by === 'team' ? 'm.scope_id = $team'
      : by === 'technician' ? 'm.scope_id IN (SELECT technician_id FROM technicians WHERE team_id = $team)'
        : 'false';
  const rows = await wh.all<MoneyRow>(
    `SELECT m.scope_id AS key, ${label} AS label,
            ${by === 'technician' ? 'te.team_id,' : ''}
            ${FIGURES.map((c) => `m.${c}`).join(', ')}
     FROM mart_service_month m
     LEFT JOIN (SELECT team_id, any_value(team_name) AS team_name FROM teams GROUP BY team_id) tm
       ON $by::VARCHAR = 'team' AND tm.team_id = m.scope_id
     LEFT JOIN (SELECT technician_id, any_value(name) AS name, any_value(team_id) AS team_id FROM technicians GROUP BY technician_id) te
       ON $by::VARCHAR = 'technician' AND te.technician_id = m.scope_id
     WHERE m.month = CAST($month AS DATE) AND m.scope = $by::VARCHAR AND m.dimension = 'all'
       AND ($team::VARCHAR IS NULL OR ${teamFilter})
     ORDER BY m.scope_id = '', m.scope_id`,
    { month: monthDate(month), by, team },
  );
  return { ...head, rows };
}
