// One turn on one instance: the single unit of work that the scheduler and `sepia crawl` (through runCrawl) both
// run. A listing turn reads robots.txt and /api/v1/config, then starts or continues the instance's listing pass
// (listing.ts), writing each page as it arrives; once the pass is complete, the details phase (details.ts) fetches
// what new or changed videos lack, for as long as the turn's budget lasts. Everything is committed page by page
// and the pass's cursor with it, so a turn that stops (budget, shutdown, crash) loses nothing and the next one
// continues; only a complete pass deletes what it did not see.
import type { Config } from '../config/config.ts'
import type { Db } from '../db/open.ts'
import {
  beginListing, endTurn, failInstanceCrawl, finishPass, indexedCounts, instanceById, refuseInstanceCrawl, savePassCursor, setInstanceInfo,
  type CrawlCost,
} from '../db/instances.ts'
import { CrawlAborted, type Fetcher } from './http.ts'
import { PAGE_SIZE, localDialect, peertubeClient, versionBelow } from './peertube.ts'
import { fetchRobots, robotsRefusal, type RobotsFile } from './robots.ts'
import { listPass, passStart } from './listing.ts'
import { fetchDetails, type DetailsEnd } from './details.ts'
import {
  InstanceGone, StepError, StorageError, emptyResult, isStorageFailure, step, turnBudget, type InstanceCrawlResult, type Turn, type TurnProgress,
} from './turn.ts'

export { emptyResult, StorageError, type InstanceCrawlResult, type TurnProgress } from './turn.ts'

/** What crawlInstance needs: the database, the configuration and the fetcher of the run (or scheduler). */
export type CrawlDeps = { db: Db; config: Config; fetcher: Fetcher }

/** What a turn does. */
export type TurnOptions = {
  /** Start or continue the listing pass (default); false for a turn that only fetches pending details. */
  listing?: boolean
  /** Fetch pending details once the listing pass is complete (default); false for a turn that only lists. */
  details?: boolean
  /** Called between requests: true ends the turn at the next safe point (the scheduler has more urgent work). */
  shouldYield?: () => boolean
  onProgress?: (p: TurnProgress) => void
}

/** Runs one turn on an instance (or records why it could not) and returns what it did. */
export async function crawlInstance(deps: CrawlDeps, instance: { id: number; host: string }, options: TurnOptions = {}): Promise<InstanceCrawlResult> {
  const { db, config, fetcher } = deps
  const started = Date.now()
  const requestsBefore = fetcher.requestCount(instance.host)
  const result = emptyResult(instance.host)
  const row = instanceById(db, instance.id)
  if (!row) return gone(result)
  const client = peertubeClient(fetcher, instance.host)
  const turn: Turn = {
    db,
    config,
    fetcher,
    client,
    inst: { host: instance.host, origin: client.origin },
    instanceId: instance.id,
    version: row.softwareVersion ?? '',
    result,
    budget: turnBudget(config, fetcher, instance.host, started),
    shouldYield: options.shouldYield ?? (() => false),
    progress: (p) => options.onProgress?.({ ...p, host: instance.host, requests: fetcher.requestCount(instance.host) - requestsBefore }),
  }
  const cost = (): CrawlCost => ({
    durationMs: (result.durationMs = Date.now() - started),
    requests: (result.requests = fetcher.requestCount(instance.host) - requestsBefore),
  })
  const intervalMs = config.crawl.intervalMinutes * 60_000
  try {
    let listingDue = false
    if (options.listing ?? true) {
      result.listed = true
      const pass = beginListing(db, instance.id, started)
      // Consent first: nothing but robots.txt is requested from an instance that disallows us.
      const robots = await fetchRobots(fetcher, client.origin)
      refuseIfDisallowed(robots, config, ['/api/v1/config'])
      const server = await step('reading /api/v1/config', () => client.config())
      turn.version = result.version = server.serverVersion.slice(0, 40)
      refuseIfDisallowed(robots, config, crawlPaths(turn.version))
      setInstanceInfo(db, instance.id, {
        name: server.instance?.name?.slice(0, 250) ?? null,
        shortDescription: server.instance?.shortDescription?.slice(0, 1000) ?? null,
        version: turn.version,
      })
      const cursor = pass.cursor ?? passStart()
      if ((await listPass(turn, pass.stamp, cursor)) === 'yielded') {
        db.transaction(() => savePassCursor(db, instance.id, cursor))()
        result.status = 'partial'
        listingDue = true
      } else {
        const removed = finishPass(db, instance.id, pass.stamp, cursor, Date.now() + intervalMs)
        result.videos.removed += removed.videos
        result.channels.removed = removed.channels
        result.playlists.removed = removed.playlists
        result.claimed = claimedOf(cursor.claimed)
      }
    } else {
      result.version = row.softwareVersion
    }
    let details: DetailsEnd | null = null
    // A listing cut short leaves the details for after it; they would only delay the pass.
    if (!listingDue && (options.details ?? true)) details = await fetchDetails(turn)
    result.details.pending = details?.pending ?? row.detailsPending
    const backoffMs = config.crawl.failureBackoffMinutes * 60_000
    endTurn(db, instance.id, {
      cost: cost(),
      listingDue,
      details: details && { error: details.error, nextAt: Date.now() + (details.error ? backoffMs : 0) },
    })
  } catch (err) {
    // Recording the outcome writes too: on a full disk that fails as well, and the turn ends as a storage failure.
    const record = (write: () => void) => {
      try {
        write()
      } catch (writeErr) {
        if (!isStorageFailure(writeErr)) throw writeErr
        storageFailure(db, instance.id, result, writeErr)
      }
    }
    if (err instanceof CrawlAborted) {
      // Not the instance's fault: nothing is recorded against it, and its pass continues where it stopped.
      result.status = 'stopped'
      result.error = 'stopped before the end'
      record(() => endTurn(db, instance.id, { cost: cost(), listingDue: false, details: null }))
    } else if (err instanceof InstanceGone) {
      gone(result)
      cost()
    } else if (err instanceof Refused) {
      result.status = 'refused'
      result.error = err.message
      record(() => refuseInstanceCrawl(db, instance.id, err.message, cost(), Date.now() + intervalMs))
    } else if (isStorageFailure(err)) {
      cost()
      storageFailure(db, instance.id, result, err)
    } else {
      result.status = 'failed'
      // A StepError is the instance's doing; anything else is ours (a bug): say so, briefly.
      result.error = err instanceof StepError ? err.message : `internal error: ${(err as Error).message}`
      const reason = result.error
      record(() => failInstanceCrawl(db, instance.id, reason, cost(), config.crawl.failureBackoffMinutes * 60_000))
    }
  }
  return totals(db, instance.id, result)
}

// What the index holds from the instance now, counted (reading works even when writing does not).
function totals(db: Db, instanceId: number, result: InstanceCrawlResult): InstanceCrawlResult {
  const held = indexedCounts(db, instanceId)
  result.videos.total = held.videos
  result.channels.total = held.channels
  result.playlists.total = held.playlists
  return result
}

// The database could not be written: the turn fails, and so does the run (StorageError carries what was committed).
function storageFailure(db: Db, instanceId: number, result: InstanceCrawlResult, err: unknown): never {
  result.status = 'failed'
  result.error = `the database could not be written: ${(err as Error).message}`
  throw Object.assign(new StorageError(result.error, { cause: err }), { result: totals(db, instanceId, result) })
}

function gone(result: InstanceCrawlResult): InstanceCrawlResult {
  result.status = 'stopped'
  result.error = 'blocked or removed from the index during its crawl'
  return result
}

function claimedOf(claimed: Record<string, number>): InstanceCrawlResult['claimed'] {
  const hosts = Object.entries(claimed).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
  return { count: hosts.reduce((n, [, c]) => n + c, 0), hosts: hosts.map(([h]) => h) }
}

// Its robots.txt disallows a request we need: we do not crawl it.
class Refused extends Error {}

function refuseIfDisallowed(file: RobotsFile, config: Config, paths: readonly string[]): void {
  const refusal = robotsRefusal(file, config.crawl.userAgent, paths)
  if (refusal) throw new Refused(refusal)
}

// The requests a crawl makes, as robots.txt sees them (a uuid stands for every video's details).
function crawlPaths(version: string): string[] {
  const local = localDialect(version) === 'filter' ? 'filter=local' : 'isLocal=true'
  const video = '/api/v1/videos/9c9de5e8-0a1e-484a-b099-e80766180a6d'
  return [
    `/api/v1/videos?${local}&nsfw=both&sort=-publishedAt&start=0&count=${PAGE_SIZE}`,
    video,
    ...(versionBelow(version, 5) ? [`${video}/description`] : []),
    `/api/v1/video-channels?sort=createdAt&start=0&count=${PAGE_SIZE}`,
    `/api/v1/video-playlists?playlistType=1&sort=createdAt&start=0&count=${PAGE_SIZE}`,
  ]
}
