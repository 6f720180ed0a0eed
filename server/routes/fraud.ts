/**
 * Fraud risk (SPEC §4.7; issue 12 item 3): the targeted spot-check queue of a week or month, one
 * form's risk signals with their reasons and evidence, technicians ranked by risk with their monthly
 * history, and the spot-check findings per technician. Risk data — scores, reasons, evidence, the
 * targeted queue — is supervision's: supervisor and admin. A manager is refused (supervision and
 * execution are separate, SPEC §1) and so is an executive; hr reads findings only — the fraudulent and
 * corrected findings that reach the bonus sheet, and the evidence of a form found fraudulent — never
 * the risk score of an unproven form. Phones and personal names are masked (server/mask.ts) in every
 * answer a role without PII can get. Reads in pipelines/reads/fraud-risk.ts, shapes in
 * pipelines/contract/fraud.ts; docs/server.md "Fraud risk".
 */
import { FRAUD_FINDINGS_ROLES, FRAUD_RISK_ROLES } from '../../pipelines/contract/fraud.ts';
import { getFindings, getFormRisk, getTargetedQueue, getTechnicianRisk, latestOutcome, provenFindings } from '../../pipelines/reads/fraud-risk.ts';
import { forbidden } from '../errors.ts';
import type { RouteDef } from '../http.ts';
import { maskCustomer, maskFormRisk, seesPii } from '../mask.ts';
import { error, id, json, me, month, STD_ERRORS } from './kit.ts';

const TEAM_Q = id('a team id');

export function fraudRoutes(): RouteDef[] {
  return [
    {
      method: 'GET', path: '/api/fraud/targeted', tag: 'fraud-risk', access: [...FRAUD_RISK_ROLES],
      summary: 'Targeted spot-check queue (定向抽查): per ISO week, the forms most at risk of being forged, ranked by risk score, with the reasons',
      notes:
        'Give exactly one of week (YYYY-Www) or month (YYYY-MM: the ISO weeks whose Thursday lies in it). Kept apart from the random sample ' +
        '(GET /api/spotchecks): forms in the random sample and forms checked from another queue are left out, and the outcomes recorded ' +
        'from this queue (POST /api/verifications with queue targeted) never enter the discrepancy-rate estimate. Size per week: ' +
        'ceil(random calls × targeted_check_share ÷ (1 − share)), company-wide; team shows that team\'s forms among the list. ' +
        'contact_phone is unmasked (the supervisor calls it): supervisor and admin only — managers, executives and hr are refused.',
      query: {
        week: { type: 'text', description: 'an ISO week YYYY-Www, e.g. 2025-W19', max: 8 },
        month: month('the month YYYY-MM (weeks whose Thursday is in it)', false),
        team: TEAM_Q,
      },
      responses: {
        200: json('{week, month, team, groups: [{week, week_start, week_month, random_calls, targeted_check_share, size, candidates, verified}], rows: [{week, targeted_rank, form_id, ticket_id, team_id, technician_id, customer_name, contact_phone, completed_at, submitted_at, job_month, score, signals, reasons_zh, reasons_en, verification_outcome, verification_queue, verified_at, verified_by, …}]}'),
        ...STD_ERRORS,
      },
      async handler(c, { q, user, wh }) {
        const u = me(user);
        const queue = await getTargetedQueue(wh, { week: q.week as string | undefined, month: q.month as string | undefined, team: q.team as string | undefined });
        // Only PII roles reach this route; masked anyway should the access list ever widen.
        return c.json(seesPii(u.role) ? queue : { ...queue, rows: queue.rows.map((r) => maskCustomer(r, u.role)) });
      },
    },
    {
      method: 'GET', path: '/api/fraud/forms/:form_id', tag: 'fraud-risk', access: [...FRAUD_FINDINGS_ROLES],
      summary: 'One form\'s fraud risk: every signal, fired or not, with its reason in words (zh/en), weight, strength and evidence, the score and the checks',
      notes:
        'Evidence: the other customers\' forms on the same phone (shared_phone), the serving or another technician\'s mobile (technician_phone), ' +
        'the minutes between completion and submission (early_submission), the burst\'s forms (burst), the all-maximum binomial test (all_max), ' +
        'the on-site and the phone version of the form (replaced_drop), the technician\'s earlier fraudulent/corrected forms (prior_findings). ' +
        'supervisor, admin: any current form of a completed job. hr: only a form whose latest check found it fraudulent (the evidence behind a ' +
        'bonus-sheet flag), with contact_phone and personal names masked; any other form → 403 not_proven. manager, executive: refused.',
      params: { form_id: { type: 'id', description: 'the form id', required: true } },
      responses: { 200: json('{form_id, ticket_id, month, team_id, technician_id, technician_name, customer_name, contact_phone, source, score, signals: [{signal, fired, strength, weight, reason_zh, reason_en, evidence}], in_random_sample, verifications}'), ...STD_ERRORS, 404: error('no current form of a completed job') },
      async handler(c, { p, user, wh }) {
        const u = me(user);
        const formId = p.form_id as string;
        if (!(FRAUD_RISK_ROLES as readonly string[]).includes(u.role) && (await latestOutcome(wh, formId)) !== 'fraudulent') {
          throw forbidden('hr reads the evidence of forms found fraudulent only, never the risk of an unproven form', 'not_proven');
        }
        return c.json(maskFormRisk(await getFormRisk(wh, formId), u.role));
      },
    },
    {
      method: 'GET', path: '/api/fraud/technicians', tag: 'fraud-risk', access: [...FRAUD_RISK_ROLES],
      summary: 'Technicians of a month ranked by fraud risk (Σ of their forms\' scores), each with 12 months of history for sparklines',
      notes:
        'From mart_technician_risk_month: rank by score_sum (the forged forms to expect), then the largest score, then the id; forms, flagged forms, ' +
        'forms per signal, the all-maximum test and earlier findings with their reasons (zh/en); history: the months up to this one with forms, ' +
        'oldest first. team: the team the technician served most that month. supervisor and admin only.',
      query: { month: month(), team: TEAM_Q },
      responses: { 200: json('{month, team, rows: [{rank, technician_id, technician_name, team_id, team_name, forms, forms_flagged, forms_max, score_sum, mean_score, max_score, signals, signal_forms, all_max, prior_findings, reasons_zh, reasons_en, history: [{month, forms, forms_flagged, score_sum, mean_score, max_score, signals}]}]}'), ...STD_ERRORS },
      async handler(c, { q, wh }) {
        return c.json(await getTechnicianRisk(wh, { month: q.month as string, team: (q.team as string | undefined) ?? null }));
      },
    },
    {
      method: 'GET', path: '/api/fraud/findings', tag: 'fraud-risk', access: [...FRAUD_FINDINGS_ROLES],
      summary: 'Spot-check findings per technician for a month (the month of the verification) and to date',
      notes:
        'supervisor, admin: every check of the technician\'s forms, by queue (random / targeted / ad_hoc) and outcome, and the month\'s totals per ' +
        'queue (what a targeted call finds against a random one). hr: {proven_only: true, rows} — only technicians with a fraudulent or corrected ' +
        'finding in the month, only those two counts (month and to date), no queue and no check that found nothing. ' +
        'team: the team of the checked form\'s ticket. manager, executive: refused.',
      query: { month: month('the month of the verifications'), team: TEAM_Q },
      responses: {
        200: json('supervisor/admin: {month, team, rows: [{technician_id, technician_name, team_id, team_name, month, by_queue, to_date}], totals}; hr: {month, team, proven_only: true, rows: [{technician_id, technician_name, team_id, team_name, month: {corrected, fraudulent}, to_date: {corrected, fraudulent}}]}'),
        ...STD_ERRORS,
      },
      async handler(c, { q, user, wh }) {
        const u = me(user);
        const list = await getFindings(wh, { month: q.month as string, team: (q.team as string | undefined) ?? null });
        return c.json((FRAUD_RISK_ROLES as readonly string[]).includes(u.role) ? list : provenFindings(list));
      },
    },
  ];
}
