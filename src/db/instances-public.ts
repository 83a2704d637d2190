// What the public site may show about the indexed instances: enough for anyone to audit what is indexed and how
// fresh it is. Error texts and robots.txt refusal reasons stay out: they are for the admin's `sepia` commands, not
// for visitors (the page says what a refusal means in a fixed sentence).
import type { Db } from './open.ts'

/** How an instance's crawling goes, as the about page says it; 'refused' when its robots.txt turns us away. */
export type InstanceStatus = 'ok' | 'failing' | 'pending' | 'refused'

/** One indexed instance as the public sees it. */
export type PublicInstance = {
  host: string
  name: string | null
  videosCount: number
  channelsCount: number
  playlistsCount: number
  lastSuccessAt: number | null
  lastAttemptAt: number | null
  errorCount: number
  status: InstanceStatus
}

type Row = {
  host: string
  name: string | null
  videos_count: number
  channels_count: number
  playlists_count: number
  last_success_at: number | null
  last_attempt_at: number | null
  error_count: number
  refused: 0 | 1
}

/** Prepared queries for the public pages; prepare once per database, call per request. */
export function publicInstanceQueries(db: Db) {
  const all = db.prepare(
    `SELECT host, name, videos_count, channels_count, playlists_count, last_success_at, last_attempt_at, error_count,
       refused IS NOT NULL AS refused
     FROM instances ORDER BY host`,
  )
  return {
    /** Every instance in the index, by host. */
    instances(): PublicInstance[] {
      return (all.all() as Row[]).map((r) => ({
        host: r.host,
        name: r.name,
        videosCount: r.videos_count,
        channelsCount: r.channels_count,
        playlistsCount: r.playlists_count,
        lastSuccessAt: r.last_success_at,
        lastAttemptAt: r.last_attempt_at,
        errorCount: r.error_count,
        // A refused instance keeps the date of its last successful visit, yet its content is gone: it is not 'ok'.
        status: r.refused ? 'refused' : r.error_count > 0 ? 'failing' : r.last_success_at === null ? 'pending' : 'ok',
      }))
    },
  }
}
