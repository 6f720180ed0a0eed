/**
 * The closed vocabularies the server and the dashboard both spell out: roles (SPEC §1), grades
 * and form items (§2.4), verification outcomes (§2.6), assessment outcomes (§4.3), complaint
 * attributes (§2.5), the month-over-month modes and the fault categories a policy rule may name
 * (§5). The ids are the warehouse's (enum_label, migration 002); words for people are the web's.
 */

/** 角色: who signs in (SPEC §1). */
export const ROLES = ['supervisor', 'hr', 'executive', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** 等级: a form item's grade, A best (the default policy gives A 2 points … E −2; a policy version may set others). */
export const GRADES = ['A', 'B', 'C', 'D', 'E'] as const;
export type Grade = (typeof GRADES)[number];

/** The three graded items of a feedback form: 及时性, 质量, 态度. */
export const GRADE_ITEMS = ['timeliness', 'quality', 'attitude'] as const;
export type GradeItem = (typeof GRADE_ITEMS)[number];

/** 总体评价: a form's overall rating, when given. */
export const FORM_OVERALL = ['very_satisfied', 'satisfied', 'neutral', 'dissatisfied'] as const;
export type FormOverall = (typeof FORM_OVERALL)[number];

/** 抽查结果: 属实, 更正, 虚假, 联系不上. */
export const VERIFICATION_OUTCOMES = ['confirmed', 'corrected', 'fraudulent', 'unreachable'] as const;
export type VerificationOutcome = (typeof VERIFICATION_OUTCOMES)[number];

/** 考核结果 of a unit: 奖励, 处罚, 持平, 无可比 (no forms in one of the two months). */
export const ASSESSMENT_OUTCOMES = ['reward', 'penalty', 'none', 'no_basis'] as const;
export type AssessmentOutcome = (typeof ASSESSMENT_OUTCOMES)[number];

/** 是否责任投诉. */
export const ATTRIBUTABLE = ['yes', 'no', 'pending'] as const;
export type Attributable = (typeof ATTRIBUTABLE)[number];

/** 投诉类别 (enum_label 'complaint_category'). */
export const COMPLAINT_CATEGORIES = ['late_arrival', 'no_communication', 'goods_not_checked', 'attitude', 'quality', 'fee', 'other'] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];

/** 投诉等级: 轻微, 较重, 严重. */
export const SEVERITIES = ['minor', 'major', 'severe'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** 环比奖惩方式: a fixed amount, or an amount per point of change. */
export const MOM_MODES = ['fixed', 'per_point'] as const;
export type MomMode = (typeof MOM_MODES)[number];

/** The fault categories an SLA rule may name (enum_label 'fault_category'). */
export const FAULT_CATEGORIES = ['body', 'chassis_engine', 'other'] as const;
export type FaultCategory = (typeof FAULT_CATEGORIES)[number];
