-- Spot-check findings per technician (fct_spot_check: every verification, with its queue and the
-- technician of its form's ticket): the checks made in the month ($month DATE, first day) and every
-- check up to its end, by queue and outcome. $team VARCHAR or NULL: the team of the checked form's
-- ticket. Technicians without a check in the month are not listed; team_id / team_name are the
-- technician's own (technicians table).
SELECT c.technician_id, te.name AS technician_name, te.team_id, tm.team_name, c.queue, c.outcome,
       count(*) FILTER (WHERE c.month = $month::DATE) AS in_month,
       count(*) AS to_date
FROM fct_spot_check c
LEFT JOIN technicians te ON te.technician_id = c.technician_id
LEFT JOIN teams tm ON tm.team_id = te.team_id
WHERE c.month <= $month::DATE AND c.technician_id IS NOT NULL
  AND ($team::VARCHAR IS NULL OR c.team_id = $team)
  AND c.technician_id IN (SELECT technician_id FROM fct_spot_check WHERE month = $month::DATE AND ($team::VARCHAR IS NULL OR team_id = $team))
GROUP BY ALL
ORDER BY c.technician_id, c.queue, c.outcome
