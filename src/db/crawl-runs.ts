import { hostname } from 'node:os'
import { randomUUID } from 'node:crypto'
import type { Db } from './open.ts'
import { prepared } from './prepared.ts'

/** A crawl run as recorded in crawl_runs. */
export type CrawlRun = {
  id: number
  trigger: string
  hosts: string[] | null
  startedAt: number
  finishedAt: number | null
  status: 'running' | 'interrupted' | 'done' | 'failed' | 'abandoned'
  listError: string | null
  summary: unknown
}

type Row = {
  id: number
  trigger: string
  hosts: string | null
  started_at: number
  finished_at: number | null
  status: CrawlRun['status']
  list_error: string | null
  summary: string | null
}

function fromRow(r: Row): CrawlRun {
  return {
    id: r.id,
    trigger: r.trigger,
    hosts: r.hosts ? (JSON.parse(r.hosts) as string[]) : null,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    status: r.status,
    listError: r.list_error,
    summary: r.summary ? JSON.parse(r.summary) : null,
  }
}

/** Records the start of a run; `hosts` limits it to those instances (null: every instance). */
export function createRun(db: Db, trigger: string, hosts: readonly string[] | null, now = Date.now()): CrawlRun {
  const row = prepared(db, 'INSERT INTO crawl_runs (trigger, hosts, started_at) VALUES (?, ?, ?) RETURNING *').get(
    trigger,
    hosts ? JSON.stringify(hosts) : null,
    now,
  ) as Row
  return fromRow(row)
}

/** The most recent unfinished run over every instance (its process stopped or died), if any. */
export function unfinishedRun(db: Db): CrawlRun | undefined {
  const row = prepared(
    db,
    `SELECT * FROM crawl_runs WHERE status IN ('running', 'interrupted') AND hosts IS NULL ORDER BY id DESC LIMIT 1`,
  ).get() as Row | undefined
  return row && fromRow(row)
}

/** Marks every unfinished run as abandoned: a new full run supersedes them. */
export function abandonUnfinishedRuns(db: Db, now = Date.now()): void {
  prepared(db, `UPDATE crawl_runs SET status = 'abandoned', finished_at = ? WHERE status IN ('running', 'interrupted')`).run(now)
}

/** How a run ended: done, interrupted at a safe point, or failed (the database could not be written). */
export type RunEnd = 'done' | 'interrupted' | 'failed'

/**
 * Records the end of a run with its totals. When the database is full, the totals may not fit: the status is then
 * recorded without them, and if even that cannot be written the run stays 'running' until the next start abandons it.
 */
export function endRun(db: Db, runId: number, status: RunEnd, summary: unknown, listError: string | null, now = Date.now()): boolean {
  try {
    prepared(db, 'UPDATE crawl_runs SET status = ?, finished_at = ?, summary = ?, list_error = ? WHERE id = ?').run(
      status,
      now,
      JSON.stringify(summary),
      listError,
      runId,
    )
    return true
  } catch {
    try {
      prepared(db, 'UPDATE crawl_runs SET status = ?, finished_at = ? WHERE id = ?').run(status, now, runId)
      return true
    } catch {
      return false
    }
  }
}

/** The most recent run over every instance that finished, if any. */
export function lastCompleteRun(db: Db): CrawlRun | undefined {
  const row = prepared(db, `SELECT * FROM crawl_runs WHERE status = 'done' AND hosts IS NULL ORDER BY id DESC LIMIT 1`).get() as
    | Row
    | undefined
  return row && fromRow(row)
}

/** The latest runs, newest first. */
export function recentRuns(db: Db, limit = 10): CrawlRun[] {
  return (prepared(db, 'SELECT * FROM crawl_runs ORDER BY id DESC LIMIT ?').all(limit) as Row[]).map(fromRow)
}

/** When the scheduler next reads the instance list (epoch ms, per crawl.schedule), as it last wrote it. */
export function nextCrawlAt(db: Db): number | null {
  return (prepared(db, 'SELECT next_crawl_at AS t FROM crawl_state WHERE id = 1').get() as { t: number | null } | undefined)?.t ?? null
}

/** Stores when the scheduler next reads the instance list. */
export function setNextCrawlAt(db: Db, at: number | null): void {
  prepared(db, 'UPDATE crawl_state SET next_crawl_at = ? WHERE id = 1').run(at)
}

// Identifies this process as a lease holder: host name and pid tell a stale lease of a dead process on the same
// machine apart; the random part tells this process apart from an earlier one that had the same pid (containers).
const PROCESS_TOKEN = randomUUID().slice(0, 8)
/** This process's lease owner name, `host:pid:token`. */
export const LEASE_OWNER = `${hostname()}:${process.pid}:${PROCESS_TOKEN}`

/** How long a lease lasts unless renewed; the holder renews it well before. */
export const LEASE_MS = 5 * 60_000

function isStale(owner: string, expiresAt: number, now: number): boolean {
  if (expiresAt <= now) return true
  const [host, pid, token] = owner.split(':')
  if (host !== hostname()) return false
  if (Number(pid) === process.pid) return token !== PROCESS_TOKEN
  try {
    process.kill(Number(pid), 0)
    return false
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'ESRCH'
  }
}

/** Who holds the crawl lease now, if anyone (a stale lease of a dead process counts as free). */
export function leaseHolder(db: Db, now = Date.now()): { owner: string; expiresAt: number } | null {
  const row = prepared(db, 'SELECT lease_owner AS owner, lease_expires_at AS expiresAt FROM crawl_state WHERE id = 1').get() as
    | { owner: string | null; expiresAt: number | null }
    | undefined
  if (!row?.owner || row.expiresAt === null || isStale(row.owner, row.expiresAt, now)) return null
  return { owner: row.owner, expiresAt: row.expiresAt }
}

/**
 * Takes the crawl lease for this process, atomically (IMMEDIATE transaction: no other process can check and take
 * it in between). Returns false, without waiting, when another crawl holds it (this process included).
 */
export function acquireLease(db: Db, now = Date.now(), owner = LEASE_OWNER): boolean {
  return db.transaction(() => {
    if (leaseHolder(db, now)) return false
    prepared(db, 'UPDATE crawl_state SET lease_owner = ?, lease_expires_at = ? WHERE id = 1').run(owner, now + LEASE_MS)
    return true
  }).immediate()
}

/** Extends the lease while a crawl runs; false if it was lost (taken over after expiry). */
export function renewLease(db: Db, now = Date.now(), owner = LEASE_OWNER): boolean {
  return (
    prepared(db, 'UPDATE crawl_state SET lease_expires_at = ? WHERE id = 1 AND lease_owner = ?').run(now + LEASE_MS, owner).changes === 1
  )
}

/** Gives the lease back. */
export function releaseLease(db: Db, owner = LEASE_OWNER): void {
  prepared(db, 'UPDATE crawl_state SET lease_owner = NULL, lease_expires_at = NULL WHERE id = 1 AND lease_owner = ?').run(owner)
}
