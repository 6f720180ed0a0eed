-- dim_date · 工作日历 — every day from 2020 to 2035 with whether it is a working day on the
-- Chinese working calendar (SPEC §5): weekends rest and weekdays work, except the dates listed in
-- the `calendar` table — public holidays (节假日) rest, 调休 make-up days (调休上班) work.
-- `working_day_seq` counts working days up to and including the date, so "the Nth working day
-- after D" is the first date whose seq is seq(D) + N.
-- materialized: table
SELECT d.date,
       CASE c.day_type WHEN 'holiday' THEN false WHEN 'workday' THEN true
            ELSE isodow(d.date) <= 5 END AS is_working_day,
       c.name AS holiday_name,
       sum(CASE c.day_type WHEN 'holiday' THEN 0 WHEN 'workday' THEN 1
                ELSE CASE WHEN isodow(d.date) <= 5 THEN 1 ELSE 0 END END) OVER (ORDER BY d.date) AS working_day_seq
FROM (SELECT CAST(range AS DATE) AS date FROM range(DATE '2020-01-01', DATE '2036-01-01', INTERVAL 1 DAY)) d
LEFT JOIN calendar c ON c.date = d.date
