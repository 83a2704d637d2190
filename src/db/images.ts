// Where the image proxy finds the pictures it may serve: only URLs the index holds, looked up by the id of the
// object they belong to, with the host of the instance that object came from (a picture must live there).
import { parseImages } from './json.ts'
import type { Db } from './open.ts'
import { prepared } from './prepared.ts'
import type { ActorImage } from '../types.ts'

/** The pictures of one video: its thumbnail (or preview) and its channel's avatars. */
export type VideoPictures = { host: string; thumbnailUrl: string | null; previewUrl: string | null; channelAvatars: ActorImage[] }

/** A video's pictures by uuid, or null when the index has no such video. */
export function videoPictures(db: Db, uuid: string): VideoPictures | null {
  const row = prepared(
    db,
    `SELECT i.host, v.thumbnail_url, v.preview_url, v.channel_avatars
     FROM videos v JOIN instances i ON i.id = v.instance_id WHERE v.uuid = ?`,
  ).get(uuid) as { host: string; thumbnail_url: string | null; preview_url: string | null; channel_avatars: string } | undefined
  if (!row) return null
  return { host: row.host, thumbnailUrl: row.thumbnail_url, previewUrl: row.preview_url, channelAvatars: parseImages(row.channel_avatars) }
}

/** A playlist's thumbnail by uuid, or null when the index has no such playlist. */
export function playlistPicture(db: Db, uuid: string): { host: string; thumbnailUrl: string | null } | null {
  const row = prepared(
    db,
    'SELECT i.host, p.thumbnail_url FROM playlists p JOIN instances i ON i.id = p.instance_id WHERE p.uuid = ?',
  ).get(uuid) as { host: string; thumbnail_url: string | null } | undefined
  return row ? { host: row.host, thumbnailUrl: row.thumbnail_url } : null
}

/** A channel's avatars by its handle (name and host), or null when the index has no such channel. */
export function channelAvatars(db: Db, name: string, host: string): { host: string; avatars: ActorImage[] } | null {
  const row = prepared(
    db,
    'SELECT i.host, c.avatars FROM channels c JOIN instances i ON i.id = c.instance_id WHERE c.host = ? AND c.name = ?',
  ).get(host, name) as { host: string; avatars: string } | undefined
  return row ? { host: row.host, avatars: parseImages(row.avatars) } : null
}
