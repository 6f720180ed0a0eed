/**
 * Spot checks (SPEC §2.6, §4.2; issue 4 §3): the queue of forms to verify by phone and recording a
 * verification. Supervision's work: only `supervisor` and `admin` — managers are refused, since
 * supervision and execution are separate (SPEC §1). The queue carries the customer's phone number
 * unmasked (the supervisor calls it), which is why no masked role may read it. A verification says
 * which queue it came from (random / targeted / ad_hoc, SPEC §4.7); the targeted queue itself is in
 * fraud.ts. See docs/server.md, "Spot checks" and "Fraud risk"; logic in pipelines/spotcheck/ and
 * sql/spotcheck/.
 */
import { getSpotcheckQueue } from '../../pipelines/spotcheck/queue.ts';
import { GRADES, VERIFICATION_OUTCOMES as OUTCOMES } from '../../pipelines/contract/vocabulary.ts';
import { VERIFICATION_QUEUES } from '../../pipelines/contract/spotcheck.ts';
import { parseVerification, recordVerification } from '../../pipelines/spotcheck/verify.ts';
import { readJson, type RouteDef } from '../http.ts';
import { error, me, STD_ERRORS, type RouteDeps } from './kit.ts';

const SUPERVISION = ['supervisor', 'admin'] as const;

export function spotcheckRoutes(d: RouteDeps): RouteDef[] {
  const grade = { enum: [...GRADES], description: 'corrected grade (required when outcome is corrected, else absent)' };
  return [
    {
      method: 'GET', path: '/api/spotchecks', tag: 'spot-checks', access: [...SUPERVISION],
      summary: 'Spot-check queue: a reproducible random sample of the forms per team per ISO week (policy spot_check_rate)',
      notes:
        'Give exactly one of week (YYYY-Www) or month (YYYY-MM: the ISO weeks whose Thursday lies in that month). ' +
        'Per team-week: the forms of the jobs completed in that week; sample size ceil(spot_check_rate × forms), rate from the policy of the week\'s month; ' +
        'order md5(form_id|week), so the same request always gives the same sample. contact_phone is unmasked: supervisor and admin only (managers refused).',
      query: {
        week: { type: 'text', description: 'an ISO week YYYY-Www, e.g. 2025-W19', max: 8 },
        month: { type: 'month', description: 'the month YYYY-MM (weeks whose Thursday is in it)' },
        team: { type: 'id', description: 'a team id' },
      },
      responses: { 200: { description: '{week, month, team, groups: [{week, team_id, forms, spot_check_rate, sample_size, verified}], rows: [...]}', schema: { type: 'object' } }, ...STD_ERRORS },
      async handler(c, { q, wh }) {
        return c.json(await getSpotcheckQueue(wh, {
          week: q.week as string | undefined, month: q.month as string | undefined, team: q.team as string | undefined,
        }));
      },
    },
    {
      method: 'POST', path: '/api/verifications', tag: 'spot-checks', access: [...SUPERVISION],
      summary: 'Record a spot-check verification of a form (needs X-CSRF-Token); the KPIs of the form\'s month move at once',
      notes:
        'Stored as a one-row batch (kind verifications) with verified_at = now in China time and verified_by = the signed-in user, audited (action verification), ' +
        'then the models are refreshed. fraudulent removes the form from the counted forms; corrected replaces its grades. Answers the stored verification and the form\'s new state. ' +
        'queue says which list the form was called from (SPEC §4.7): random (the random sample, GET /api/spotchecks — the only checks the ' +
        'discrepancy-rate estimate reads), targeted (GET /api/fraud/targeted) or ad_hoc (any other reason). random is refused for a form not in ' +
        'the random sample of its team-week (400 not_in_random_sample: it would bias the estimate). Without queue: random when the form is in ' +
        'that sample, else ad_hoc. A fraudulent finding from any queue takes the form out of the counted forms and charges the forged-form penalty.',
      body: {
        required: true,
        schema: {
          type: 'object', required: ['form_id', 'outcome'],
          properties: {
            form_id: { type: 'string' }, outcome: { enum: [...OUTCOMES] },
            queue: { enum: [...VERIFICATION_QUEUES], description: 'the list the form was called from: random (only for a form in the random sample), targeted or ad_hoc; default random when the form is in the sample, else ad_hoc' },
            timeliness: grade, quality: grade, attitude: grade, note: { type: 'string', maxLength: 1000 },
          },
        },
      },
      responses: {
        200: { description: '{verification, form: {counted, score, …}, batch_id, refreshed_months}', schema: { type: 'object' } },
        ...STD_ERRORS,
        400: error('invalid body (bad_body, grades_required, bad_grade, grades_not_allowed), or queue random for a form not in the random sample (not_in_random_sample)'),
        404: error('no such form'),
      },
      async handler(c, { user, wh }) {
        const u = me(user);
        const body = await readJson(c);
        const input = parseVerification(body);
        return c.json(await recordVerification(wh, input, u.username, d.now()));
      },
    },
  ];
}
