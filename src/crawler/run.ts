// A crawl run: the instance list and membership, then one turn on each instance, many hosts at once (pacing is per
// host). `sepia crawl` runs one now through runCrawl; the scheduler (scheduler.ts) records its own runs the same way
// and shares the pieces below. Either way a run is a record (crawl_runs) of work done on each instance's own
// schedule, which lives on the instances themselves.
import type { Config } from '../config/config.ts'
import type { Db } from '../db/open.ts'
import { allInstances, instanceByHost, syncInstances } from '../db/instances.ts'
import { findBlock } from '../db/moderation.ts'
import { acquireLease, createRun, endRun, leaseHolder, releaseLease, renewLease, LEASE_MS, type RunEnd } from '../db/crawl-runs.ts'
import { CrawlAborted, createFetcher, type Fetcher } from './http.ts'
import { fetchInstanceList } from './instance-list.ts'
import { crawlInstance, emptyResult, StorageError, type InstanceCrawlResult, type TurnProgress } from './crawl.ts'
import { isStorageFailure } from './turn.ts'

/** Something that happened during a run, for progress output. */
export type CrawlProgress =
  | { kind: 'list'; hosts: number; added: string[]; removed: string[]; error: string | null }
  | { kind: 'start'; host: string; instances: number }
  | { kind: 'step'; progress: TurnProgress }
  | { kind: 'instance'; result: InstanceCrawlResult }

/** Totals of a run. */
export type CrawlTotals = {
  instances: number
  ok: number
  /** Instances whose turn ran out of budget mid-listing: their pass continues at their next turn. */
  partial: number
  failed: number
  /** Instances whose robots.txt disallows us. */
  refused: number
  stopped: number
  videosNew: number
  videosUpdated: number
  videosRemoved: number
  detailsFetched: number
  detailsFailed: number
  /** Videos still waiting for their details after the run (fetched at later turns). */
  detailsPending: number
  /** Items whose uuid another instance owns. */
  claimed: number
  channels: number
  playlists: number
  instancesRemoved: number
}

/** What a run did. */
export type CrawlSummary = {
  runId: number
  /** True when this run continued an earlier one that did not finish (the scheduler after a restart). */
  resumed: boolean
  status: RunEnd
  /** Why the run failed (the database could not be written), or null. */
  error: string | null
  listError: string | null
  removedInstances: string[]
  instances: InstanceCrawlResult[]
  totals: CrawlTotals
}

/** Another crawl holds the lease (in this process or another one). */
export class CrawlBusyError extends Error {
  override name = 'CrawlBusyError'
}

/** Options of a run. */
export type RunOptions = {
  db: Db
  config: Config
  /** Crawl only these hosts (they must be listed, configured or added by hand, and not blocked); the list URL is not read. */
  hosts?: readonly string[]
  onProgress?: (p: CrawlProgress) => void
  /** Stops the run at the next safe point (between pages); the run is then recorded as interrupted. */
  signal?: AbortSignal
  /** Recorded with the run: 'cli' by default. */
  trigger?: string
}

/**
 * Applies instances.hosts, instances.blocked, instances.allowlistOnly and the admin's decisions in the database
 * without any network access: a newly blocked host, or one no source names any more, loses its content now.
 * Returns the hosts removed.
 */
export function applyConfiguredMembership(db: Db, config: Config): string[] {
  // In allowlist mode the list URL counts for nothing, so what only it named goes too.
  const listed = config.instances.allowlistOnly ? [] : null
  return syncInstances(db, { listed, listComplete: true, configured: config.instances.hosts, blocked: config.instances.blocked }).removed
}

/** What reading the instance list did. */
export type ListRefresh = { hosts: number; added: string[]; removed: string[]; error: string | null }

/**
 * Reads the instance list (unless allowlist mode or no list URL) and brings the instances table in line with it
 * and with the configuration and the admin's decisions: blocked or delisted instances lose their content. When the
 * list cannot be read, the instances known so far are kept. Throws CrawlAborted when stopped meanwhile.
 */
export async function refreshInstances(db: Db, config: Config, fetcher: Fetcher, signal: AbortSignal): Promise<ListRefresh> {
  let listed: string[] | null = null
  let listComplete = true
  let error: string | null = null
  if (config.instances.allowlistOnly || !config.instances.listUrl) {
    listed = [] // only the hosts the admin named are indexed
  } else {
    try {
      const list = await fetchInstanceList(fetcher, config.instances)
      listed = list.hosts
      listComplete = list.complete
    } catch (err) {
      if (signal.aborted || err instanceof CrawlAborted) throw new CrawlAborted()
      error = `cannot read the instance list ${config.instances.listUrl}: ${(err as Error).message}`
    }
  }
  const sync = syncInstances(db, { listed, listComplete, configured: config.instances.hosts, blocked: config.instances.blocked })
  return { hosts: listed?.length ?? 0, added: sync.added, removed: sync.removed, error }
}

/** Why a host is not among the instances to crawl, in a few words (for `sepia crawl --host`). */
export function notIndexedReason(db: Db, config: Config, host: string): string {
  if (config.instances.blocked.includes(host)) return 'blocked by instances.blocked'
  const blocked = findBlock(db, 'host', host)
  if (blocked) return `blocked by hand: ${blocked.reason}`
  return config.instances.allowlistOnly
    ? 'not in instances.hosts nor added with `sepia instances add` (allowlist mode)'
    : 'not in the instance list nor in instances.hosts, nor added with `sepia instances add`'
}

/** Takes the crawl lease and keeps renewing it; throws CrawlBusyError when another crawl holds it. Returns the release. */
export function holdLease(db: Db): () => void {
  if (!acquireLease(db)) {
    const holder = leaseHolder(db)
    throw new CrawlBusyError(`another crawl is running${holder ? ` (${holder.owner.split(':').slice(0, 2).join(', pid ')})` : ''}`)
  }
  // Renewing well within the lease's life; a process that dies simply stops renewing.
  const renew = setInterval(() => renewLease(db), LEASE_MS / 5)
  renew.unref()
  return () => {
    clearInterval(renew)
    releaseLease(db)
  }
}

/**
 * Runs one crawl now: the list (unless `hosts`), then one listing turn on every instance (or those named), each
 * within its budget; throws CrawlBusyError if another crawl is running. A database that cannot be written stops
 * the run, which is then recorded as failed.
 */
export async function runCrawl(opts: RunOptions): Promise<CrawlSummary> {
  const { db, config } = opts
  const release = holdLease(db)
  // A storage failure stops every other turn too, at their next safe point.
  const fatal = new AbortController()
  const signal = AbortSignal.any([opts.signal ?? new AbortController().signal, fatal.signal])
  const fetcher = createFetcher(config.crawl, signal)
  try {
    const hosts = opts.hosts?.map((h) => h.toLowerCase()) ?? null
    const run = createRun(db, opts.trigger ?? 'cli', hosts)
    const summary = newSummary(run.id, false)
    if (hosts === null) {
      try {
        const list = await refreshInstances(db, config, fetcher, signal)
        summary.listError = list.error
        summary.removedInstances = list.removed
        opts.onProgress?.({ kind: 'list', ...list })
      } catch (err) {
        if (err instanceof CrawlAborted) return finishRun(db, summary, 'interrupted')
        if (!isStorageFailure(err)) throw err
        summary.error = `the database could not be written: ${(err as Error).message}`
        return finishRun(db, summary, 'failed')
      }
    }
    const targets = hosts === null ? allInstances(db) : hosts.flatMap((h) => instanceByHost(db, h) ?? [])
    for (const h of hosts ?? []) {
      if (targets.some((t) => t.host === h)) continue
      summary.instances.push(emptyResult(h, 'failed', notIndexedReason(db, config, h)))
      opts.onProgress?.({ kind: 'instance', result: summary.instances.at(-1)! })
    }
    // Never-crawled and stalest instances first, so that a run cut short serves those who waited longest.
    const todo = targets.sort((x, y) => (x.lastSuccessAt ?? 0) - (y.lastSuccessAt ?? 0) || x.host.localeCompare(y.host))
    let next = 0
    const worker = async () => {
      while (next < todo.length && !signal.aborted) {
        const target = todo[next++]!
        opts.onProgress?.({ kind: 'start', host: target.host, instances: todo.length })
        let result: InstanceCrawlResult
        try {
          result = await crawlInstance({ db, config, fetcher }, target, { onProgress: (progress) => opts.onProgress?.({ kind: 'step', progress }) })
        } catch (err) {
          if (!(err instanceof StorageError)) throw err
          summary.error ??= err.message
          fatal.abort()
          result = err.result ?? emptyResult(target.host, 'failed', err.message)
        }
        summary.instances.push(result)
        opts.onProgress?.({ kind: 'instance', result })
      }
    }
    await Promise.all(Array.from({ length: Math.min(config.crawl.concurrency, todo.length) }, worker))
    return finishRun(db, summary, summary.error ? 'failed' : signal.aborted ? 'interrupted' : 'done')
  } finally {
    await fetcher.close().catch(() => {})
    release()
  }
}

/**
 * Folds a later turn on the same instance into the earlier one's result: counts add up, the later turn says where
 * the instance stands. The scheduler keeps one result per instance per run this way, however many turns it takes.
 */
export function mergeTurn(earlier: InstanceCrawlResult, later: InstanceCrawlResult): InstanceCrawlResult {
  return {
    ...later,
    listed: earlier.listed || later.listed,
    version: later.version ?? earlier.version,
    videos: { ...later.videos, new: earlier.videos.new + later.videos.new, updated: earlier.videos.updated + later.videos.updated, removed: earlier.videos.removed + later.videos.removed },
    channels: { ...later.channels, new: earlier.channels.new + later.channels.new, removed: earlier.channels.removed + later.channels.removed },
    playlists: { ...later.playlists, new: earlier.playlists.new + later.playlists.new, removed: earlier.playlists.removed + later.playlists.removed },
    skipped: earlier.skipped + later.skipped,
    claimed: later.listed ? later.claimed : earlier.claimed,
    details: { fetched: earlier.details.fetched + later.details.fetched, failed: earlier.details.failed + later.details.failed, pending: later.details.pending },
    requests: earlier.requests + later.requests,
    durationMs: earlier.durationMs + later.durationMs,
  }
}

/** A run's summary before anything was done. */
export function newSummary(runId: number, resumed: boolean): CrawlSummary {
  return { runId, resumed, status: 'done', error: null, listError: null, removedInstances: [], instances: [], totals: emptyTotals() }
}

/** Adds up a run's results and records its end. */
export function finishRun(db: Db, summary: CrawlSummary, status: RunEnd): CrawlSummary {
  summary.status = status
  const t = (summary.totals = emptyTotals())
  t.instancesRemoved = summary.removedInstances.length
  for (const r of summary.instances) {
    t.instances++
    t[r.status]++
    t.videosNew += r.videos.new
    t.videosUpdated += r.videos.updated
    t.videosRemoved += r.videos.removed
    t.detailsFetched += r.details.fetched
    t.detailsFailed += r.details.failed
    t.detailsPending += r.details.pending
    t.claimed += r.claimed.count
    t.channels += r.channels.total
    t.playlists += r.playlists.total
  }
  endRun(db, summary.runId, status, t, summary.listError)
  return summary
}

function emptyTotals(): CrawlTotals {
  return {
    instances: 0, ok: 0, partial: 0, failed: 0, refused: 0, stopped: 0, videosNew: 0, videosUpdated: 0, videosRemoved: 0, detailsFetched: 0,
    detailsFailed: 0, detailsPending: 0, claimed: 0, channels: 0, playlists: 0, instancesRemoved: 0,
  }
}
