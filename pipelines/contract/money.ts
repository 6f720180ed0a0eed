/**
 * Money and conduct (SPEC §4 "cost per job", "fee anomalies", "forged forms", the breakdown by
 * service_type and customer_type; §4.4 forged-form penalty; issue 10 items 4–5): the figures of
 * mart_service_month, the fee-anomaly list (违规收费疑点) and the forged-form list (伪造反馈表).
 * Money is signed yuan, not rounded; cost per job is null without jobs.
 */
import type { ListPage, SortValue } from './lists.ts';
import type { Role } from './vocabulary.ts';

/** 服务类别 (seed 003 A/B/C): 有费服务, 合同服务, 免费服务. */
export const SERVICE_TYPES = ['paid', 'contract', 'free'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

/** 客户属性: 保内, 按年合同, 按次合同, 保外. */
export const CUSTOMER_TYPES = ['in_warranty', 'annual_contract', 'per_visit_contract', 'out_of_warranty'] as const;
export type CustomerType = (typeof CUSTOMER_TYPES)[number];

/** Why a job is a fee anomaly: a fee on free service, a fee from an in-warranty customer. */
export const FEE_ANOMALY_REASONS = ['free_service', 'in_warranty'] as const;
export type FeeAnomalyReason = (typeof FEE_ANOMALY_REASONS)[number];

/** The money figures of a set of jobs (and the forged forms of the month), names as in mart_service_month. */
export interface MoneyFigures {
  jobs: number;
  /** 配件费, 工时费, 差旅费 and their sum. */
  parts_cost: number;
  labor_cost: number;
  travel_cost: number;
  cost_total: number;
  /** 单次服务成本: cost_total ÷ jobs, null without jobs. */
  cost_per_job: number | null;
  /** 收费金额. */
  fee_charged: number;
  /** fee_charged − cost_total. */
  fee_minus_cost: number;
  /** 违规收费疑点: jobs and the fees charged on them. */
  fee_anomalies: number;
  fee_anomaly_amount: number;
  /** 伪造反馈表 found this month (by the verification month) and the penalties charged for them. */
  forged_forms: number;
  forged_form_penalty: number;
}

/**
 * GET /api/money?by=…: a month's money by a dimension. service_type / customer_type rows carry
 * every type in the vocabulary's order (zeros included) and, when it has data, the key '' for jobs
 * whose type is not recorded. region / team / technician rows: those with data in the month.
 */
export const MONEY_BY = ['service_type', 'customer_type', 'region', 'team', 'technician'] as const;
export type MoneyBy = (typeof MONEY_BY)[number];

export interface MoneyRow extends MoneyFigures {
  /** The type, region, team or technician id ('' for records without one). */
  key: string;
  /** Its name for people: 有费服务, the team's name, …; （未填）/（未分班组）/（未指派） for ''. */
  label: string;
  /** by = technician: the technician's team. */
  team_id?: string | null;
}

export interface MoneyBreakdown {
  month: string;
  by: MoneyBy;
  /** The team filter applied (a manager's own team), null for the company. */
  team: string | null;
  /** The month's policy budget per job (单次服务成本预算), null without one. */
  cost_budget_per_job: number | null;
  /** The figures of the whole scope (the company, or the team). */
  total: MoneyFigures;
  rows: MoneyRow[];
}

/** One type's figures in the CLI's `kpi --json` (`service_types`, `customer_types`); key null: not recorded. */
export type ServiceTypeFigures = { service_type: ServiceType | null } & MoneyFigures;
export type CustomerTypeFigures = { customer_type: CustomerType | null } & MoneyFigures;

/**
 * The additions to the CLI's `kpi --json` (stable names, docs/models.md): money, the breakdowns by
 * service and customer type, fee anomalies and forged forms of the month and scope.
 */
export interface KpiMoney {
  money: MoneyFigures & {
    cost_budget_per_job: number | null;
    /** cost_per_job above the budget; null without a budget or without jobs. */
    over_budget: boolean | null;
  };
  service_types: ServiceTypeFigures[];
  customer_types: CustomerTypeFigures[];
  fee_anomalies: { count: number; amount: number };
  forged_forms: { count: number; penalty: number };
}

// ---------------------------------------------------------------------------------------------
// Lists

export const FEE_ANOMALY_SORT_KEYS = ['fee_charged', 'completed_at', 'ticket_id', 'team_id', 'technician_id'] as const;
export type FeeAnomalySortKey = (typeof FEE_ANOMALY_SORT_KEYS)[number];
/** The largest fee first. */
export const FEE_ANOMALY_DEFAULT_SORT: SortValue<FeeAnomalySortKey> = '-fee_charged';

/** 违规收费疑点 (fct_fee_anomaly) with the customer and the technician's phone (masked per role). */
export type FeeAnomalyRow = {
  ticket_id: string;
  /** The month of the job (completion month), 'YYYY-MM'. */
  month: string;
  completed_at: string;
  team_id: string | null;
  team_name: string | null;
  technician_id: string | null;
  technician_name: string | null;
  technician_phone: string | null;
  service_type: string | null;
  service_type_label: string | null;
  customer_type: string | null;
  customer_type_label: string | null;
  fee_charged: number;
  parts_cost: number;
  labor_cost: number;
  travel_cost: number;
  cost: number;
  /** free_service, in_warranty (one or both). */
  reasons: FeeAnomalyReason[];
  customer_name: string | null;
  contact_phone: string | null;
  address: string | null;
};

export interface FeeAnomaliesPage extends ListPage<FeeAnomalyRow> {
  reason: FeeAnomalyReason | null;
}

export const FORGED_FORM_SORT_KEYS = ['verified_at', 'form_id', 'ticket_id', 'team_id', 'technician_id'] as const;
export type ForgedFormSortKey = (typeof FORGED_FORM_SORT_KEYS)[number];
/** Newest finding first. */
export const FORGED_FORM_DEFAULT_SORT: SortValue<ForgedFormSortKey> = '-verified_at';

/** 伪造反馈表 (fct_forged_form): a form found fraudulent, charged in the month of the verification. */
export type ForgedFormRow = {
  form_id: string;
  /** The month of the verification (the penalty's month), 'YYYY-MM'. */
  month: string;
  ticket_id: string | null;
  /** The month of the form's job, null when the ticket is not completed or unknown. */
  job_month: string | null;
  /** The form was since replaced by another form of the same ticket (the finding stands). */
  form_replaced: boolean;
  team_id: string | null;
  team_name: string | null;
  technician_id: string | null;
  technician_name: string | null;
  technician_phone: string | null;
  verified_at: string;
  verified_by: string;
  note: string | null;
  /** Fraudulent findings since the form's last other outcome (a re-check does not charge again). */
  findings: number;
  /** The penalty charged (negative yuan); 0 when no technician is known (charged to no one). */
  penalty: number;
  customer_name: string | null;
  contact_phone: string | null;
};

export type ForgedFormsPage = ListPage<ForgedFormRow>;

/** Who sees the forged-form list: people-level conduct is for supervision, HR and the team's manager, not executives. */
export const FORGED_FORM_ROLES: readonly Role[] = ['supervisor', 'hr', 'admin', 'manager'];
