// The columns a video's listing writes and the listing fingerprint (listing_hash) computed from them: what the
// writer (videos.ts) stores and what the page decoder's thread computes ahead (src/crawler/page-decoder.ts), so this
// file opens no database.
import { hash } from 'node:crypto'
import type { VideoRecord } from '../types.ts'
import { actorColumns } from './json.ts'

const LIST_COLUMNS = `instance_id, uuid, short_uuid, remote_id, url, name, truncated_description,
  category_id, category_label, licence_id, licence_label, language_id, language_label, duration, is_live, nsfw,
  nsfw_flags, nsfw_summary, aspect_ratio, views, likes, dislikes, comments, viewers, thumbnail_url, preview_url,
  embed_url, created_at, updated_at, published_at, originally_published_at,
  account_remote_id, account_name, account_display_name, account_host, account_url, account_avatars,
  channel_remote_id, channel_name, channel_display_name, channel_host, channel_url, channel_avatars, listing_hash, seen_at`
/** The columns a listing writes, in the order of listValues(). */
export const LIST_NAMES = LIST_COLUMNS.split(',').map((c) => c.trim())

// Each record is hashed once, whether the listing loop compares it or the writer stores it, or the page decoder's
// thread did (rememberListingHash).
const hashes = new WeakMap<VideoRecord, string>()

/** The values of LIST_NAMES for one listed video. */
export function listValues(instanceId: number, r: VideoRecord, now: number): unknown[] {
  const values = [
    instanceId, r.uuid, r.shortUuid, r.remoteId, r.url, r.name, r.truncatedDescription,
    r.category.id, r.category.label, r.licence.id, r.licence.label, r.language.id, r.language.label,
    r.duration, r.isLive ? 1 : 0, r.nsfw ? 1 : 0, r.nsfwFlags, r.nsfwSummary, r.aspectRatio,
    r.views, r.likes, r.dislikes, r.comments, r.viewers, r.thumbnailUrl, r.previewUrl, r.embedUrl,
    r.createdAt, r.updatedAt, r.publishedAt, r.originallyPublishedAt,
    ...actorColumns(r.account), ...actorColumns(r.channel),
  ]
  let fingerprint = hashes.get(r)
  if (fingerprint === undefined) hashes.set(r, (fingerprint = hashValues(values)))
  return [...values, fingerprint, now]
}

// The one-shot hash: half the cost of createHash for a string this short, and the same digest.
function hashValues(values: unknown[]): string {
  return hash('sha1', JSON.stringify(values), 'base64url').slice(0, 16)
}

/** The fingerprint of what a listing says about a video (listing_hash): equal when nothing stored would change. */
export function listingHash(instanceId: number, r: VideoRecord): string {
  return hashes.get(r) ?? (listValues(instanceId, r, 0).at(-2) as string)
}

/** Takes a record's fingerprint as computed elsewhere (on the page decoder's thread, for a copy of the record). */
export function rememberListingHash(r: VideoRecord, hash: string): void {
  hashes.set(r, hash)
}
