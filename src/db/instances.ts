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
  lastRunId: number | null
  lastDurationMs: number | null
  lastRequests: number | null
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
  last_run_id: number | null
  last_duration_ms: number | null
  last_requests: number | null
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
    lastRunId: r.last_run_id,
    lastDurationMs: r.last_duration_ms,
    lastRequests: r.last_requests,
  }
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
 * Records the start of an instance's crawl and returns its stamp: the crawl start time, made strictly greater
 * than the previous one so "not seen since this stamp" is exact even for two crawls within one millisecond.
 */
export function beginInstanceCrawl(db: Db, instanceId: number, now = Date.now()): number {
  const row = prepared(db, 'SELECT last_attempt_at AS last FROM instances WHERE id = ?').get(instanceId) as { last: number | null } | undefined
  const stamp = Math.max(now, (row?.last ?? 0) + 1)
  prepared(db, 'UPDATE instances SET last_attempt_at = ? WHERE id = ?').run(stamp, instanceId)
  return stamp
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

/** What one crawl of an instance cost and left out, stored whatever its outcome. */
export type CrawlCost = { skipped: number; durationMs: number; requests: number }

/**
 * Ends a complete crawl: deletes what the crawl did not see (`seen_at` before its stamp), refreshes the counts
 * and clears the error, all in one transaction. Returns how many rows of each kind were deleted.
 */
export function finishInstanceCrawl(db: Db, instanceId: number, stamp: number, cost: CrawlCost, now = Date.now()) {
  return db.transaction(() => {
    const removed = {
      videos: prepared(db, 'DELETE FROM videos WHERE instance_id = ? AND seen_at < ?').run(instanceId, stamp).changes,
      channels: prepared(db, 'DELETE FROM channels WHERE instance_id = ? AND seen_at < ?').run(instanceId, stamp).changes,
      playlists: prepared(db, 'DELETE FROM playlists WHERE instance_id = ? AND seen_at < ?').run(instanceId, stamp).changes,
    }
    prepared(db,
      `UPDATE instances SET
         videos_count = (SELECT count(*) FROM videos WHERE instance_id = :id),
         channels_count = (SELECT count(*) FROM channels WHERE instance_id = :id),
         playlists_count = (SELECT count(*) FROM playlists WHERE instance_id = :id),
         skipped_count = :skipped, last_success_at = :now, last_error = NULL, error_count = 0, refused = NULL,
         last_duration_ms = :duration, last_requests = :requests
       WHERE id = :id`,
    ).run({ id: instanceId, skipped: cost.skipped, now, duration: cost.durationMs, requests: cost.requests })
    return removed
  })()
}

/**
 * Ends a failed or partial crawl: keeps every indexed row (new ones found before the failure included, so the
 * counts are refreshed) and records the reason.
 */
export function failInstanceCrawl(db: Db, instanceId: number, reason: string, cost: CrawlCost): void {
  prepared(db,
    `UPDATE instances SET
       videos_count = (SELECT count(*) FROM videos WHERE instance_id = :id),
       channels_count = (SELECT count(*) FROM channels WHERE instance_id = :id),
       playlists_count = (SELECT count(*) FROM playlists WHERE instance_id = :id),
       skipped_count = :skipped, last_error = :reason, error_count = error_count + 1, refused = NULL,
       last_duration_ms = :duration, last_requests = :requests
     WHERE id = :id`,
  ).run({ id: instanceId, reason: reason.slice(0, 500), skipped: cost.skipped, duration: cost.durationMs, requests: cost.requests })
}

/**
 * Ends a crawl the instance refused (its robots.txt disallows us): its content goes, since it did not consent to
 * being indexed, and the reason is kept for `sepia instances list`. Not counted as a failure of the instance.
 */
export function refuseInstanceCrawl(db: Db, instanceId: number, reason: string, cost: CrawlCost): void {
  db.transaction(() => {
    for (const table of ['videos', 'channels', 'playlists'] as const) {
      prepared(db, `DELETE FROM ${table} WHERE instance_id = ?`).run(instanceId)
    }
    prepared(db,
      `UPDATE instances SET videos_count = 0, channels_count = 0, playlists_count = 0, skipped_count = 0,
         refused = :reason, last_error = NULL, error_count = 0, last_duration_ms = :duration, last_requests = :requests
       WHERE id = :id`,
    ).run({ id: instanceId, reason: reason.slice(0, 500), duration: cost.durationMs, requests: cost.requests })
  })()
}

/** Marks an instance as finished by a crawl run, so that resuming the run skips it. */
export function markInstanceRunDone(db: Db, instanceId: number, runId: number): void {
  prepared(db, 'UPDATE instances SET last_run_id = ? WHERE id = ?').run(runId, instanceId)
}
