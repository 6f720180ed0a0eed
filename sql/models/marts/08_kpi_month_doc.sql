-- kpi_month_doc · 月度KPI文档 — each kpi_month row (every count, rate, target and month-over-month /
-- year-over-year change of a month and scope) as one JSON document, for serving. A KPI answer
-- reads one text column of one row instead of ~150 columns: DuckDB's cost of a row lookup grows
-- with the columns it reads (≈ 3 ms for all of kpi_month, < 1 ms for one), and every KPI read of
-- the API and the CLI is such a lookup. No figure is computed here: the document is kpi_month.
-- materialized: table
SELECT month, scope, scope_id, CAST(to_json(k) AS VARCHAR) AS doc
FROM kpi_month k
