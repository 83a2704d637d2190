// Index sizes for the site's footer and /api/v1/config, read from counters kept by triggers (migration 0002).
import type { Db } from '../db/open.ts'
import { prepared } from '../db/prepared.ts'

/** How much is indexed. `instances` counts instances crawled successfully at least once whose robots.txt lets us in. */
export type IndexCounts = { instances: number; videos: number; channels: number; playlists: number }

/** Index sizes without counting rows: a few indexed lookups, cheap enough for every page view. */
export function indexCounts(db: Db): IndexCounts {
  const totals = prepared(db, 'SELECT kind, n FROM search_totals').all() as { kind: string; n: number }[]
  const n = (kind: string) => totals.find((t) => t.kind === kind)?.n ?? 0
  const instances = (prepared(db, 'SELECT count(*) AS n FROM instances WHERE last_success_at IS NOT NULL AND refused IS NULL').get() as { n: number }).n
  return { instances, videos: n('videos'), channels: n('channels'), playlists: n('playlists') }
}
