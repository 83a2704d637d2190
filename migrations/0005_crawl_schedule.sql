-- Each instance on its own clock (src/crawler/README.md): the scheduler is a ticker that starts whatever is due,
-- so that a slow or endless instance delays only itself, and a crawl that stops (budget spent, restart, crash)
-- continues where it was at the instance's next turn. Everything the scheduler decides from lives here.

-- When the instance's next listing pass is due (NULL: now). A complete pass sets it one crawl.intervalMinutes
-- later, a failure one backoff_ms later, a pass cut short by its budget leaves it due.
ALTER TABLE instances ADD COLUMN next_crawl_at INTEGER;
-- The delay before retrying after the last failure: crawl.failureBackoffMinutes, doubled per consecutive failure
-- (error_count) up to a day; 0 while the instance is healthy.
ALTER TABLE instances ADD COLUMN backoff_ms INTEGER NOT NULL DEFAULT 0;
-- The listing pass in progress: its stamp (rows it saw have seen_at >= it; what it did not see is deleted when
-- it completes) and where it stands as JSON ({"kind", "start", "last", "sweep"}), so the next turn continues it.
-- Both NULL when no pass is in progress.
ALTER TABLE instances ADD COLUMN pass_stamp INTEGER;
ALTER TABLE instances ADD COLUMN pass_cursor TEXT;
-- How many local videos the instance says it has (the `total` of its listing), for progress.
ALTER TABLE instances ADD COLUMN listing_total INTEGER;
-- Videos whose details (full description, tags) are still to fetch, as of the end of its last turn; and when its
-- details may next get a turn of their own: set to the end of each such turn, so that instances waiting with
-- details take turns in order, or later when the host was failing.
ALTER TABLE instances ADD COLUMN details_pending INTEGER NOT NULL DEFAULT 0;
ALTER TABLE instances ADD COLUMN details_next_at INTEGER;
-- Why the last details phase stopped early (the host failing, say), or NULL.
ALTER TABLE instances ADD COLUMN details_error TEXT;
-- Items of the last listing pass whose uuid already belongs to another instance (indexed from it first), and the
-- hosts that own them, most items first (comma-separated, at most three).
ALTER TABLE instances ADD COLUMN claimed_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE instances ADD COLUMN claimed_by TEXT;

-- Existing instances keep their rhythm: due at the next full crawl the old schedule would have started.
UPDATE instances SET next_crawl_at = (SELECT next_crawl_at FROM crawl_state WHERE id = 1);
UPDATE instances SET details_pending = (
  SELECT count(*) FROM videos v WHERE v.instance_id = instances.id AND v.details_updated_at IS NOT v.updated_at
);

CREATE INDEX instances_due ON instances (next_crawl_at);

-- Resuming an interrupted run by the instances it had not finished (instances.last_run_id) is replaced by each
-- instance's own due time: last_run_id is no longer written.

-- The videos a details phase still has to visit, newest first: only pending rows are in this index, so it stays
-- small once the first index is built.
CREATE INDEX videos_details_pending ON videos (instance_id, published_at)
  WHERE details_updated_at IS NOT updated_at;

-- A fingerprint of what a video's listing said when it was last written: a listing page that says the same again
-- only marks the video seen, instead of rewriting its row and its index entries (an unchanged re-crawl costs
-- listing pages and little else).
ALTER TABLE videos ADD COLUMN listing_hash TEXT;

-- Details requests that failed (the listing version stays indexed): tried again at a later turn, after the
-- videos that never failed, so that a few broken ones cannot eat every turn's budget.
CREATE TABLE details_failures (
  video_id INTEGER PRIMARY KEY REFERENCES videos (id) ON DELETE CASCADE,
  attempts INTEGER NOT NULL,
  failed_at INTEGER NOT NULL,
  error TEXT NOT NULL
);
