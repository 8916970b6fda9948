-- Failure budgets and rate limits shared by every app instance (SEC-43). One row per budget
-- instance (`scope`) and key: the events counted in the window that opened at `window_start`,
-- and the password attempts reserved but not yet settled. Reserving, settling and hitting are
-- one conditional statement each (`platform::budget_store`). `stale_at`: after it the row says
-- nothing any more (window over, reservations expired) and housekeeping deletes it.
CREATE TABLE shared_budgets (
    scope           TEXT    NOT NULL,
    budget_key      TEXT    NOT NULL,
    window_start    BIGINT  NOT NULL,
    counted         BIGINT  NOT NULL,
    in_flight       BIGINT  NOT NULL,
    in_flight_until BIGINT  NOT NULL,
    epoch           BIGINT  NOT NULL,
    stale_at        BIGINT  NOT NULL,
    PRIMARY KEY (scope, budget_key)
) WITHOUT ROWID;
CREATE INDEX shared_budgets_stale_at_idx ON shared_budgets (stale_at);
