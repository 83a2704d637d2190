-- Crawl state lives in the database, not in timers, so that a restart neither loses nor repeats work and two
-- processes (`sepia serve` and a `sepia crawl` next to it) never crawl at the same time.

-- One row per crawl run (scheduled, at start-up, or from `sepia crawl`). A run that is still 'running' or
-- 'interrupted' when the scheduler starts is resumed: only the instances it had not finished are crawled.
CREATE TABLE crawl_runs (
  id INTEGER PRIMARY KEY,
  -- 'schedule', 'startup', 'resume' or 'cli'.
  trigger TEXT NOT NULL,
  -- JSON array of the hosts a `sepia crawl --host` run was limited to; NULL for a run over every instance.
  hosts TEXT,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  -- 'running' (or its process died), 'interrupted' (stopped at a safe point), 'done', 'abandoned' (superseded).
  status TEXT NOT NULL DEFAULT 'running',
  -- Why the instance list could not be read, if it could not (the previous membership was kept).
  list_error TEXT,
  -- JSON totals (instances ok/failed, videos new/updated/removed …), written when the run ends.
  summary TEXT
);
CREATE INDEX crawl_runs_status ON crawl_runs (status, started_at);

-- The crawl run that last finished this instance (successfully or not): an interrupted run resumes with the
-- instances whose last_run_id is not its own.
ALTER TABLE instances ADD COLUMN last_run_id INTEGER;
-- How long the last crawl of this instance took, and how many HTTP requests it made (for `sepia stats`).
ALTER TABLE instances ADD COLUMN last_duration_ms INTEGER;
ALTER TABLE instances ADD COLUMN last_requests INTEGER;

-- A single row: the crawl lease (who crawls now, until when unless renewed) and when the schedule next wants a
-- crawl, so that a crawl missed while Sepia was down runs as soon as it is back.
CREATE TABLE crawl_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  lease_owner TEXT,
  lease_expires_at INTEGER,
  next_crawl_at INTEGER
);
INSERT INTO crawl_state (id) VALUES (1);
