// Writes index rows directly, for search tests that need exact control over every field: videos through the
// crawler's own writer (src/db/videos.ts), channels and playlists with plain inserts of the 0001 schema.
import { createHash } from 'node:crypto'
import { openDb, type Db } from '../../src/db/open.ts'
import { migrate } from '../../src/db/migrate.ts'
import { videoWriter } from '../../src/db/videos.ts'
import { shortUuid } from '../../src/short-uuid.ts'
import type { ActorSummary, ChannelRecord, PlaylistRecord, VideoRecord } from '../../src/types.ts'

/** A fresh, migrated in-memory database. */
export function testDb(): Db {
  const db = openDb(':memory:')
  migrate(db)
  return db
}

/** A deterministic uuid v4 made from a name, so tests can refer to objects by name. */
export function uuidOf(name: string): string {
  const h = createHash('sha256').update(name).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`
}

/** The instance row for a host, created on first use. */
export function instanceId(db: Db, host: string): number {
  const found = db.prepare('SELECT id FROM instances WHERE host = ?').get(host) as { id: number } | undefined
  if (found) return found.id
  return Number(db.prepare('INSERT INTO instances (host, in_config, created_at, last_success_at) VALUES (?, 1, 0, 0)').run(host).lastInsertRowid)
}

/** An account or channel summary on a host. */
export function actorOf(host: string, name: string, kind: 'accounts' | 'video-channels' = 'video-channels', displayName = name): ActorSummary {
  return {
    remoteId: 1,
    name,
    displayName,
    host,
    url: `https://${host}/${kind}/${name}`,
    avatars: [{ width: 120, height: 120, path: `/lazy-static/avatars/${name}.png`, fileUrl: `https://${host}/lazy-static/avatars/${name}.png`, createdAt: null, updatedAt: null }],
  }
}

let clock = Date.UTC(2024, 0, 1)

/** Fields a test may set on a video; `host` picks the instance, the rest defaults from the name. */
export type VideoSeed = Partial<VideoRecord> & { name: string; host?: string }

/** Inserts a video (with details) and returns the record written. Each new video is published one hour later. */
export function addVideo(db: Db, seed: VideoSeed): VideoRecord {
  const record = videoRecord(seed)
  videoWriter(db).upsert(instanceId(db, hostOf(seed)), record, Date.now(), { description: record.description, tags: record.tags })
  return record
}

const hostOf = (seed: VideoSeed) => seed.host ?? seed.account?.host ?? 'tube.example.org'

/** The record addVideo would write, not written. Each new record is published one hour after the previous one. */
export function videoRecord(seed: VideoSeed): VideoRecord {
  const host = hostOf(seed)
  const uuid = seed.uuid ?? uuidOf(`${host}/${seed.name}`)
  clock += 3600_000
  const published = seed.publishedAt ?? clock
  const record: VideoRecord = {
    uuid,
    shortUuid: shortUuid(uuid),
    remoteId: 1,
    url: `https://${host}/videos/watch/${uuid}`,
    description: null,
    truncatedDescription: null,
    tags: [],
    category: { id: null, label: null },
    licence: { id: null, label: null },
    language: { id: null, label: null },
    duration: 60,
    isLive: false,
    nsfw: false,
    nsfwFlags: 0,
    nsfwSummary: null,
    aspectRatio: 1.7778,
    views: 0,
    likes: 0,
    dislikes: 0,
    comments: 0,
    viewers: 0,
    thumbnailUrl: `https://${host}/lazy-static/thumbnails/${uuid}.jpg`,
    previewUrl: `https://${host}/lazy-static/previews/${uuid}.jpg`,
    embedUrl: `https://${host}/videos/embed/${shortUuid(uuid)}`,
    createdAt: published - 60_000,
    updatedAt: published,
    publishedAt: published,
    originallyPublishedAt: null,
    account: actorOf(host, 'alice', 'accounts', 'Alice'),
    channel: actorOf(host, 'alice_channel', 'video-channels', 'Alice channel'),
    ...seed,
  }
  record.shortUuid = seed.shortUuid ?? shortUuid(record.uuid)
  if (seed.description !== undefined && seed.truncatedDescription === undefined) {
    record.truncatedDescription = seed.description && seed.description.length > 250 ? seed.description.slice(0, 247) + '...' : seed.description
  }
  return record
}

/** Inserts a channel; `host` defaults to tube.example.org. */
export function addChannel(db: Db, seed: Partial<ChannelRecord> & { name: string }): ChannelRecord {
  const host = seed.host ?? 'tube.example.org'
  clock += 3600_000
  const record: ChannelRecord = {
    remoteId: 1,
    host,
    url: `https://${host}/video-channels/${seed.name}`,
    displayName: seed.name,
    description: null,
    support: null,
    avatars: actorOf(host, seed.name).avatars,
    banners: [],
    followersCount: 0,
    followingCount: 0,
    createdAt: clock,
    updatedAt: clock,
    owner: actorOf(host, 'alice', 'accounts', 'Alice'),
    ...seed,
  }
  db.prepare(
    `INSERT INTO channels (instance_id, remote_id, name, host, url, display_name, description, support, avatars, banners,
       followers_count, following_count, created_at, updated_at, owner_remote_id, owner_name, owner_display_name,
       owner_host, owner_url, owner_avatars, seen_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    instanceId(db, host), record.remoteId, record.name, record.host, record.url, record.displayName, record.description,
    record.support, JSON.stringify(record.avatars), JSON.stringify(record.banners), record.followersCount,
    record.followingCount, record.createdAt, record.updatedAt, record.owner.remoteId, record.owner.name,
    record.owner.displayName, record.owner.host, record.owner.url, JSON.stringify(record.owner.avatars), Date.now(),
  )
  return record
}

/** Inserts a playlist; `host` defaults to tube.example.org. */
export function addPlaylist(db: Db, seed: Partial<PlaylistRecord> & { displayName: string; host?: string }): PlaylistRecord {
  const host = seed.host ?? seed.owner?.host ?? 'tube.example.org'
  const uuid = seed.uuid ?? uuidOf(`playlist ${host}/${seed.displayName}`)
  clock += 3600_000
  const record: PlaylistRecord = {
    uuid,
    shortUuid: shortUuid(uuid),
    remoteId: 1,
    url: `https://${host}/w/p/${shortUuid(uuid)}`,
    description: null,
    typeId: 1,
    videosLength: 1,
    thumbnailUrl: `https://${host}/lazy-static/thumbnails/playlist-${uuid}.jpg`,
    embedUrl: `https://${host}/video-playlists/embed/${shortUuid(uuid)}`,
    createdAt: clock,
    updatedAt: clock,
    owner: actorOf(host, 'alice', 'accounts', 'Alice'),
    channel: actorOf(host, 'alice_channel', 'video-channels', 'Alice channel'),
    ...seed,
  }
  const ch = record.channel
  db.prepare(
    `INSERT INTO playlists (instance_id, uuid, short_uuid, remote_id, url, display_name, description, type_id,
       videos_length, thumbnail_url, embed_url, created_at, updated_at, owner_remote_id, owner_name, owner_display_name,
       owner_host, owner_url, owner_avatars, channel_remote_id, channel_name, channel_display_name, channel_host,
       channel_url, channel_avatars, seen_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    instanceId(db, host), record.uuid, record.shortUuid, record.remoteId, record.url, record.displayName,
    record.description, record.typeId, record.videosLength, record.thumbnailUrl, record.embedUrl, record.createdAt,
    record.updatedAt, record.owner.remoteId, record.owner.name, record.owner.displayName, record.owner.host,
    record.owner.url, JSON.stringify(record.owner.avatars), ch?.remoteId ?? null, ch?.name ?? null,
    ch?.displayName ?? null, ch?.host ?? null, ch?.url ?? null, ch ? JSON.stringify(ch.avatars) : null, Date.now(),
  )
  return record
}

/** The whole content of an FTS index: every term, row, column and position (for comparing two builds). */
export function ftsContent(db: Db, fts: string): string {
  db.exec(`DROP TABLE IF EXISTS temp.dump; CREATE VIRTUAL TABLE temp.dump USING fts5vocab(main, ${fts}, instance)`)
  const rows = db.prepare('SELECT term, doc, col, offset FROM temp.dump ORDER BY term, doc, col, offset').all()
  db.exec('DROP TABLE temp.dump')
  return JSON.stringify(rows)
}
