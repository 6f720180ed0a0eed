/**
 * Spot checks (SPEC §2.6, §4.2; issue 4 §3): the queue of forms to verify by phone and recording a
 * verification. Supervision's work: only `supervisor` and `admin` — managers are refused, since
 * supervision and execution are separate (SPEC §1). The queue carries the customer's phone number
 * unmasked (the supervisor calls it), which is why no masked role may read it. See docs/server.md,
 * "Spot checks"; logic in pipelines/spotcheck/ and sql/spotcheck/queue.sql.
 */
import { getSpotcheckQueue } from '../../pipelines/spotcheck/queue.ts';
import { GRADES, VERIFICATION_OUTCOMES as OUTCOMES } from '../../pipelines/contract/vocabulary.ts';
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
        'then the models are refreshed. fraudulent removes the form from the counted forms; corrected replaces its grades. Answers the stored verification and the form\'s new state.',
      body: {
        required: true,
        schema: {
          type: 'object', required: ['form_id', 'outcome'],
          properties: {
            form_id: { type: 'string' }, outcome: { enum: [...OUTCOMES] },
            timeliness: grade, quality: grade, attitude: grade, note: { type: 'string', maxLength: 1000 },
          },
        },
      },
      responses: {
        200: { description: '{verification, form: {counted, score, …}, batch_id, refreshed_months}', schema: { type: 'object' } },
        ...STD_ERRORS, 404: error('no such form'),
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
