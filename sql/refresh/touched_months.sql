-- Months whose figures the batches after getvariable('since_batch') may change (incremental
-- refresh). A row `month IS NULL` means "everything": teams, technicians and the working
-- calendar change the attribution or clocks of every month.
-- Tickets move the SLA month (reported_at) and the job month (completed_at), for the new version
-- and the one it replaced, and the month of a job a new ticket re-opens (first-time fix).
-- Forms and verifications move the month of their ticket's job; complaints their received month,
-- and a changed ticket the month of every complaint linked to it (a complaint takes its team and
-- technician from its ticket); adjustments their month.
-- A forged form is charged in the month of its verification, not of its job (fct_forged_form):
-- a verification batch (which may make another verification of the form the latest), a form batch
-- (the form's ticket) and a ticket batch (the ticket's team and technician) move the month of every
-- verification of the forms concerned.
WITH new_batches AS (
  SELECT batch_id, kind FROM batches WHERE batch_id > getvariable('since_batch') AND status = 'committed'
),
ticket_versions AS (
  SELECT reported_at, completed_at, repeat_of FROM tickets WHERE batch_id IN (SELECT batch_id FROM new_batches)
  UNION ALL
  SELECT reported_at, completed_at, repeat_of FROM tickets_history WHERE superseded_by IN (SELECT batch_id FROM new_batches)
),
form_tickets AS (
  SELECT ticket_id FROM feedback WHERE batch_id IN (SELECT batch_id FROM new_batches)
  UNION ALL SELECT ticket_id FROM feedback_history WHERE superseded_by IN (SELECT batch_id FROM new_batches)
  UNION ALL
  SELECT f.ticket_id FROM verifications v JOIN feedback f USING (form_id) WHERE v.batch_id IN (SELECT batch_id FROM new_batches)
  UNION ALL
  SELECT f.ticket_id FROM verifications_history v JOIN feedback f USING (form_id) WHERE v.superseded_by IN (SELECT batch_id FROM new_batches)
),
changed_tickets AS (
  SELECT ticket_id FROM tickets WHERE batch_id IN (SELECT batch_id FROM new_batches)
  UNION ALL SELECT ticket_id FROM tickets_history WHERE superseded_by IN (SELECT batch_id FROM new_batches)
),
verified_forms AS (
  SELECT form_id FROM verifications WHERE batch_id IN (SELECT batch_id FROM new_batches)
  UNION ALL SELECT form_id FROM verifications_history WHERE superseded_by IN (SELECT batch_id FROM new_batches)
  UNION ALL SELECT form_id FROM feedback WHERE batch_id IN (SELECT batch_id FROM new_batches)
  UNION ALL SELECT form_id FROM feedback_history WHERE superseded_by IN (SELECT batch_id FROM new_batches)
  UNION ALL SELECT form_id FROM feedback WHERE ticket_id IN (SELECT ticket_id FROM changed_tickets)
  UNION ALL SELECT form_id FROM feedback_history WHERE ticket_id IN (SELECT ticket_id FROM changed_tickets)
)
SELECT NULL::DATE AS month FROM new_batches WHERE kind IN ('teams', 'technicians', 'calendar')
UNION
SELECT date_trunc('month', reported_at) FROM ticket_versions
UNION
SELECT date_trunc('month', completed_at) FROM ticket_versions WHERE completed_at IS NOT NULL
UNION
SELECT date_trunc('month', t.completed_at) FROM tickets t WHERE t.ticket_id IN (SELECT repeat_of FROM ticket_versions) AND t.completed_at IS NOT NULL
UNION
SELECT date_trunc('month', t.completed_at) FROM tickets t WHERE t.ticket_id IN (SELECT ticket_id FROM form_tickets) AND t.completed_at IS NOT NULL
UNION
SELECT date_trunc('month', received_at) FROM complaints WHERE batch_id IN (SELECT batch_id FROM new_batches)
UNION
SELECT date_trunc('month', c.received_at) FROM complaints c
WHERE c.ticket_id IN (SELECT ticket_id FROM tickets WHERE batch_id IN (SELECT batch_id FROM new_batches)
                      UNION ALL SELECT ticket_id FROM tickets_history WHERE superseded_by IN (SELECT batch_id FROM new_batches))
UNION
SELECT date_trunc('month', received_at) FROM complaints_history WHERE superseded_by IN (SELECT batch_id FROM new_batches)
UNION
SELECT month FROM adjustments WHERE batch_id IN (SELECT batch_id FROM new_batches)
UNION
SELECT month FROM adjustments_history WHERE superseded_by IN (SELECT batch_id FROM new_batches)
UNION
SELECT date_trunc('month', verified_at) FROM verifications WHERE form_id IN (SELECT form_id FROM verified_forms)
UNION
SELECT date_trunc('month', verified_at) FROM verifications_history WHERE form_id IN (SELECT form_id FROM verified_forms)
