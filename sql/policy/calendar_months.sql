-- Working days per month of a year ($1) on the working calendar (dim_date, SPEC §5): weekdays
-- work and weekends rest, except the dates listed in `calendar` — public holidays (节假日) rest
-- and 调休 make-up days (调休上班) work.
SELECT strftime(d.date, '%Y-%m') AS month,
       count(*) AS days,
       count(*) FILTER (WHERE d.is_working_day) AS working_days,
       count(*) FILTER (WHERE NOT d.is_working_day) AS rest_days,
       count(*) FILTER (WHERE c.day_type = 'holiday') AS holidays,
       count(*) FILTER (WHERE c.day_type = 'workday') AS makeup_workdays
FROM dim_date d
LEFT JOIN calendar c ON c.date = d.date
WHERE year(d.date) = $1
GROUP BY 1
ORDER BY 1
