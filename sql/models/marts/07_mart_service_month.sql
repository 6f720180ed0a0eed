-- mart_service_month · 服务类别与费用 — per month and scope (the company, each region, team and
-- technician, as in mart_kpi_month: scope_id '' for records without one), the money of the jobs and
-- the supervision counts that go with it (SPEC §4 "cost per job", "fee anomalies", "forged forms",
-- and the breakdown by service_type and customer_type; seed 003 A/B/C, seed 004 cost assessment):
--   dimension 'all'            key ''   the scope's totals;
--   dimension 'service_type'   key paid / contract / free (有费 / 合同 / 免费服务), '' not recorded;
--   dimension 'customer_type'  key in_warranty / annual_contract / per_visit_contract / out_of_warranty,
--                              '' not recorded.
-- For each: jobs (fct_jobs, by completion month), parts / labour / travel cost and their total
-- (配件费, 工时费, 差旅费), fees charged (收费金额), fees minus cost (收费 − 成本: what the jobs
-- brought in over what they cost; negative for free and contract work), cost per job (NULL without
-- jobs), fee anomalies (fct_fee_anomaly: count and the fees charged on them), forged forms
-- (fct_forged_form, by the month of the verification, with the penalties charged — under the
-- service and customer type of the form's ticket), and the month's optional policy budget per job
-- with over_budget (cost per job above it; NULL without a budget or without jobs).
-- materialized: incremental
WITH facts AS (
  -- one row per job (by completion month) and one per forged form (by verification month), with the
  -- scope and type columns both share
  SELECT j.month, j.region, j.team_id, j.technician_id, j.service_type, j.customer_type,
         1 AS jobs, j.parts_cost, j.labor_cost, j.travel_cost, j.cost, j.fee_charged,
         CASE WHEN a.ticket_id IS NOT NULL THEN 1 ELSE 0 END AS fee_anomaly,
         0 AS forged_form, 0 AS penalty
  FROM fct_jobs j
  LEFT JOIN fct_fee_anomaly a ON a.month = j.month AND a.ticket_id = j.ticket_id
  WHERE j.month IN (SELECT month FROM refresh_months)
  UNION ALL
  SELECT month, region, team_id, technician_id, service_type, customer_type,
         0, 0, 0, 0, 0, 0, 0,
         -- charged only to a known technician (mart_bonus_person); the count keeps every forgery
         1, CASE WHEN technician_id IS NOT NULL THEN penalty ELSE 0 END
  FROM fct_forged_form
  WHERE month IN (SELECT month FROM refresh_months)
),
grouped AS (
  SELECT month,
         CASE WHEN grouping(technician_id) = 0 THEN 'technician' WHEN grouping(team_id) = 0 THEN 'team'
              WHEN grouping(region) = 0 THEN 'region' ELSE 'company' END AS scope,
         coalesce(CASE WHEN grouping(technician_id) = 0 THEN technician_id WHEN grouping(team_id) = 0 THEN team_id
                       WHEN grouping(region) = 0 THEN region END, '') AS scope_id,
         CASE WHEN grouping(service_type) = 0 THEN 'service_type' WHEN grouping(customer_type) = 0 THEN 'customer_type' ELSE 'all' END AS dimension,
         coalesce(CASE WHEN grouping(service_type) = 0 THEN service_type WHEN grouping(customer_type) = 0 THEN customer_type END, '') AS key,
         CAST(sum(jobs) AS BIGINT) AS jobs,
         CAST(sum(parts_cost) AS DECIMAL(18,2)) AS parts_cost,
         CAST(sum(labor_cost) AS DECIMAL(18,2)) AS labor_cost,
         CAST(sum(travel_cost) AS DECIMAL(18,2)) AS travel_cost,
         CAST(sum(cost) AS DECIMAL(18,2)) AS cost_total,
         CAST(sum(fee_charged) AS DECIMAL(18,2)) AS fee_charged,
         CAST(sum(fee_anomaly) AS BIGINT) AS fee_anomalies,
         CAST(sum(fee_charged * fee_anomaly) AS DECIMAL(18,2)) AS fee_anomaly_amount,
         CAST(sum(forged_form) AS BIGINT) AS forged_forms,
         CAST(sum(penalty) AS DECIMAL(18,2)) AS forged_form_penalty
  FROM facts
  GROUP BY GROUPING SETS (
    (month), (month, region), (month, team_id), (month, technician_id),
    (month, service_type), (month, region, service_type), (month, team_id, service_type), (month, technician_id, service_type),
    (month, customer_type), (month, region, customer_type), (month, team_id, customer_type), (month, technician_id, customer_type))
)
SELECT m.month, m.scope, m.scope_id, m.dimension, m.key,
       m.jobs, m.parts_cost, m.labor_cost, m.travel_cost, m.cost_total, m.fee_charged,
       CAST(m.fee_charged - m.cost_total AS DECIMAL(18,2)) AS fee_minus_cost,
       CAST(m.cost_total AS DOUBLE) / nullif(m.jobs, 0) AS cost_per_job,
       p.cost_budget_per_job,
       CAST(m.cost_total AS DOUBLE) / nullif(m.jobs, 0) > p.cost_budget_per_job AS over_budget,
       m.fee_anomalies, m.fee_anomaly_amount, m.forged_forms, m.forged_form_penalty
FROM grouped m
JOIN policy_for_month p ON p.month = m.month
