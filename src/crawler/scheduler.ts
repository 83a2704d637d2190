// The crawl scheduler of `sepia serve`: a ticker in the spirit of miniflux's next_check_at. Each instance carries its
// own clock in the database (next listing pass, details backlog, backoff after failures); each tick starts a turn
// on whatever is due, up to crawl.concurrency at once, and sleeps until the next thing is due. A slow or endless
// instance only delays itself: its turns end when their budget is spent and it queues again behind the others.
//   * Listing passes go first: an instance waiting for its listing gets a free slot before a details backlog, and a
//     turn busy with details yields at its next safe point when listings wait for a slot.
//   * Details backlogs take budgeted turns in order, so small instances are not starved by large ones; one slot in
//     sixteen goes to the largest backlogs, so that the largest instances finish at their own pace.
//   * The instance list is read again on crawl.schedule (cron), and at once when that time passed while Sepia was
//     down, or on a new index.
//   * One crawler at a time, across processes too (the crawl lease, held while turns run and released when idle).
//   * Runs (crawl_runs) record periods of work, from a busy start to idle (or to the next list read); a run left
//     unfinished by a crash is continued after a restart.
import cron from 'node-cron'
import type { Config } from '../config/config.ts'
import type { Db } from '../db/open.ts'
import { createRun, nextCrawlAt, setNextCrawlAt, unfinishedRun, type RunEnd } from '../db/crawl-runs.ts'
import { dueForDetails, dueForListing, nextDueAt } from '../db/schedule.ts'
import { log } from '../log.ts'
import { CrawlAborted, createFetcher } from './http.ts'
import { crawlInstance, StorageError, type InstanceCrawlResult } from './crawl.ts'
import { CrawlBusyError, finishRun, holdLease, mergeTurn, newSummary, refreshInstances, type CrawlSummary } from './run.ts'
import { isStorageFailure } from './turn.ts'
import { mergeIndexes } from '../search/reindex.ts'

/** A running schedule. */
export type Scheduler = {
  /** Stops the schedule; running turns stop at their next safe point, and the promise resolves after them. */
  stop(): Promise<void>
  /** Resolves once nothing is running and nothing is due (for tests and orderly shutdowns). */
  idle(): Promise<void>
}

/** What the scheduler needs; `onCrawlEnd` hears of every run it ends, `onTurn` of every turn (tests use them instead of sleeping). */
export type SchedulerDeps = {
  db: Db
  config: Config
  onCrawlEnd?: (summary: CrawlSummary) => void
  onTurn?: (result: InstanceCrawlResult) => void
}

// The longest the ticker sleeps without looking (a crawl started by hand next to it may have changed things), how
// long it waits for a lease held by another process, and how long it pauses after the database could not be written.
const MAX_SLEEP_MS = 60_000
const LEASE_RETRY_MS = 30_000
const STORAGE_PAUSE_MS = 10 * 60_000
// One slot in this many keeps the largest details backlogs going: without it they would take turns with every other
// backlog and finish hours after their own pace allows (bench/crawl-model.ts: 7.7 h instead of 5.4 h for the real
// federation at 64 slots, for the same time to the median instance's details).
const LARGEST_SHARE = 16
// Each write leaves a small full-text segment, and a search pays a lookup per segment for each of its words (30 µs
// a word over 10 segments against 11 µs over one, at 1 M videos). FTS5's own automerge keeps them to a few per
// level; when a run ends (every list refresh, and whenever the crawl goes idle) the scheduler merges them into one,
// a bounded step at a time (MERGE_PAGES leaf pages, about a tenth of a second) between its turns: a full merge
// rewrites the index (half a minute of work at 1 M videos), which is why it follows runs and not every page.
const MERGE_PAGES = 2000
const MERGE_STEP_MS = 1000

/** How many of crawl.concurrency slots go to the largest details backlogs. */
export function largestDetailsSlots(concurrency: number): number {
  return Math.max(1, Math.ceil(concurrency / LARGEST_SHARE))
}

/** Starts crawling: each instance when it is due, the instance list on config.crawl.schedule. */
export function startScheduler({ db, config, onCrawlEnd, onTurn }: SchedulerDeps): Scheduler {
  const controller = new AbortController()
  const fetcher = createFetcher(config.crawl, controller.signal)
  const active = new Map<number, Promise<void>>()
  // Details turns started for the largest backlogs, out of largestSlots.
  const largestTurns = new Set<number>()
  const largestSlots = largestDetailsSlots(config.crawl.concurrency)
  let refreshing: Promise<void> | null = null
  let lease: (() => void) | null = null
  let run: { summary: CrawlSummary; byHost: Map<string, number>; failed: boolean } | null = null
  let timer: NodeJS.Timeout | null = null
  let pausedUntil = 0
  let leaseLogged = false
  let firstRun = true
  let idleWaiters: (() => void)[] = []
  let waitingCheck = { at: 0, waiting: false }
  // Whether a run ended since the last full merge of the indexes.
  let mergeDue = false

  // Takes the lease (unless held) and opens a run (unless open); false when another process crawls.
  const openRun = (why: 'schedule' | 'startup'): boolean => {
    if (!lease) {
      try {
        lease = holdLease(db)
      } catch (err) {
        if (!(err instanceof CrawlBusyError)) throw err
        if (!leaseLogged) log('info', `crawl not started: ${err.message}`)
        leaseLogged = true
        return false
      }
      leaseLogged = false
    }
    if (run) return true
    // A run a crash left unfinished is continued: its instances that were not done are still due.
    const unfinished = firstRun ? unfinishedRun(db) : undefined
    const runId = unfinished?.id ?? createRun(db, firstRun ? 'startup' : why, null).id
    run = { summary: newSummary(runId, unfinished !== undefined), byHost: new Map(), failed: false }
    log('info', `crawl starting (${unfinished ? 'resume' : firstRun ? 'startup' : why})`)
    firstRun = false
    return true
  }

  // Ends the run; the lease goes too unless turns still run (a new list opens the next run under the same lease).
  const closeRun = (status: RunEnd) => {
    if (run) {
      const { summary, failed } = run
      run = null
      mergeDue = true
      finishRun(db, summary, failed ? 'failed' : status)
      log(summary.status === 'failed' ? 'error' : 'info', describe(summary))
      onCrawlEnd?.(summary)
    }
    if (lease && active.size === 0 && !refreshing) {
      lease()
      lease = null
    }
  }

  // Nothing runs: the run ends, the lease is given back, and whoever waits for idleness hears of it.
  const settle = () => {
    if (active.size > 0 || refreshing) return
    closeRun(Date.now() < pausedUntil ? 'failed' : 'done')
    const waiters = idleWaiters
    idleWaiters = []
    for (const resolve of waiters) resolve()
  }

  const listDue = (now: number) => {
    const at = nextCrawlAt(db)
    return at === null || at <= now
  }

  const refresh = async () => {
    try {
      const list = await refreshInstances(db, config, fetcher, controller.signal)
      if (run) {
        run.summary.listError = list.error
        run.summary.removedInstances.push(...list.removed)
      }
      if (list.error) log('warn', `${list.error}; keeping the instances known so far`)
      if (list.removed.length) log('info', `removed from the index: ${list.removed.join(', ')}`)
    } catch (err) {
      if (err instanceof CrawlAborted) return
      storageTrouble(err)
    }
    if (!controller.signal.aborted) setNextCrawlAt(db, task.getNextRun()?.getTime() ?? null)
  }

  // The database cannot be written: this run failed, and nothing starts for a while (the disk may be freed).
  const storageTrouble = (err: unknown) => {
    if (!isStorageFailure(err)) {
      log('error', `crawl failed: ${(err as Error).message}`)
      return
    }
    pausedUntil = Date.now() + STORAGE_PAUSE_MS
    const message = err instanceof StorageError ? err.message : `the database could not be written: ${(err as Error).message}`
    if (run) {
      run.failed = true
      run.summary.error ??= message
    }
    log('error', `${message}: crawling paused for ${STORAGE_PAUSE_MS / 60_000} minutes`)
  }

  // Whether an instance waits for its listing pass with no slot free: turns then yield at their next safe point.
  const listingWaits = () => {
    if (active.size < config.crawl.concurrency) return false
    const now = Date.now()
    if (now - waitingCheck.at > 1000) waitingCheck = { at: now, waiting: dueForListing(db, now, 1, [...active.keys()]).length > 0 }
    return waitingCheck.waiting
  }

  const startTurn = (instance: { id: number; host: string }, listing: boolean, forLargest = false) => {
    if (forLargest) largestTurns.add(instance.id)
    const turn = crawlInstance({ db, config, fetcher }, instance, { listing, shouldYield: listingWaits })
      .then((result) => record(result))
      .catch((err: unknown) => {
        if (err instanceof StorageError && err.result) record(err.result)
        storageTrouble(err)
      })
      .finally(() => {
        active.delete(instance.id)
        largestTurns.delete(instance.id)
        if (!controller.signal.aborted) wake()
      })
    active.set(instance.id, turn)
  }

  const record = (result: InstanceCrawlResult) => {
    if (result.status === 'failed') log('warn', `crawl of ${result.host} failed: ${result.error}`)
    onTurn?.(result)
    if (!run) return
    const at = run.byHost.get(result.host)
    if (at === undefined) {
      run.byHost.set(result.host, run.summary.instances.length)
      run.summary.instances.push(result)
    } else {
      run.summary.instances[at] = mergeTurn(run.summary.instances[at]!, result)
    }
  }

  function wake(): void {
    if (timer) clearTimeout(timer)
    timer = null
    if (controller.signal.aborted || refreshing) return
    const now = Date.now()
    if (now < pausedUntil) {
      settle()
      return arm(pausedUntil)
    }
    if (listDue(now)) {
      // A new list opens a new run: the one before ends here (its turns in flight count in the next one).
      closeRun('done')
      if (!openRun('schedule')) return arm(now + LEASE_RETRY_MS)
      refreshing = refresh().finally(() => {
        refreshing = null
        wake()
      })
      return
    }
    const free = config.crawl.concurrency - active.size
    const listings = dueForListing(db, now, free, [...active.keys()])
    const taken = [...active.keys(), ...listings.map((i) => i.id)]
    // A few slots keep the largest details backlogs going at their own pace; the others take turns in order.
    const largest = dueForDetails(db, now, Math.min(free - listings.length, largestSlots - largestTurns.size), taken, 'largest')
    const details = dueForDetails(db, now, free - listings.length - largest.length, [...taken, ...largest.map((i) => i.id)])
    if (listings.length + largest.length + details.length > 0) {
      if (!openRun('schedule')) return arm(now + LEASE_RETRY_MS)
      for (const i of listings) startTurn(i, true)
      for (const i of largest) startTurn(i, false, true)
      for (const i of details) startTurn(i, false)
    }
    settle()
    const merging = mergeStep(now)
    arm(Math.min(nextDueAt(db, [...active.keys()]) ?? Infinity, nextCrawlAt(db) ?? Infinity, merging ? now + MERGE_STEP_MS : Infinity))
  }

  // One bounded step of the merge of the full-text indexes after a run; true while there is more to do.
  function mergeStep(now: number): boolean {
    if (!mergeDue || now < pausedUntil) return false
    try {
      if (mergeIndexes(db, MERGE_PAGES)) return true
      mergeDue = false
    } catch (err) {
      storageTrouble(err)
    }
    return false
  }

  function arm(at: number): void {
    if (controller.signal.aborted) return
    const delay = Math.min(Math.max(0, at - Date.now()), MAX_SLEEP_MS)
    timer = setTimeout(wake, Number.isFinite(delay) ? delay : MAX_SLEEP_MS)
  }

  // node-cron only says "now is a scheduled time"; the stored next_crawl_at decides, so a restart neither loses nor
  // repeats a list read.
  const task = cron.schedule(config.crawl.schedule, () => wake(), { name: 'sepia-list' })
  wake()

  return {
    async stop() {
      controller.abort()
      if (timer) clearTimeout(timer)
      await task.destroy()
      await refreshing
      await Promise.allSettled([...active.values()])
      closeRun('interrupted')
      await fetcher.close().catch(() => {})
      for (const resolve of idleWaiters) resolve()
      idleWaiters = []
    },
    idle() {
      if (controller.signal.aborted || (!refreshing && active.size === 0 && !dueNow())) return Promise.resolve()
      return new Promise<void>((resolve) => idleWaiters.push(resolve))
    },
  }

  function dueNow(): boolean {
    const now = Date.now()
    if (now < pausedUntil) return false
    return listDue(now) || dueForListing(db, now, 1, []).length > 0 || dueForDetails(db, now, 1, []).length > 0
  }
}

function describe(s: CrawlSummary): string {
  const t = s.totals
  return (
    `crawl ${s.status}${s.resumed ? ' (resumed)' : ''}: ${t.ok}/${t.instances} instances ok, ${t.failed} failed` +
    `${t.partial ? `, ${t.partial} to be continued` : ''}${t.stopped ? `, ${t.stopped} stopped` : ''}; ` +
    `videos +${t.videosNew} new, ${t.videosUpdated} updated, ${t.videosRemoved} removed; ` +
    `details ${t.detailsFetched} fetched, ${t.detailsPending} pending` +
    (s.listError ? `; ${s.listError}` : '') +
    (s.error ? `; ${s.error}` : '')
  )
}
