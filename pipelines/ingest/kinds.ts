/**
 * The record kinds users upload (SPEC §2): each column's English id, Chinese label, type and
 * whether it is required. This is the file contract, not policy: policy (targets, SLA rules,
 * points…) lives in the warehouse as versioned data.
 *
 * Enum columns name a domain of the `enum_label` table (sql/migrations/002_reference.sql), where
 * each allowed id has its Chinese label; the validation SQL accepts either.
 */

export type ColumnType =
  | { t: 'text' }
  | { t: 'timestamp' }
  | { t: 'date' }
  | { t: 'month' }
  | { t: 'number'; min?: number }
  | { t: 'money'; signed?: boolean }
  | { t: 'boolean' }
  | { t: 'grade' }
  | { t: 'enum'; domain: string }
  | { t: 'enum_set'; domain: string };

export interface Column {
  id: string;
  label: string;
  type: ColumnType;
  required?: boolean;
  /** Value used when the column is absent or empty (an enum id, or 'true'/'false'). */
  default?: string;
  /** Other accepted header spellings (beyond `id` and `label`). */
  aliases?: string[];
  /**
   * The value when the file leaves the column out or empty, when it depends on the warehouse: SQL
   * evaluated while the batch is staged (validate-sql.ts), given `row`, the alias of the batch's
   * typed row (`row.<id>` its columns), and `batch`, the table of all the batch's typed rows.
   */
  derive?: (row: string, batch: string) => string;
}

export interface Reference {
  column: string;
  /** Target table and its key column. */
  table: string;
  key: string;
}

/** A rule that compares two columns of the same row; the row is rejected when it holds. */
export interface RowRule {
  code: string;
  column: string;
  /** SQL boolean over typed columns `t.<id>`; true means the row is bad. */
  when: string;
  message: string;
}

export interface Kind {
  name: KindName;
  label: string;
  table: string;
  key: string[];
  columns: Column[];
  references: Reference[];
  rules: RowRule[];
  /**
   * A column on which at most one current row may exist (feedback: one form per ticket). A new
   * row for the same value replaces the older one, which moves to history as `replaced`.
   */
  replaces_on?: string;
}

export const KIND_NAMES = [
  'teams',
  'technicians',
  'tickets',
  'feedback',
  'complaints',
  'verifications',
  'adjustments',
  'calendar',
] as const;
export type KindName = (typeof KIND_NAMES)[number];

const text = { t: 'text' } as const;
const ts = { t: 'timestamp' } as const;
const money = { t: 'money' } as const;
const grade = { t: 'grade' } as const;

const eventAfterReport = (col: string, label: string): RowRule => ({
  code: 'event_before_reported',
  column: col,
  when: `t.${col} < t.reported_at`,
  message: `${col} (${label}) is before reported_at (报修时间)`,
});

export const KINDS: Record<KindName, Kind> = {
  teams: {
    name: 'teams',
    label: '服务站/班组',
    table: 'teams',
    key: ['team_id'],
    columns: [
      { id: 'team_id', label: '班组编号', type: text, required: true },
      { id: 'team_name', label: '班组名称', type: text, required: true },
      { id: 'region', label: '区域', type: text },
      { id: 'manager_name', label: '负责人', type: text },
    ],
    references: [],
    rules: [],
  },
  technicians: {
    name: 'technicians',
    label: '售后服务人员',
    table: 'technicians',
    key: ['technician_id'],
    columns: [
      { id: 'technician_id', label: '工号', type: text, required: true },
      { id: 'name', label: '姓名', type: text, required: true },
      { id: 'team_id', label: '班组编号', type: text },
      { id: 'hired_on', label: '入职日期', type: { t: 'date' } },
      { id: 'active', label: '在职', type: { t: 'boolean' }, default: 'true' },
      // PII (SPEC §2.2): masked like customers' phones for hr, executive and manager (server/mask.ts).
      { id: 'phone', label: '手机号', type: text, aliases: ['手机', '手机号码', '联系电话', '电话'] },
    ],
    references: [{ column: 'team_id', table: 'teams', key: 'team_id' }],
    rules: [],
  },
  tickets: {
    name: 'tickets',
    label: '报修工单',
    table: 'tickets',
    key: ['ticket_id'],
    columns: [
      { id: 'ticket_id', label: '工单号', type: text, required: true },
      { id: 'reported_at', label: '报修时间', type: ts, required: true },
      { id: 'channel', label: '报修渠道', type: { t: 'enum', domain: 'ticket_channel' } },
      { id: 'customer_id', label: '客户编号', type: text },
      { id: 'customer_name', label: '客户名称', type: text, required: true },
      { id: 'contact_phone', label: '联系电话', type: text },
      { id: 'address', label: '地址', type: text },
      { id: 'region', label: '区域', type: text },
      { id: 'customer_type', label: '客户属性', type: { t: 'enum', domain: 'customer_type' } },
      { id: 'service_type', label: '服务类别', type: { t: 'enum', domain: 'service_type' } },
      { id: 'product_model', label: '产品型号', type: text },
      { id: 'serial_no', label: '产品编号', type: text },
      { id: 'fault_category', label: '故障类别', type: { t: 'enum', domain: 'fault_category' } },
      { id: 'distance_km', label: '服务半径(公里)', type: { t: 'number', min: 0 }, aliases: ['服务半径（公里）', '服务半径'] },
      { id: 'needs_supplier', label: '需联系配套厂家', type: { t: 'boolean' } },
      { id: 'team_id', label: '班组编号', type: text },
      { id: 'technician_id', label: '工号', type: text },
      { id: 'dispatched_at', label: '派工时间', type: ts },
      { id: 'first_response_at', label: '首次答复时间', type: ts },
      { id: 'arrived_at', label: '到达现场时间', type: ts },
      { id: 'completed_at', label: '完成时间', type: ts },
      { id: 'result', label: '处理结果', type: { t: 'enum', domain: 'ticket_result' } },
      { id: 'repeat_of', label: '返修原单号', type: text },
      { id: 'parts_cost', label: '配件费', type: money },
      { id: 'labor_cost', label: '工时费', type: money },
      { id: 'travel_cost', label: '差旅费', type: money },
      { id: 'fee_charged', label: '收费金额', type: money },
      { id: 'followup_at', label: '回访时间', type: ts },
    ],
    references: [
      { column: 'team_id', table: 'teams', key: 'team_id' },
      { column: 'technician_id', table: 'technicians', key: 'technician_id' },
    ],
    rules: [
      eventAfterReport('first_response_at', '首次答复时间'),
      eventAfterReport('arrived_at', '到达现场时间'),
      eventAfterReport('completed_at', '完成时间'),
      {
        code: 'completed_when_cancelled',
        column: 'completed_at',
        when: `t.result = 'cancelled' AND t.completed_at IS NOT NULL`,
        message: 'completed_at (完成时间) is set on a cancelled (已取消) ticket',
      },
    ],
  },
  feedback: {
    name: 'feedback',
    label: '顾客意见反馈表',
    table: 'feedback',
    key: ['form_id'],
    replaces_on: 'ticket_id',
    columns: [
      { id: 'form_id', label: '表单编号', type: text, required: true },
      { id: 'ticket_id', label: '工单号', type: text, required: true },
      { id: 'submitted_at', label: '填写日期', type: ts },
      { id: 'timeliness', label: '服务及时性', type: grade, required: true },
      { id: 'quality', label: '维修质量', type: grade, required: true },
      { id: 'attitude', label: '服务态度', type: grade, required: true },
      { id: 'overall', label: '总体评价', type: { t: 'enum', domain: 'overall' } },
      { id: 'reasons', label: '不满意原因', type: { t: 'enum_set', domain: 'dissatisfaction_reason' } },
      { id: 'comment', label: '意见建议', type: text },
      { id: 'source', label: '来源', type: { t: 'enum', domain: 'feedback_source' } },
    ],
    references: [{ column: 'ticket_id', table: 'tickets', key: 'ticket_id' }],
    rules: [],
  },
  complaints: {
    name: 'complaints',
    label: '投诉热线记录',
    table: 'complaints',
    key: ['complaint_id'],
    columns: [
      { id: 'complaint_id', label: '投诉编号', type: text, required: true },
      { id: 'received_at', label: '受理时间', type: ts, required: true },
      { id: 'channel', label: '投诉渠道', type: { t: 'enum', domain: 'complaint_channel' } },
      { id: 'customer_name', label: '客户名称', type: text },
      { id: 'contact_phone', label: '联系电话', type: text },
      { id: 'ticket_id', label: '工单号', type: text },
      { id: 'team_id', label: '班组编号', type: text },
      { id: 'technician_id', label: '责任人工号', type: text, aliases: ['工号'] },
      { id: 'category', label: '投诉类别', type: { t: 'enum', domain: 'complaint_category' } },
      { id: 'attributable', label: '确属服务责任', type: { t: 'enum', domain: 'attributable' }, default: 'pending' },
      { id: 'severity', label: '情节', type: { t: 'enum', domain: 'severity' } },
      { id: 'responded_at', label: '首次响应时间', type: ts },
      { id: 'resolved_at', label: '处理完成时间', type: ts },
      { id: 'resolution', label: '处理结果', type: text },
      { id: 'description', label: '投诉内容', type: text },
    ],
    references: [
      { column: 'ticket_id', table: 'tickets', key: 'ticket_id' },
      { column: 'team_id', table: 'teams', key: 'team_id' },
      { column: 'technician_id', table: 'technicians', key: 'technician_id' },
    ],
    rules: [
      {
        code: 'event_before_received',
        column: 'responded_at',
        when: 't.responded_at < t.received_at',
        message: 'responded_at (首次响应时间) is before received_at (受理时间)',
      },
      {
        code: 'event_before_received',
        column: 'resolved_at',
        when: 't.resolved_at < t.received_at',
        message: 'resolved_at (处理完成时间) is before received_at (受理时间)',
      },
    ],
  },
  verifications: {
    name: 'verifications',
    label: '抽查核实记录',
    table: 'verifications',
    key: ['form_id', 'verified_at'],
    columns: [
      { id: 'form_id', label: '表单编号', type: text, required: true },
      { id: 'verified_at', label: '核实时间', type: ts, required: true },
      { id: 'verified_by', label: '核实人', type: text, required: true },
      { id: 'outcome', label: '核实结果', type: { t: 'enum', domain: 'verification_outcome' }, required: true },
      { id: 'timeliness', label: '服务及时性', type: grade },
      { id: 'quality', label: '维修质量', type: grade },
      { id: 'attitude', label: '服务态度', type: grade },
      { id: 'note', label: '备注', type: text },
      // Which queue the check came from (SPEC §4.7; migration 011): only `random` checks enter the
      // discrepancy-rate estimate. A file without it says nothing: the check counts as random when
      // the form is in the random sample of its team-week as it stands when the batch is loaded
      // (the sample a supervisor could have been calling from), else as ad hoc — never as random by
      // default, since a check chosen any other way would bias the estimate.
      {
        id: 'queue', label: '抽查队列', type: { t: 'enum', domain: 'verification_queue' }, aliases: ['队列', '抽查来源'],
        derive: (row, batch) =>
          `CASE WHEN ${row}.form_id IN (SELECT form_id FROM random_sample_of((SELECT list(DISTINCT form_id) FROM ${batch})) WHERE in_sample) THEN 'random' ELSE 'ad_hoc' END`,
      },
    ],
    references: [{ column: 'form_id', table: 'feedback', key: 'form_id' }],
    rules: [
      {
        code: 'corrected_without_grades',
        column: 'outcome',
        when: `t.outcome = 'corrected' AND (t.timeliness IS NULL OR t.quality IS NULL OR t.attitude IS NULL)`,
        message: 'a corrected (更正) verification needs all three corrected grades',
      },
    ],
  },
  adjustments: {
    name: 'adjustments',
    label: '其他奖惩',
    table: 'adjustments',
    key: ['technician_id', 'month', 'reason'],
    columns: [
      { id: 'technician_id', label: '工号', type: text, required: true },
      { id: 'month', label: '月份', type: { t: 'month' }, required: true },
      { id: 'amount', label: '金额', type: { t: 'money', signed: true }, required: true },
      { id: 'reason', label: '事由', type: text, required: true, aliases: ['原因'] },
      { id: 'approved_by', label: '批准人', type: text, required: true },
    ],
    references: [{ column: 'technician_id', table: 'technicians', key: 'technician_id' }],
    rules: [],
  },
  calendar: {
    name: 'calendar',
    label: '工作日历',
    table: 'calendar',
    key: ['date'],
    columns: [
      { id: 'date', label: '日期', type: { t: 'date' }, required: true },
      { id: 'day_type', label: '类型', type: { t: 'enum', domain: 'day_type' }, required: true },
      { id: 'name', label: '名称', type: text },
    ],
    references: [],
    rules: [],
  },
};

export function isKindName(s: string): s is KindName {
  return (KIND_NAMES as readonly string[]).includes(s);
}
