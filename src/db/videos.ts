import type { Db } from './open.ts'
import type { VideoRecord } from '../types.ts'
import { actorColumns } from './json.ts'
import { prepared } from './prepared.ts'

const LIST_COLUMNS = `instance_id, uuid, short_uuid, remote_id, url, name, truncated_description,
  category_id, category_label, licence_id, licence_label, language_id, language_label, duration, is_live, nsfw,
  nsfw_flags, nsfw_summary, aspect_ratio, views, likes, dislikes, comments, viewers, thumbnail_url, preview_url,
  embed_url, created_at, updated_at, published_at, originally_published_at,
  account_remote_id, account_name, account_display_name, account_host, account_url, account_avatars,
  channel_remote_id, channel_name, channel_display_name, channel_host, channel_url, channel_avatars, seen_at`
const LIST_NAMES = LIST_COLUMNS.split(',').map((c) => c.trim())

function listValues(instanceId: number, r: VideoRecord, now: number): unknown[] {
  return [
    instanceId, r.uuid, r.shortUuid, r.remoteId, r.url, r.name, r.truncatedDescription,
    r.category.id, r.category.label, r.licence.id, r.licence.label, r.language.id, r.language.label,
    r.duration, r.isLive ? 1 : 0, r.nsfw ? 1 : 0, r.nsfwFlags, r.nsfwSummary, r.aspectRatio,
    r.views, r.likes, r.dislikes, r.comments, r.viewers, r.thumbnailUrl, r.previewUrl, r.embedUrl,
    r.createdAt, r.updatedAt, r.publishedAt, r.originallyPublishedAt,
    ...actorColumns(r.account), ...actorColumns(r.channel), now,
  ]
}

/** Statements for writing an instance's videos; use inside the crawl's write transaction. */
export function videoWriter(db: Db) {
  const placeholders = LIST_NAMES.map(() => '?').join(', ')
  const updates = LIST_NAMES.filter((c) => c !== 'instance_id' && c !== 'uuid')
    .map((c) => `${c} = excluded.${c}`)
    .join(', ')
  // The WHERE keeps a uuid with the instance that first published it: a copy claimed by another host is ignored.
  const upsertListed = prepared(db,
    `INSERT INTO videos (${LIST_COLUMNS}, description, tags, details_updated_at) VALUES (${placeholders}, ?, ?, ?)
     ON CONFLICT (uuid) DO UPDATE SET ${updates}
     WHERE videos.instance_id = excluded.instance_id`,
  )
  const setDetails = prepared(db,
    'UPDATE videos SET description = ?, tags = ?, details_updated_at = ? WHERE uuid = ? AND instance_id = ?',
  )
  const markSeen = prepared(db, 'UPDATE videos SET seen_at = ? WHERE uuid = ? AND instance_id = ?')
  return {
    /** Counts a known video as seen without changing it (it was listed, but unreadable this time). */
    keep(instanceId: number, uuid: string, now: number): void {
      markSeen.run(now, uuid, instanceId)
    },
    /**
     * Inserts or refreshes a video from its listing; with details (full description and tags), stores those too.
     * Without details, a known video keeps the description and tags it had.
     */
    upsert(instanceId: number, r: VideoRecord, now: number, details: { description: string | null; tags: string[] } | null): boolean {
      const res = upsertListed.run(
        ...listValues(instanceId, r, now),
        details?.description ?? r.truncatedDescription,
        JSON.stringify(details?.tags ?? r.tags),
        details ? r.updatedAt : null,
      )
      if (res.changes === 0) return false
      if (details) setDetails.run(details.description, JSON.stringify(details.tags), r.updatedAt, r.uuid, instanceId)
      return true
    },
  }
}

/** For each video of an instance, the listing updatedAt its stored details belong to (null: never fetched). */
export function videoDetailsState(db: Db, instanceId: number): Map<string, number | null> {
  const rows = prepared(db, 'SELECT uuid, details_updated_at AS d FROM videos WHERE instance_id = ?').all(instanceId) as { uuid: string; d: number | null }[]
  return new Map(rows.map((r) => [r.uuid, r.d]))
}
