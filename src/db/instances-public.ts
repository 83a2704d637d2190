// What the public site may show about the indexed instances: enough for anyone to audit what is indexed and how
// fresh it is. Error texts stay out: they are for the admin's `sepia` commands, not for visitors.
import type { Db } from './open.ts'

/** How an instance's crawling goes, as the about page says it. */
export type InstanceStatus = 'ok' | 'failing' | 'pending'

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
}

/** Prepared queries for the public pages; prepare once per database, call per request. */
export function publicInstanceQueries(db: Db) {
  const all = db.prepare(
    `SELECT host, name, videos_count, channels_count, playlists_count, last_success_at, last_attempt_at, error_count
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
        status: r.error_count > 0 ? 'failing' : r.last_success_at === null ? 'pending' : 'ok',
      }))
    },
  }
}
