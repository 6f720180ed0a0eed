-- Technicians ranked by fraud risk for a month (mart_technician_risk_month): by score_sum — the
-- forged forms to expect were the scores probabilities, so many risky forms weigh more than one —,
-- then the largest score, then the id. $month DATE (first day), $team VARCHAR or NULL (the team the
-- technician served most that month).
SELECT row_number() OVER (ORDER BY m.score_sum DESC, m.max_score DESC, m.technician_id) AS rank,
       m.*, strftime(m.month, '%Y-%m') AS month_text, te.name AS technician_name, tm.team_name
FROM mart_technician_risk_month m
LEFT JOIN technicians te ON te.technician_id = m.technician_id
LEFT JOIN teams tm ON tm.team_id = m.team_id
WHERE m.month = $month::DATE AND ($team::VARCHAR IS NULL OR m.team_id = $team)
ORDER BY rank
