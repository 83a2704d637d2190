import type { Db } from './open.ts'
import { prepared } from './prepared.ts'

/** An instance row as the crawler and `sepia stats` use it. */
export type Instance = {
  id: number
  host: string
  inList: boolean
  inConfig: boolean
  /** Added by hand with `sepia instances add`. */
  inAdmin: boolean
  /** Why Sepia does not crawl it of its own accord (robots.txt), or null. */
  refused: string | null
  name: string | null
  softwareVersion: string | null
  lastAttemptAt: number | null
  lastSuccessAt: number | null
  lastError: string | null
  errorCount: number
  videosCount: number
  channelsCount: number
  playlistsCount: number
  skippedCount: number
  lastDurationMs: number | null
  lastRequests: number | null
  /** When its next listing pass is due (null: now). */
  nextCrawlAt: number | null
  /** The delay before retrying after its last failure (0 while healthy). */
  backoffMs: number
  /** A listing pass in progress (continued at the next turn), or null. */
  pass: { stamp: number; cursor: PassCursor | null } | null
  /** Local videos the instance says it has. */
  listingTotal: number | null
  /** Videos whose details are still to fetch, and when its details may next get a turn. */
  detailsPending: number
  detailsNextAt: number | null
  detailsError: string | null
  /** Items of its last pass whose uuid belongs to another instance, and those instances' hosts. */
  claimedCount: number
  claimedBy: string[]
}

/** Where a listing pass stands between two turns, and what it counted so far. */
export type PassCursor = {
  kind: 'videos' | 'channels' | 'playlists'
  /** Offset of the next page to ask for. */
  start: number
  /** Key of the last item written, to check on continuing that the listing did not shift past it. */
  last: string | null
  /** False once the pass may have missed items (a listing that shifted between turns): then it deletes nothing. */
  sweep: boolean
  /** Items written by the pass so far, per kind. */
  listed: number
  skipped: number
  /** Items claimed first by other instances, by host. */
  claimed: Record<string, number>
}

type Row = {
  id: number
  host: string
  in_list: number
  in_config: number
  in_admin: number
  refused: string | null
  name: string | null
  software_version: string | null
  last_attempt_at: number | null
  last_success_at: number | null
  last_error: string | null
  error_count: number
  videos_count: number
  channels_count: number
  playlists_count: number
  skipped_count: number
  last_duration_ms: number | null
  last_requests: number | null
  next_crawl_at: number | null
  backoff_ms: number
  pass_stamp: number | null
  pass_cursor: string | null
  listing_total: number | null
  details_pending: number
  details_next_at: number | null
  details_error: string | null
  claimed_count: number
  claimed_by: string | null
}

function fromRow(r: Row): Instance {
  return {
    id: r.id,
    host: r.host,
    inList: r.in_list === 1,
    inConfig: r.in_config === 1,
    inAdmin: r.in_admin === 1,
    refused: r.refused,
    name: r.name,
    softwareVersion: r.software_version,
    lastAttemptAt: r.last_attempt_at,
    lastSuccessAt: r.last_success_at,
    lastError: r.last_error,
    errorCount: r.error_count,
    videosCount: r.videos_count,
    channelsCount: r.channels_count,
    playlistsCount: r.playlists_count,
    skippedCount: r.skipped_count,
    lastDurationMs: r.last_duration_ms,
    lastRequests: r.last_requests,
    nextCrawlAt: r.next_crawl_at,
    backoffMs: r.backoff_ms,
    pass: r.pass_stamp === null ? null : { stamp: r.pass_stamp, cursor: r.pass_cursor ? (JSON.parse(r.pass_cursor) as PassCursor) : null },
    listingTotal: r.listing_total,
    detailsPending: r.details_pending,
    detailsNextAt: r.details_next_at,
    detailsError: r.details_error,
    claimedCount: r.claimed_count,
    claimedBy: r.claimed_by ? r.claimed_by.split(',') : [],
  }
}

/** One instance by id, or undefined. */
export function instanceById(db: Db, id: number): Instance | undefined {
  const row = prepared(db, 'SELECT * FROM instances WHERE id = ?').get(id) as Row | undefined
  return row && fromRow(row)
}

/** Every instance, by host. */
export function allInstances(db: Db): Instance[] {
  return (prepared(db, 'SELECT * FROM instances ORDER BY host').all() as Row[]).map(fromRow)
}

/** One instance by host, or undefined. */
export function instanceByHost(db: Db, host: string): Instance | undefined {
  const row = prepared(db, 'SELECT * FROM instances WHERE host = ?').get(host.toLowerCase()) as Row | undefined
  return row && fromRow(row)
}

/**
 * Who should be indexed according to the list and the configuration: the list's hosts (null when the list could
 * not be read), config hosts, config-blocked hosts. What the admin decided with the CLI (admin_hosts, host blocks)
 * is read from the database by syncInstances itself.
 */
export type Membership = {
  /** Hosts from the list URL; null keeps every instance's previous list membership (list down or disabled). */
  listed: string[] | null
  /** When false, the list was cut short (instances.maxListPages): listed hosts are added, none are dropped. */
  listComplete: boolean
  configured: readonly string[]
  blocked: readonly string[]
}

/**
 * Brings the instances table in line with the list, the config, the hosts added by hand and both block lists, in
 * one transaction: (listed ∪ configured ∪ added by hand) − (config-blocked ∪ blocked by hand). Instances that are
 * blocked, or in none of the three sources, are deleted with all their content (cascade).
 */
export function syncInstances(db: Db, m: Membership, now = Date.now()): { added: string[]; removed: string[] } {
  const upsertListed = prepared(db,
    `INSERT INTO instances (host, in_list, created_at) VALUES (?, 1, ?)
     ON CONFLICT (host) DO UPDATE SET in_list = 1`,
  )
  const upsertConfigured = prepared(db,
    `INSERT INTO instances (host, in_config, created_at) VALUES (?, 1, ?)
     ON CONFLICT (host) DO UPDATE SET in_config = 1`,
  )
  const upsertAdmin = prepared(db,
    `INSERT INTO instances (host, in_admin, created_at) SELECT host, 1, ? FROM admin_hosts WHERE true
     ON CONFLICT (host) DO UPDATE SET in_admin = 1`,
  )
  const removeBlocked = prepared(db, 'DELETE FROM instances WHERE host = ? RETURNING host')
  const removeOrphans = prepared(db, 'DELETE FROM instances WHERE in_list = 0 AND in_config = 0 AND in_admin = 0 RETURNING host')
  // IMMEDIATE: the block list read here must still hold when the writes land (another process may be blocking).
  return db.transaction(() => {
    const existing = new Set(prepared(db, 'SELECT host FROM instances').pluck().all() as string[])
    const blocked = new Set([...m.blocked.map((h) => h.toLowerCase()), ...blockedHosts(db)])
    const removed: string[] = []
    for (const host of blocked) {
      const row = removeBlocked.get(host) as { host: string } | undefined
      if (row) removed.push(row.host)
    }
    if (m.listed !== null) {
      if (m.listComplete) prepared(db, 'UPDATE instances SET in_list = 0').run()
      for (const host of m.listed) if (!blocked.has(host.toLowerCase())) upsertListed.run(host.toLowerCase(), now)
    }
    prepared(db, 'UPDATE instances SET in_config = 0').run()
    for (const host of m.configured) if (!blocked.has(host.toLowerCase())) upsertConfigured.run(host.toLowerCase(), now)
    prepared(db, 'UPDATE instances SET in_admin = 0').run()
    upsertAdmin.run(now)
    for (const host of blocked) removeBlocked.run(host) // a host both added and blocked by hand stays out
    for (const row of removeOrphans.all() as { host: string }[]) removed.push(row.host)
    const added = (prepared(db, 'SELECT host FROM instances').pluck().all() as string[]).filter((h) => !existing.has(h))
    return { added, removed }
  }).immediate()
}

/** The hosts blocked by hand (`sepia instances block`). */
export function blockedHosts(db: Db): string[] {
  return prepared(db, `SELECT host FROM blocks WHERE kind = 'host'`).pluck().all() as string[]
}

/** Whether the instance row still exists (a block or removal from another process deletes it mid-crawl). */
export function instanceExists(db: Db, instanceId: number): boolean {
  return prepared(db, 'SELECT 1 FROM instances WHERE id = ?').get(instanceId) !== undefined
}

/**
 * Starts a listing turn: records the attempt, and returns the stamp of the pass it belongs to: the pass in progress
 * when it is continued, or a new one, made strictly greater than the last so that "not seen since this stamp" is
 * exact even for two passes within one millisecond.
 */
export function beginListing(db: Db, instanceId: number, now = Date.now()): { stamp: number; cursor: PassCursor | null } {
  return db.transaction(() => {
    const row = prepared(db, 'SELECT last_attempt_at AS last, pass_stamp AS stamp, pass_cursor AS cursor FROM instances WHERE id = ?').get(instanceId) as
      | { last: number | null; stamp: number | null; cursor: string | null }
      | undefined
    prepared(db, 'UPDATE instances SET last_attempt_at = ? WHERE id = ?').run(Math.max(now, row?.stamp ?? 0), instanceId)
    if (row?.stamp != null) return { stamp: row.stamp, cursor: row.cursor ? (JSON.parse(row.cursor) as PassCursor) : null }
    const stamp = Math.max(now, (row?.last ?? 0) + 1)
    prepared(db, 'UPDATE instances SET pass_stamp = ?, pass_cursor = NULL, last_attempt_at = ? WHERE id = ?').run(stamp, stamp, instanceId)
    return { stamp, cursor: null }
  })()
}

/** Where the pass stands after a page (written in the page's own transaction, so the two always agree). */
export function savePassCursor(db: Db, instanceId: number, cursor: PassCursor, listingTotal?: number): void {
  prepared(db, 'UPDATE instances SET pass_cursor = ?, listing_total = coalesce(?, listing_total) WHERE id = ?').run(
    JSON.stringify(cursor),
    listingTotal ?? null,
    instanceId,
  )
}

/** How many videos, channels and playlists the index holds from an instance, counted now. */
export function indexedCounts(db: Db, instanceId: number): { videos: number; channels: number; playlists: number } {
  const n = (table: 'videos' | 'channels' | 'playlists') =>
    (prepared(db, `SELECT count(*) AS n FROM ${table} WHERE instance_id = ?`).get(instanceId) as { n: number }).n
  return { videos: n('videos'), channels: n('channels'), playlists: n('playlists') }
}

/** Stores what the instance says about itself (name, description, software version). */
export function setInstanceInfo(db: Db, instanceId: number, info: { name: string | null; shortDescription: string | null; version: string }): void {
  prepared(db, 'UPDATE instances SET name = ?, short_description = ?, software_version = ? WHERE id = ?').run(
    info.name,
    info.shortDescription,
    info.version,
    instanceId,
  )
}

/** What one turn cost. */
export type CrawlCost = { durationMs: number; requests: number }

// The counts kept on the instance row, refreshed at the end of every turn. Pending details are counted from the
// partial index videos_details_pending, so a listing cut short or a turn stopped mid-details still leaves the
// scheduler a true backlog.
const COUNTS = `videos_count = (SELECT count(*) FROM videos WHERE instance_id = :id),
  channels_count = (SELECT count(*) FROM channels WHERE instance_id = :id),
  playlists_count = (SELECT count(*) FROM playlists WHERE instance_id = :id),
  details_pending = (SELECT count(*) FROM videos WHERE instance_id = :id AND details_updated_at IS NOT updated_at)`

/** The hosts most of a pass's claimed items belong to, as stored in claimed_by (at most three). */
function claimedHosts(claimed: Record<string, number>): string | null {
  const hosts = Object.entries(claimed).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 3).map(([h]) => h)
  return hosts.length ? hosts.join(',') : null
}

/**
 * Ends a complete listing pass: deletes what it did not see (`seen_at` before its stamp) unless it may have missed
 * items, refreshes the counts, clears the error and sets the instance's next pass one interval later, in one
 * transaction. Returns how many rows of each kind were deleted.
 */
export function finishPass(db: Db, instanceId: number, stamp: number, cursor: PassCursor, nextAt: number, now = Date.now()) {
  return db.transaction(() => {
    const sweep = (table: 'videos' | 'channels' | 'playlists') =>
      cursor.sweep ? prepared(db, `DELETE FROM ${table} WHERE instance_id = ? AND seen_at < ?`).run(instanceId, stamp).changes : 0
    const removed = { videos: sweep('videos'), channels: sweep('channels'), playlists: sweep('playlists') }
    prepared(db,
      `UPDATE instances SET ${COUNTS},
         skipped_count = :skipped, claimed_count = :claimedCount, claimed_by = :claimedBy,
         last_success_at = :now, last_error = NULL, error_count = 0, backoff_ms = 0, refused = NULL,
         pass_stamp = NULL, pass_cursor = NULL, next_crawl_at = :nextAt
       WHERE id = :id`,
    ).run({
      id: instanceId,
      skipped: cursor.skipped,
      claimedCount: Object.values(cursor.claimed).reduce((a, b) => a + b, 0),
      claimedBy: claimedHosts(cursor.claimed),
      now,
      nextAt,
    })
    return removed
  })()
}

/** The delay before the next try of an instance that failed `failures` times in a row: doubled each time, up to a day. */
export function failureBackoff(failures: number, firstMs: number): number {
  return Math.min(24 * 3600_000, firstMs * 2 ** Math.min(Math.max(failures - 1, 0), 30))
}

/**
 * Ends a failed turn: keeps every indexed row (new ones found before the failure included, so the counts are
 * refreshed), records the reason, abandons the pass (the next one starts afresh) and sets the next try one growing
 * backoff later.
 */
export function failInstanceCrawl(db: Db, instanceId: number, reason: string, cost: CrawlCost, firstBackoffMs: number, now = Date.now()): void {
  db.transaction(() => {
    const failures = ((prepared(db, 'SELECT error_count AS n FROM instances WHERE id = ?').get(instanceId) as { n: number } | undefined)?.n ?? 0) + 1
    const backoff = failureBackoff(failures, firstBackoffMs)
    prepared(db,
      `UPDATE instances SET ${COUNTS},
         last_error = :reason, error_count = :failures, backoff_ms = :backoff, next_crawl_at = :nextAt, refused = NULL,
         pass_stamp = NULL, pass_cursor = NULL, last_duration_ms = :duration, last_requests = :requests
       WHERE id = :id`,
    ).run({ id: instanceId, reason: reason.slice(0, 500), failures, backoff, nextAt: now + backoff, duration: cost.durationMs, requests: cost.requests })
  })()
}

/**
 * Ends a crawl the instance refused (its robots.txt disallows us): its content goes, since it did not consent to
 * being indexed, and the reason is kept for `sepia instances list`. Not counted as a failure of the instance; its
 * robots.txt is read again one interval later.
 */
export function refuseInstanceCrawl(db: Db, instanceId: number, reason: string, cost: CrawlCost, nextAt: number): void {
  db.transaction(() => {
    for (const table of ['videos', 'channels', 'playlists'] as const) {
      prepared(db, `DELETE FROM ${table} WHERE instance_id = ?`).run(instanceId)
    }
    prepared(db,
      `UPDATE instances SET videos_count = 0, channels_count = 0, playlists_count = 0, skipped_count = 0, claimed_count = 0,
         claimed_by = NULL, refused = :reason, last_error = NULL, error_count = 0, backoff_ms = 0, pass_stamp = NULL,
         pass_cursor = NULL, next_crawl_at = :nextAt, details_pending = 0, details_error = NULL,
         last_duration_ms = :duration, last_requests = :requests
       WHERE id = :id`,
    ).run({ id: instanceId, reason: reason.slice(0, 500), nextAt, duration: cost.durationMs, requests: cost.requests })
  })()
}

/** How a turn ended, for the instance's schedule. */
export type TurnEnd = {
  cost: CrawlCost
  /** The listing pass is unfinished (budget spent): the instance stays due. */
  listingDue: boolean
  /** The details phase ran: why it stopped early (or null), and when its backlog may have its next turn. */
  details: { error: string | null; nextAt: number } | null
}

/** Records the end of a turn that did not fail: its cost, the details backlog, and whether it is still due. */
export function endTurn(db: Db, instanceId: number, end: TurnEnd, now = Date.now()): void {
  prepared(db,
    `UPDATE instances SET ${COUNTS}, last_duration_ms = :duration, last_requests = :requests,
       next_crawl_at = CASE WHEN :listingDue THEN :now ELSE next_crawl_at END,
       details_error = CASE WHEN :ran THEN :error ELSE details_error END,
       details_next_at = coalesce(:detailsNextAt, details_next_at)
     WHERE id = :id`,
  ).run({
    id: instanceId,
    duration: end.cost.durationMs,
    requests: end.cost.requests,
    listingDue: end.listingDue ? 1 : 0,
    now,
    ran: end.details ? 1 : 0,
    error: end.details?.error ?? null,
    detailsNextAt: end.details?.nextAt ?? null,
  })
}
