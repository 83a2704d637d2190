import type { Db } from './open.ts'
import { allInstances, type Instance } from './instances.ts'
import { nextCrawlAt, recentRuns, type CrawlRun } from './crawl-runs.ts'
import { nextDueAt } from './schedule.ts'
import { prepared } from './prepared.ts'

/** An instance as `sepia stats` shows it: its row, and how many of its pending details failed before. */
export type InstanceStats = Instance & { detailsFailing: number }

/** What `sepia stats` reports. */
export type IndexStats = {
  totals: {
    instances: number
    videos: number
    channels: number
    playlists: number
    failing: number
    neverCrawled: number
    /** Videos listed (and searchable) whose details are still to fetch. */
    detailsPending: number
  }
  lastRun: CrawlRun | null
  /** When the instance list is read next. */
  nextCrawlAt: number | null
  /** When the next instance is due (a listing pass, or a details turn). */
  nextInstanceDueAt: number | null
  instances: InstanceStats[]
}

/** Exact counts per type and the crawl status of every instance. */
export function indexStats(db: Db): IndexStats {
  const count = (table: 'videos' | 'channels' | 'playlists') => (prepared(db, `SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
  const failing = new Map(
    (prepared(db, 'SELECT v.instance_id AS id, count(*) AS n FROM details_failures f JOIN videos v ON v.id = f.video_id GROUP BY v.instance_id').all() as {
      id: number
      n: number
    }[]).map((r) => [r.id, r.n]),
  )
  const instances = allInstances(db).map((i) => ({ ...i, detailsFailing: failing.get(i.id) ?? 0 }))
  return {
    totals: {
      instances: instances.length,
      videos: count('videos'),
      channels: count('channels'),
      playlists: count('playlists'),
      failing: instances.filter((i) => i.lastError !== null).length,
      neverCrawled: instances.filter((i) => i.lastAttemptAt === null).length,
      detailsPending: instances.reduce((n, i) => n + i.detailsPending, 0),
    },
    lastRun: recentRuns(db, 1)[0] ?? null,
    nextCrawlAt: nextCrawlAt(db),
    nextInstanceDueAt: instances.length ? nextDueAt(db, []) : null,
    instances,
  }
}
