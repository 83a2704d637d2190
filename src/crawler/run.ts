// One crawl run over the federation (or the hosts asked for): the instance list, membership, then every instance
// through crawlInstance with bounded concurrency. Used by the scheduler and by `sepia crawl` alike.
import type { Config } from '../config/config.ts'
import type { Db } from '../db/open.ts'
import { allInstances, instanceByHost, markInstanceRunDone, syncInstances } from '../db/instances.ts'
import { findBlock } from '../db/moderation.ts'
import {
  abandonUnfinishedRuns, acquireLease, createRun, endRun, leaseHolder, releaseLease, renewLease, unfinishedRun,
  LEASE_MS, type CrawlRun,
} from '../db/crawl-runs.ts'
import { createFetcher } from './http.ts'
import { fetchInstanceList } from './instance-list.ts'
import { crawlInstance, emptyResult, type InstanceCrawlResult } from './crawl.ts'
import { robotsCache } from './robots.ts'

/** Something that happened during a run, for progress output. */
export type CrawlProgress =
  | { kind: 'list'; hosts: number; added: string[]; removed: string[]; error: string | null }
  | { kind: 'start'; host: string }
  | { kind: 'instance'; result: InstanceCrawlResult }

/** Totals of a run. */
export type CrawlTotals = {
  instances: number
  ok: number
  failed: number
  /** Instances whose robots.txt disallows us. */
  refused: number
  stopped: number
  videosNew: number
  videosUpdated: number
  videosRemoved: number
  channels: number
  playlists: number
  instancesRemoved: number
}

/** What a run did. */
export type CrawlSummary = {
  runId: number
  /** True when this run finished an earlier interrupted one. */
  resumed: boolean
  status: 'done' | 'interrupted'
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
  /** Finish an interrupted full run, if there is one, instead of starting afresh (the scheduler does at start). */
  resume?: boolean
  /** Recorded with the run: 'cli', 'schedule', 'startup' … */
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

/** Why a host is not among the instances to crawl, in a few words (for `sepia crawl --host`). */
export function notIndexedReason(db: Db, config: Config, host: string): string {
  if (config.instances.blocked.includes(host)) return 'blocked by instances.blocked'
  const blocked = findBlock(db, 'host', host)
  if (blocked) return `blocked by hand: ${blocked.reason}`
  return config.instances.allowlistOnly
    ? 'not in instances.hosts nor added with `sepia instances add` (allowlist mode)'
    : 'not in the instance list nor in instances.hosts, nor added with `sepia instances add`'
}

/** Runs one crawl now; throws CrawlBusyError if another crawl is running. */
export async function runCrawl(opts: RunOptions): Promise<CrawlSummary> {
  const { db, config } = opts
  const signal = opts.signal ?? new AbortController().signal
  if (!acquireLease(db)) {
    const holder = leaseHolder(db)
    throw new CrawlBusyError(`another crawl is running${holder ? ` (${holder.owner.split(':').slice(0, 2).join(', pid ')})` : ''}`)
  }
  // Renewing well within the lease's life; a process that dies simply stops renewing.
  const renew = setInterval(() => renewLease(db), LEASE_MS / 5)
  renew.unref()
  const fetcher = createFetcher(config.crawl, signal)
  const robots = robotsCache(fetcher)
  try {
    const hosts = opts.hosts?.map((h) => h.toLowerCase()) ?? null
    let run: CrawlRun | undefined = hosts === null && opts.resume ? unfinishedRun(db) : undefined
    const resumed = run !== undefined
    if (!run) {
      if (hosts === null) abandonUnfinishedRuns(db)
      run = createRun(db, opts.trigger ?? 'cli', hosts)
    }
    const summary: CrawlSummary = {
      runId: run.id,
      resumed,
      status: 'done',
      listError: null,
      removedInstances: [],
      instances: [],
      totals: emptyTotals(),
    }

    // Membership first: blocked or delisted instances lose their content before anything else happens.
    let listed: string[] | null = null
    let listComplete = true
    if (config.instances.allowlistOnly) {
      listed = [] // allowlist mode: only the hosts the admin named are indexed
    } else if (hosts === null && config.instances.listUrl) {
      try {
        const list = await fetchInstanceList(fetcher, config.instances)
        listed = list.hosts
        listComplete = list.complete
      } catch (err) {
        if (signal.aborted) return finish(db, run.id, summary, 'interrupted')
        summary.listError = `cannot read the instance list ${config.instances.listUrl}: ${(err as Error).message}`
      }
    } else if (hosts === null) {
      listed = [] // no list URL configured: only the hosts the admin named are indexed
    }
    const sync = syncInstances(db, { listed, listComplete, configured: config.instances.hosts, blocked: config.instances.blocked })
    summary.removedInstances = sync.removed
    opts.onProgress?.({ kind: 'list', hosts: listed?.length ?? 0, added: sync.added, removed: sync.removed, error: summary.listError })

    const targets = hosts === null ? allInstances(db) : hosts.flatMap((h) => instanceByHost(db, h) ?? [])
    if (hosts !== null) {
      for (const h of hosts) {
        if (targets.some((t) => t.host === h)) continue
        summary.instances.push(emptyResult(h, 'failed', notIndexedReason(db, config, h)))
        opts.onProgress?.({ kind: 'instance', result: summary.instances.at(-1)! })
      }
    }
    // Never-crawled and stalest instances first, so that a run cut short serves those who waited longest.
    const todo = targets
      .filter((t) => t.lastRunId !== run.id)
      .sort((x, y) => (x.lastSuccessAt ?? 0) - (y.lastSuccessAt ?? 0) || x.host.localeCompare(y.host))
    let next = 0
    const worker = async () => {
      while (next < todo.length && !signal.aborted) {
        const target = todo[next++]!
        opts.onProgress?.({ kind: 'start', host: target.host })
        const result = await crawlInstance({ db, config, fetcher, robots }, target)
        if (result.status !== 'stopped') markInstanceRunDone(db, target.id, run.id)
        summary.instances.push(result)
        opts.onProgress?.({ kind: 'instance', result })
      }
    }
    await Promise.all(Array.from({ length: Math.min(config.crawl.concurrency, todo.length) }, worker))
    return finish(db, run.id, summary, signal.aborted ? 'interrupted' : 'done')
  } finally {
    clearInterval(renew)
    await fetcher.close().catch(() => {})
    releaseLease(db)
  }
}

function finish(db: Db, runId: number, summary: CrawlSummary, status: 'done' | 'interrupted'): CrawlSummary {
  summary.status = status
  const t = summary.totals
  t.instancesRemoved = summary.removedInstances.length
  for (const r of summary.instances) {
    t.instances++
    if (r.status === 'ok') t.ok++
    else if (r.status === 'failed') t.failed++
    else if (r.status === 'refused') t.refused++
    else t.stopped++
    t.videosNew += r.videos.new
    t.videosUpdated += r.videos.updated
    t.videosRemoved += r.videos.removed
    t.channels += r.channels.total
    t.playlists += r.playlists.total
  }
  endRun(db, runId, status, t, summary.listError)
  return summary
}

function emptyTotals(): CrawlTotals {
  return { instances: 0, ok: 0, failed: 0, refused: 0, stopped: 0, videosNew: 0, videosUpdated: 0, videosRemoved: 0, channels: 0, playlists: 0, instancesRemoved: 0 }
}

