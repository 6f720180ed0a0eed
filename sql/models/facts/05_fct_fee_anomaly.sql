-- fct_fee_anomaly · 违规收费疑点 — the jobs supervision must look at because a fee was charged where
-- none may be (SPEC §4 "fee anomalies", target 0): a job (fct_jobs, in the month it was completed)
-- with fee_charged (收费金额) > 0 whose service_type is `free` (免费服务: "在免费保证期间内，免向客户
-- 收取服务费用", seed 003 C) or whose customer_type is `in_warranty` (保内: "并不向客户收取任何技术员
-- 工费用、修理费和零件费", seed 004 保修承诺; seed 000 §3.3.4: no fee on any pretext). One row per job,
-- whichever rule (or both) it breaks, listed in `reasons`: 'free_service', 'in_warranty'.
-- A suspicion, not a verdict: an in-warranty customer may owe a fee for misuse (seed 004 保外维修);
-- supervision checks each one. A job whose service or customer type is not recorded is not
-- flagged (nothing says the fee was wrong). Counted for the job's team and technician.
-- materialized: incremental
SELECT j.month, j.ticket_id, j.team_id, j.technician_id, j.region, j.completed_at,
       j.service_type, j.customer_type, j.fee_charged,
       j.parts_cost, j.labor_cost, j.travel_cost, j.cost,
       coalesce(j.service_type = 'free', false) AS free_service,
       coalesce(j.customer_type = 'in_warranty', false) AS in_warranty,
       list_filter([CASE WHEN j.service_type = 'free' THEN 'free_service' END,
                    CASE WHEN j.customer_type = 'in_warranty' THEN 'in_warranty' END], x -> x IS NOT NULL) AS reasons
FROM fct_jobs j
WHERE j.month IN (SELECT month FROM refresh_months)
  AND j.fee_charged > 0
  AND (j.service_type = 'free' OR j.customer_type = 'in_warranty')
