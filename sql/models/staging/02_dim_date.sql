-- dim_date · 工作日历 — every day from 2000 (when the first policy version applies) to the end of
-- 2035, or ten years past the data's as-of time when that is later, with whether it is a working
-- day on the Chinese working calendar (SPEC §5): weekends rest and weekdays work, except the dates
-- listed in the `calendar` table — public holidays (节假日) rest, 调休 make-up days (调休上班) work.
--   working_day_seq      working days up to and including the date, so "the Nth working day
--                        after D" is the first date whose seq is seq(D) + N;
--   working_days_before  working days strictly before the date. With a working window of W
--                        minutes a day, W × working_days_before is the running count of working
--                        minutes up to the date's midnight: fct_ticket_sla turns working-hour
--                        SLA limits into deadlines with it (SPEC §4.1).
-- materialized: table
WITH days AS (
  SELECT d.date, c.name AS holiday_name,
         CASE c.day_type WHEN 'holiday' THEN false WHEN 'workday' THEN true
              ELSE isodow(d.date) <= 5 END AS is_working_day
  FROM (SELECT CAST(range AS DATE) AS date
        FROM range(DATE '2000-01-01',
                   (SELECT greatest(DATE '2036-01-01', CAST(date_trunc('year', as_of) + INTERVAL 11 YEAR AS DATE)) FROM data_as_of),
                   INTERVAL 1 DAY)) d
  LEFT JOIN calendar c ON c.date = d.date
)
SELECT date, is_working_day, holiday_name,
       CAST(sum(CASE WHEN is_working_day THEN 1 ELSE 0 END) OVER (ORDER BY date) AS BIGINT) AS working_day_seq,
       CAST(sum(CASE WHEN is_working_day THEN 1 ELSE 0 END) OVER (ORDER BY date) AS BIGINT) - CASE WHEN is_working_day THEN 1 ELSE 0 END AS working_days_before
FROM days
