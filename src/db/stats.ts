import type { Db } from './open.ts'
import { allInstances, type Instance } from './instances.ts'
import { nextCrawlAt, recentRuns, type CrawlRun } from './crawl-runs.ts'
import { prepared } from './prepared.ts'

/** What `sepia stats` reports. */
export type IndexStats = {
  totals: { instances: number; videos: number; channels: number; playlists: number; failing: number; neverCrawled: number }
  lastRun: CrawlRun | null
  nextCrawlAt: number | null
  instances: Instance[]
}

/** Exact counts per type and the crawl status of every instance. */
export function indexStats(db: Db): IndexStats {
  const count = (table: 'videos' | 'channels' | 'playlists') => (prepared(db, `SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
  const instances = allInstances(db)
  return {
    totals: {
      instances: instances.length,
      videos: count('videos'),
      channels: count('channels'),
      playlists: count('playlists'),
      failing: instances.filter((i) => i.lastError !== null).length,
      neverCrawled: instances.filter((i) => i.lastAttemptAt === null).length,
    },
    lastRun: recentRuns(db, 1)[0] ?? null,
    nextCrawlAt: nextCrawlAt(db),
    instances,
  }
}
