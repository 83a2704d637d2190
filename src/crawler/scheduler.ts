// The crawl schedule of `sepia serve`. node-cron only says "now is a scheduled time"; whether to crawl is decided
// from the database, so a restart neither loses nor repeats work:
//   * at start, an interrupted run is resumed with the instances it had not finished;
//   * at start, a crawl runs at once if none ever completed (a new index) or if a scheduled one was missed
//     while Sepia was down (the stored next_crawl_at has passed);
//   * one crawl at a time, also across processes (the crawl lease in crawl_state, see runCrawl).
import cron from 'node-cron'
import type { Config } from '../config/config.ts'
import type { Db } from '../db/open.ts'
import { lastCompleteRun, nextCrawlAt, setNextCrawlAt, unfinishedRun } from '../db/crawl-runs.ts'
import { log } from '../log.ts'
import { applyConfiguredMembership, CrawlBusyError, runCrawl, type CrawlSummary } from './run.ts'

/** A running schedule. */
export type Scheduler = {
  /** Stops the schedule; a running crawl stops at its next safe point, and the promise resolves after it. */
  stop(): Promise<void>
  /** Resolves when no crawl started by this scheduler is running (for tests and orderly shutdowns). */
  idle(): Promise<void>
}

/** What the scheduler needs; `onCrawlEnd` hears of every crawl it ran (tests use it instead of sleeping). */
export type SchedulerDeps = { db: Db; config: Config; onCrawlEnd?: (summary: CrawlSummary) => void }

/** Starts crawling on config.crawl.schedule (and right away when the database says a crawl is due). */
export function startScheduler({ db, config, onCrawlEnd }: SchedulerDeps): Scheduler {
  const controller = new AbortController()
  let current: Promise<void> | null = null

  const trigger = (why: 'schedule' | 'startup' | 'resume') => {
    if (current || controller.signal.aborted) {
      if (current) log('info', `scheduled crawl skipped: the previous crawl is still running`)
      return
    }
    log('info', `crawl starting (${why})`)
    const run = async () => {
      let summary: CrawlSummary | null = null
      try {
        summary = await runCrawl({
          db,
          config,
          signal: controller.signal,
          resume: why === 'resume',
          trigger: why,
          onProgress: (p) => {
            // Failures are worth a line each; successes are summed up at the end.
            if (p.kind === 'instance' && p.result.status === 'failed') log('warn', `crawl of ${p.result.host} failed: ${p.result.error}`)
            if (p.kind === 'list' && p.error) log('warn', `${p.error}; keeping the instances known so far`)
          },
        })
        log('info', describe(summary))
      } catch (err) {
        if (err instanceof CrawlBusyError) log('info', `crawl not started: ${err.message}`)
        else log('error', `crawl failed: ${(err as Error).message}`)
      }
      if (!controller.signal.aborted) setNextCrawlAt(db, task.getNextRun()?.getTime() ?? null)
      current = null
      if (summary) onCrawlEnd?.(summary)
    }
    current = run()
  }

  // A host blocked in the configuration loses its content when Sepia starts, not hours later at the next crawl.
  const removed = applyConfiguredMembership(db, config)
  if (removed.length) log('info', `removed from the index per the configuration: ${removed.join(', ')}`)

  const task = cron.schedule(config.crawl.schedule, () => trigger('schedule'), { name: 'sepia-crawl' })

  const due = nextCrawlAt(db)
  if (unfinishedRun(db)) trigger('resume')
  else if (!lastCompleteRun(db) || (due !== null && due <= Date.now())) trigger('startup')
  else setNextCrawlAt(db, task.getNextRun()?.getTime() ?? null)

  return {
    async stop() {
      controller.abort()
      await task.destroy()
      await current
    },
    async idle() {
      await current
    },
  }
}

function describe(s: CrawlSummary): string {
  const t = s.totals
  return (
    `crawl ${s.status}${s.resumed ? ' (resumed)' : ''}: ${t.ok}/${t.instances} instances ok, ${t.failed} failed` +
    `${t.stopped ? `, ${t.stopped} stopped` : ''}; ` +
    `videos +${t.videosNew} new, ${t.videosUpdated} updated, ${t.videosRemoved} removed` +
    (s.listError ? `; ${s.listError}` : '')
  )
}
