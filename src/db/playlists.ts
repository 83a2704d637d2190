import type { Db } from './open.ts'
import type { PlaylistRecord } from '../types.ts'
import { actorColumns } from './json.ts'
import { prepared } from './prepared.ts'

const COLUMNS = `instance_id, uuid, short_uuid, remote_id, url, display_name, description, type_id, videos_length,
  thumbnail_url, embed_url, created_at, updated_at,
  owner_remote_id, owner_name, owner_display_name, owner_host, owner_url, owner_avatars,
  channel_remote_id, channel_name, channel_display_name, channel_host, channel_url, channel_avatars, seen_at`
const NAMES = COLUMNS.split(',').map((c) => c.trim())

/** Statements for writing an instance's playlists; use inside the crawl's write transaction. */
export function playlistWriter(db: Db) {
  const updates = NAMES.filter((c) => c !== 'instance_id' && c !== 'uuid')
    .map((c) => `${c} = excluded.${c}`)
    .join(', ')
  // As for videos, a uuid stays with the instance that first published it.
  const upsert = prepared(
    db,
    `INSERT INTO playlists (${COLUMNS}) VALUES (${NAMES.map(() => '?').join(', ')})
     ON CONFLICT (uuid) DO UPDATE SET ${updates}
     WHERE playlists.instance_id = excluded.instance_id`,
  )
  const exists = prepared(db, 'SELECT 1 FROM playlists WHERE uuid = ?')
  return {
    /** Inserts or refreshes a playlist, marking it seen at `now`; 'conflict' when another instance owns the uuid. */
    upsert(instanceId: number, p: PlaylistRecord, now: number): 'new' | 'known' | 'conflict' {
      const isNew = exists.get(p.uuid) === undefined
      const channel = p.channel ? actorColumns(p.channel) : [null, null, null, null, null, null]
      const res = upsert.run(
        instanceId, p.uuid, p.shortUuid, p.remoteId, p.url, p.displayName, p.description, p.typeId, p.videosLength,
        p.thumbnailUrl, p.embedUrl, p.createdAt, p.updatedAt, ...actorColumns(p.owner), ...channel, now,
      )
      if (res.changes === 0) return 'conflict'
      return isNew ? 'new' : 'known'
    },
  }
}

/** What the index holds for a listed playlist uuid: the instance that owns it and when a pass last saw it. */
export type KnownPlaylist = { instanceId: number; host: string; seenAt: number }

/** The stored state of these playlist uuids (any instance), for one listing page. */
export function playlistsByUuid(db: Db, uuids: readonly string[]): Map<string, KnownPlaylist> {
  const rows = prepared(db,
    `SELECT p.uuid, p.instance_id AS instanceId, i.host, p.seen_at AS seenAt
     FROM playlists p JOIN instances i ON i.id = p.instance_id WHERE p.uuid IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify(uuids)) as (KnownPlaylist & { uuid: string })[]
  return new Map(rows.map(({ uuid, ...known }) => [uuid, known]))
}

/** Counts a known playlist as seen without changing it (it was listed, but unreadable this time). */
export function keepPlaylist(db: Db, instanceId: number, uuid: string, now: number): void {
  prepared(db, 'UPDATE playlists SET seen_at = ? WHERE instance_id = ? AND uuid = ?').run(now, instanceId, uuid)
}
