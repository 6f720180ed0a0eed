-- 005 · Model refresh state: the last batch the models were built with, so an incremental refresh
-- rebuilds only the months the later batches touched (sql/refresh/touched_months.sql).
CREATE TABLE model_refresh (
  refreshed_at     TIMESTAMP NOT NULL,
  up_to_batch      BIGINT NOT NULL,
  full_rebuild     BOOLEAN NOT NULL,
  months           DATE[],
  seconds          DOUBLE
);
