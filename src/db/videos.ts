import type { Db } from './open.ts'
import type { VideoRecord } from '../types.ts'
import { LIST_NAMES, listValues } from './listing-values.ts'
import { prepared } from './prepared.ts'

export { listingHash } from './listing-values.ts'

/** A video's full description and tags, as its details give them. */
export type StoredDetails = { description: string | null; tags: string[] }

/** One listed video to write: its instance, its record, the pass stamp (seen_at), and its details when known. */
export type ListedVideo = { instanceId: number; record: VideoRecord; now: number; details?: StoredDetails | null }

const COLUMNS = [...LIST_NAMES, 'description', 'tags', 'details_updated_at']
const ROW = `(${COLUMNS.map(() => '?').join(', ')})`
// The WHERE keeps a uuid with the instance that first published it: a copy claimed by another host is ignored.
// A known video keeps its description and tags: only its details replace them (setDetails).
const ON_CONFLICT = `ON CONFLICT (uuid) DO UPDATE SET ${LIST_NAMES.filter((c) => c !== 'instance_id' && c !== 'uuid')
  .map((c) => `${c} = excluded.${c}`)
  .join(', ')} WHERE videos.instance_id = excluded.instance_id RETURNING instance_id || ' ' || uuid`
// Rows go in statements of a power of two rows (at most 256: 12,288 parameters), so that a few statement shapes
// serve every batch. Many rows per statement, because FTS5 writes what it holds in memory as a new segment at
// every statement of a transaction that writes its table: one statement per row cost 262 µs a video, 256 rows per
// statement 172 (measured on the bench:crawl ingest's videos, 500 a transaction).
const MAX_ROWS = 256
const upsertSql = (rows: number) => `INSERT INTO videos (${COLUMNS.join(', ')}) VALUES ${Array(rows).fill(ROW).join(', ')} ${ON_CONFLICT}`

/** Statements for writing videos; use inside the crawl's write transaction. */
export function videoWriter(db: Db) {
  const setDetails = prepared(db,
    'UPDATE videos SET description = ?, tags = ?, details_updated_at = ? WHERE uuid = ? AND instance_id = ?',
  )
  const markSeen = prepared(db, 'UPDATE videos SET seen_at = ? WHERE uuid = ? AND instance_id = ?')
  const upsertMany = (videos: readonly ListedVideo[]): boolean[] => {
    // Two instances may list one uuid in the same batch: the first keeps it, so what was written is told apart by
    // instance and uuid.
    const written = new Set<string>()
    for (let at = 0; at < videos.length; ) {
      const n = Math.min(MAX_ROWS, 2 ** Math.floor(Math.log2(videos.length - at)))
      const values: unknown[] = []
      for (const { instanceId, record: r, now, details } of videos.slice(at, at + n)) {
        values.push(...listValues(instanceId, r, now), details?.description ?? r.truncatedDescription, JSON.stringify(details?.tags ?? r.tags), details ? r.updatedAt : null)
      }
      for (const key of prepared(db, upsertSql(n)).pluck().all(values) as string[]) written.add(key)
      at += n
    }
    return videos.map(({ instanceId, record: r, details }) => {
      if (!written.has(`${instanceId} ${r.uuid}`)) return false
      if (details) setDetails.run(details.description, JSON.stringify(details.tags), r.updatedAt, r.uuid, instanceId)
      return true
    })
  }
  return {
    /** Counts a known video as seen without changing it (it was listed, but unreadable this time). */
    keep(instanceId: number, uuid: string, now: number): void {
      markSeen.run(now, uuid, instanceId)
    },
    /**
     * Inserts or refreshes videos from their listings, in the order given (write them in full-text key order),
     * searchable at once; with details (full description and tags), stores those too. Without details, a new video
     * has its listing's truncated description and no tags until the details phase brings them, and a known one
     * keeps what it had. Returns, for each video, whether it was written (not when another instance owns its uuid).
     */
    upsertMany,
    /** upsertMany for one video: false when another instance owns its uuid. */
    upsert(instanceId: number, r: VideoRecord, now: number, details: StoredDetails | null = null): boolean {
      return upsertMany([{ instanceId, record: r, now, details }])[0]!
    },
  }
}

/** What the index holds for a listed uuid: who owns it, its listing date and fingerprint, when a pass last saw it. */
export type KnownVideo = { instanceId: number; host: string; updatedAt: number; listingHash: string | null; seenAt: number }

/** The stored state of these uuids (any instance), for one listing page. */
export function videosByUuid(db: Db, uuids: readonly string[]): Map<string, KnownVideo> {
  const rows = prepared(db,
    `SELECT v.uuid, v.instance_id AS instanceId, i.host, v.updated_at AS updatedAt, v.listing_hash AS listingHash, v.seen_at AS seenAt
     FROM videos v JOIN instances i ON i.id = v.instance_id WHERE v.uuid IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify(uuids)) as (KnownVideo & { uuid: string })[]
  return new Map(rows.map(({ uuid, ...known }) => [uuid, known]))
}

/** A video whose details are to be fetched: the listing updatedAt they will belong to. */
export type PendingDetails = { id: number; uuid: string; updatedAt: number; attempts: number }

/**
 * The next videos of an instance whose details are missing or older than their listing, newest first, those that
 * never failed before those that did; videos whose details failed at or after `failedBefore` are left for later.
 */
export function pendingDetails(db: Db, instanceId: number, limit: number, failedBefore: number): PendingDetails[] {
  return prepared(db,
    `SELECT v.id, v.uuid, v.updated_at AS updatedAt, coalesce(f.attempts, 0) AS attempts
     FROM videos v LEFT JOIN details_failures f ON f.video_id = v.id
     WHERE v.instance_id = ? AND v.details_updated_at IS NOT v.updated_at AND (f.failed_at IS NULL OR f.failed_at < ?)
     ORDER BY coalesce(f.attempts, 0), v.published_at DESC LIMIT ?`,
  ).all(instanceId, failedBefore, limit) as PendingDetails[]
}

/** How many videos of an instance still wait for their details, and how many of those failed before. */
export function detailsBacklog(db: Db, instanceId: number): { pending: number; failing: number } {
  return prepared(db,
    `SELECT count(*) AS pending, count(f.video_id) AS failing
     FROM videos v LEFT JOIN details_failures f ON f.video_id = v.id
     WHERE v.instance_id = ? AND v.details_updated_at IS NOT v.updated_at`,
  ).get(instanceId) as { pending: number; failing: number }
}

/**
 * Stores a video's details for the listing version they were fetched for; a listing that moved on meanwhile
 * leaves them pending. Returns whether the row was updated (the FTS triggers reindex it).
 */
export function storeDetails(db: Db, videoId: number, updatedAt: number, d: StoredDetails): boolean {
  const done = prepared(db, 'UPDATE videos SET description = ?, tags = ?, details_updated_at = ? WHERE id = ? AND updated_at = ?').run(
    d.description,
    JSON.stringify(d.tags),
    updatedAt,
    videoId,
    updatedAt,
  ).changes === 1
  if (done) prepared(db, 'DELETE FROM details_failures WHERE video_id = ?').run(videoId)
  return done
}

/** Records that a video's details could not be fetched (kept with its listing version, tried again later). */
export function detailsFailed(db: Db, videoId: number, error: string, now: number): void {
  prepared(db,
    `INSERT INTO details_failures (video_id, attempts, failed_at, error) VALUES (?, 1, ?, ?)
     ON CONFLICT (video_id) DO UPDATE SET attempts = attempts + 1, failed_at = excluded.failed_at, error = excluded.error`,
  ).run(videoId, now, error.slice(0, 300))
}

/** Deletes one video (its details say it is gone: deleted or made private since it was listed). */
export function deleteVideo(db: Db, videoId: number): boolean {
  return prepared(db, 'DELETE FROM videos WHERE id = ?').run(videoId).changes === 1
}
