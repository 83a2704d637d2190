// Where a page's pictures load from. Proxied, each picture is addressed by the id of the object it belongs to
// (never by a URL), plus a short version derived from the URL the index holds, so that a new thumbnail gets a new
// address and browsers may keep each one for a year. Direct, pages link the instances' own files.
import { createHash } from 'node:crypto'
import type { ImageLinks } from '../../views/context.ts'
import { safeUrl } from '../../views/html.ts'

/** An avatar as the index keeps it: its width and absolute URL. */
export type AvatarSource = { width: number; fileUrl: string }

/** The smallest avatar at least `size` pixels wide (else the largest), with an http(s) URL; null when none. */
export function pickAvatar(avatars: readonly AvatarSource[], size: number): string | null {
  const usable = avatars
    .filter((a) => typeof a?.width === 'number' && safeUrl(a.fileUrl) !== null)
    .sort((a, b) => a.width - b.width)
  const picked = usable.find((a) => a.width >= size) ?? usable.at(-1)
  return picked ? safeUrl(picked.fileUrl) : null
}

/** The version part of a proxied address: a digest of the source URL. */
export function imageVersion(sourceUrl: string): string {
  return createHash('sha256').update(sourceUrl).digest('hex').slice(0, 12)
}

/** Avatar sizes a page may ask for: enough for every layout, few enough that addresses stay few. */
export const AVATAR_SIZES: readonly number[] = [24, 32, 48, 64, 96, 120]

/** The image addresses of one site: through this site's /images/ when `proxied`, else straight to the instances. */
export function imageLinks(proxied: boolean): ImageLinks {
  const via = (path: string, source: string | null) => (source === null ? null : proxied ? `/images/${path}?v=${imageVersion(source)}` : source)
  return {
    proxied,
    videoThumbnail: (v) => via(`videos/${v.uuid}`, safeUrl(v.thumbnailUrl) ?? safeUrl(v.previewUrl)),
    playlistThumbnail: (p) => via(`playlists/${p.uuid}`, safeUrl(p.thumbnailUrl)),
    videoChannelAvatar: (v, size) => via(`videos/${v.uuid}/avatar/${size}`, pickAvatar(v.channel.avatars, size)),
    channelAvatar: (c, size) => via(`channels/${encodeURIComponent(`${c.name}@${c.host}`)}/avatar/${size}`, pickAvatar(c.avatars, size)),
  }
}
