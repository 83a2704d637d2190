// What the scheduler asks the database: which instances are due, and when the next one will be. Each instance
// carries its own clock (migrations/0005_crawl_schedule.sql), so the answer survives restarts and a slow instance
// only ever delays itself.
import type { Db } from './open.ts'
import { prepared } from './prepared.ts'

/** An instance the scheduler may start a turn on. */
export type DueInstance = { id: number; host: string }

/**
 * Instances whose listing pass is due, those never crawled first, then those that waited longest (a pass cut short
 * by its budget is due again at once, behind the others); `busy` are the ids already being crawled.
 */
export function dueForListing(db: Db, now: number, limit: number, busy: readonly number[]): DueInstance[] {
  if (limit <= 0) return []
  return prepared(db,
    `SELECT id, host FROM instances
     WHERE (next_crawl_at IS NULL OR next_crawl_at <= ?) AND id NOT IN (SELECT value FROM json_each(?))
     ORDER BY next_crawl_at IS NOT NULL, next_crawl_at, host LIMIT ?`,
  ).all(now, JSON.stringify(busy), limit) as DueInstance[]
}

/**
 * Instances with details still to fetch whose listing is not due. 'turns': each in the order its last details turn
 * ended, so that a large backlog takes turns with the small ones instead of starving them; 'largest': the largest
 * backlogs first, for the few slots that keep the largest instances going at their own pace.
 */
export function dueForDetails(db: Db, now: number, limit: number, busy: readonly number[], order: 'turns' | 'largest' = 'turns'): DueInstance[] {
  if (limit <= 0) return []
  const by = order === 'turns' ? 'details_next_at IS NOT NULL, details_next_at, host' : 'details_pending DESC, host'
  return prepared(db,
    `SELECT id, host FROM instances
     WHERE details_pending > 0 AND refused IS NULL AND (details_next_at IS NULL OR details_next_at <= ?)
       AND id NOT IN (SELECT value FROM json_each(?))
     ORDER BY ${by} LIMIT ?`,
  ).all(now, JSON.stringify(busy), limit) as DueInstance[]
}

/** The earliest time an instance not being crawled becomes due (listing or details), or null if none ever will. */
export function nextDueAt(db: Db, busy: readonly number[]): number | null {
  const row = prepared(db,
    `SELECT min(CASE WHEN details_pending > 0 AND refused IS NULL THEN min(coalesce(next_crawl_at, 0), coalesce(details_next_at, 0))
                ELSE coalesce(next_crawl_at, 0) END) AS at
     FROM instances WHERE id NOT IN (SELECT value FROM json_each(?))`,
  ).get(JSON.stringify(busy)) as { at: number | null }
  return row.at
}
