/**
 * Recording one spot-check verification from the dashboard (SPEC §2.6, §4.2). The verification is
 * stored exactly as an ingested one: a one-row batch (kind `verifications`, status committed) and a
 * row in `verifications` keyed by (form_id, verified_at), with its batch_id and line_no 1 — in one
 * transaction with the audit entry (action `verification`). The models are then refreshed: the
 * incremental refresh finds the new batch and rebuilds the month of the form's job (and the months
 * depending on it), so the form's counted state, its score and the KPIs move at once.
 *
 * Each verification records the queue it came from (SPEC §4.7): `random` only for a form in the
 * random sample of its team-week (sql/spotcheck/in_random_sample.sql) — a check of any other form
 * would bias the discrepancy-rate estimate —, `targeted` or `ad_hoc` for any form. Without a queue
 * it is `random` when the form is in the sample, else `ad_hoc`: the rule of an ingested file.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeAudit } from '../assessment/audit.ts';
import { refreshModelsFor } from '../load-batch.ts';
import { PROJECT_ROOT, type Warehouse } from '../warehouse/warehouse.ts';
import { DomainError } from '../errors.ts';
import { SpotcheckError } from './errors.ts';
import { VERIFICATION_QUEUES, type FormState, type VerificationInput, type VerificationQueue, type VerificationResult } from '../contract/spotcheck.ts';
import { GRADE_ITEMS, GRADES, VERIFICATION_OUTCOMES, type Grade, type VerificationOutcome } from '../contract/vocabulary.ts';

export const NOTE_MAX = 1000;

const IN_RANDOM_SAMPLE_SQL = readFileSync(join(PROJECT_ROOT, 'sql', 'spotcheck', 'in_random_sample.sql'), 'utf8');

/** Checks a request body; every problem is a SpotcheckError ('invalid') with the reason. */
export function parseVerification(body: Record<string, unknown>): VerificationInput {
  const allowed = new Set(['form_id', 'outcome', ...GRADE_ITEMS, 'note', 'queue']);
  for (const k of Object.keys(body)) if (!allowed.has(k)) throw new SpotcheckError('bad_body', `unknown field "${k}"; allowed: ${[...allowed].join(', ')}`);
  const { form_id, outcome, note, queue } = body;
  if (typeof form_id !== 'string' || form_id.length === 0 || form_id.length > 64) throw new SpotcheckError('bad_body', 'form_id is required: a string of at most 64 characters');
  if (typeof outcome !== 'string' || !(VERIFICATION_OUTCOMES as readonly string[]).includes(outcome)) {
    throw new SpotcheckError('bad_body', `outcome must be one of ${VERIFICATION_OUTCOMES.join(', ')}`);
  }
  if (note !== undefined && note !== null && (typeof note !== 'string' || note.length > NOTE_MAX)) throw new SpotcheckError('bad_body', `note must be a string of at most ${NOTE_MAX} characters`);
  if (queue !== undefined && queue !== null && !(VERIFICATION_QUEUES as readonly unknown[]).includes(queue)) {
    throw new SpotcheckError('bad_body', `queue must be one of ${VERIFICATION_QUEUES.join(', ')} (random: the form is in the random sample)`);
  }
  const out: VerificationInput = { form_id, outcome: outcome as VerificationOutcome };
  if (typeof queue === 'string') out.queue = queue as VerificationQueue;
  if (typeof note === 'string' && note.trim() !== '') out.note = note;
  const given = GRADE_ITEMS.filter((k) => body[k] !== undefined && body[k] !== null);
  if (outcome === 'corrected') {
    const missing = GRADE_ITEMS.filter((k) => !given.includes(k));
    if (missing.length) throw new SpotcheckError('grades_required', `a corrected form needs its corrected grades: ${missing.join(', ')} missing (each A–E)`);
    for (const k of GRADE_ITEMS) {
      const g = body[k];
      if (typeof g !== 'string' || !(GRADES as readonly string[]).includes(g)) throw new SpotcheckError('bad_grade', `${k} must be a grade A, B, C, D or E`);
      out[k] = g as Grade;
    }
  } else if (given.length) {
    throw new SpotcheckError('grades_not_allowed', `grades (${given.join(', ')}) are given only with outcome corrected`);
  }
  return out;
}

/** `Date` → China time (Asia/Shanghai, UTC+8 all year) as 'YYYY-MM-DD HH:MM:SS.mmm'. */
export function chinaTimestamp(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().replace('T', ' ').replace('Z', '');
}

/** Records a verification by `by` at `now`; the form must be a current feedback form (else not_found). */
export async function recordVerification(wh: Warehouse, input: VerificationInput, by: string, now: Date): Promise<VerificationResult> {
  const form = await wh.one<{ form_id: string; ticket_id: string; month: string | null }>(
    `SELECT f.form_id, f.ticket_id, strftime(date_trunc('month', t.completed_at), '%Y-%m') AS month
     FROM feedback f LEFT JOIN tickets t ON t.ticket_id = f.ticket_id
     WHERE f.form_id = $1`,
    [input.form_id],
  );
  if (!form) throw new DomainError('not_found', 'not_found', `no feedback form "${input.form_id}"`);
  const sampled = !!(await wh.one<{ in_sample: boolean }>(IN_RANDOM_SAMPLE_SQL, [input.form_id]))?.in_sample;
  if (input.queue === 'random' && !sampled) {
    throw new SpotcheckError('not_in_random_sample', `form "${input.form_id}" is not in the random sample of its team and week; record it as targeted or ad_hoc`);
  }
  const queue: VerificationQueue = input.queue ?? (sampled ? 'random' : 'ad_hoc');
  const verifiedAt = chinaTimestamp(now);
  const stored = {
    form_id: input.form_id, verified_at: verifiedAt, verified_by: by, outcome: input.outcome,
    timeliness: input.timeliness ?? null, quality: input.quality ?? null, attitude: input.attitude ?? null, note: input.note ?? null, queue,
  };
  const sha256 = createHash('sha256').update(JSON.stringify({ ...stored, recorded_at: now.toISOString() })).digest('hex');

  const batchId = await wh.transaction(async () => {
    const { batch_id } = (await wh.one<{ batch_id: number }>(`SELECT nextval('batch_id_seq')::BIGINT AS batch_id`))!;
    await wh.run(
      `INSERT INTO batches (batch_id, kind, file_name, sha256, archive_path, format, encoding, uploaded_by, started_at, finished_at, status,
                            rows_read, accepted, inserted, updated, unchanged, replaced, rejected, warnings, months)
       VALUES ($1, 'verifications', $2, $3, NULL, 'json', 'utf-8', $4, now()::TIMESTAMP, now()::TIMESTAMP, 'committed',
               1, 1, 1, 0, 0, 0, 0, 0, CASE WHEN $5::VARCHAR IS NULL THEN []::DATE[] ELSE [CAST($5 AS DATE)] END)`,
      [
        batch_id, `dashboard:verification:${input.form_id}`, sha256, by, form.month === null ? null : `${form.month}-01`,
      ],
    );
    // The key is (form_id, verified_at): an existing row with the same key moves to history, as an ingested batch would.
    const same = `form_id = $1 AND verified_at = CAST($2 AS TIMESTAMP)`;
    const existing = (await wh.one<{ n: number }>(`SELECT count(*) AS n FROM verifications WHERE ${same}`, [input.form_id, verifiedAt]))!.n;
    if (existing > 0) {
      await wh.run(`INSERT INTO verifications_history SELECT *, ${batch_id}, 'updated' FROM verifications WHERE ${same}`, [input.form_id, verifiedAt]);
      await wh.run(`DELETE FROM verifications WHERE ${same}`, [input.form_id, verifiedAt]);
      await wh.run(`UPDATE batches SET inserted = 0, updated = 1 WHERE batch_id = $1`, [batch_id]);
    }
    await wh.run(
      `INSERT INTO verifications (form_id, verified_at, verified_by, outcome, timeliness, quality, attitude, note, queue, extra, batch_id, line_no)
       VALUES ($1, CAST($2 AS TIMESTAMP), $3, $4, $5, $6, $7, $8, $9, NULL, $10, 1)`,
      [stored.form_id, verifiedAt, by, stored.outcome, stored.timeliness, stored.quality, stored.attitude, stored.note, queue, batch_id],
    );
    await writeAudit(wh, {
      actor: by, action: 'verification', target: input.form_id,
      detail: { outcome: input.outcome, queue, grades: input.outcome === 'corrected' ? { timeliness: input.timeliness, quality: input.quality, attitude: input.attitude } : null, note: stored.note, batch_id, month: form.month },
    });
    return batch_id;
  });

  const report = await refreshModelsFor(wh, 'incremental');
  const state = await formState(wh, input.form_id);
  return { verification: { ...stored, batch_id: batchId, line_no: 1 }, form: state ?? { ...form, team_id: null, technician_id: null, counted: null, score: null, timeliness: null, quality: null, attitude: null, verification_outcome: input.outcome }, batch_id: batchId, refreshed_months: report.months };
}

/** A form's effective state in the models (fct_forms); undefined when its ticket is not a job. */
export async function formState(wh: Warehouse, formId: string): Promise<FormState | undefined> {
  return wh.one<FormState>(
    `SELECT form_id, ticket_id, strftime(month, '%Y-%m') AS month, team_id, technician_id, counted, score,
            timeliness, quality, attitude, verification_outcome
     FROM fct_forms WHERE form_id = $1`,
    [formId],
  );
}
