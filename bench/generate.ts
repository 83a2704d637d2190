// Builds a synthetic federation-scale index for the search benchmark: instances, channels, playlists and videos
// with realistic-looking text (a Zipf-distributed vocabulary with common words, accents and a long tail),
// languages, categories, dates, durations and view counts. Videos go through the crawler's own writer
// (src/db/videos.ts), so the triggers and indexes of the real schema do the indexing.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { openDb, type Db } from '../src/db/open.ts'
import { migrate, readMigrations } from '../src/db/migrate.ts'
import { videoWriter } from '../src/db/videos.ts'
import { videoRank } from '../src/search/rank.ts'
import { INDEX_VERSION, mergeIndexes } from '../src/search/reindex.ts'
import { shortUuid } from '../src/short-uuid.ts'
import type { ActorSummary, VideoRecord } from '../src/types.ts'
import { seededRandom } from '../test/fake/random.ts'

/** Bump when the generated data changes, so cached databases are rebuilt. */
export const GENERATOR_VERSION = 4

/** A deterministic pseudo-random generator, so every build of a given size is the same index. */
export const rng = seededRandom

// The head of the vocabulary: frequent words of the languages PeerTube hosts most, plus topical words.
const COMMON = `the de la video le and of to a in et les des en for is on with live music game tutorial
  un une du die der und das music episode part how news linux free open source peertube blender gaming podcast
  música vidéo musique film concert interview talk conference live stream review guide français english deutsch
  stream radio show art dessin animation documentary 2023 2024 2022 2021 2020 1 2 3 4 5 new best first my our
  your this that what why when été café école société économie réunion über für straße niño señor año canción
  mañana noticias política science technology education climate history nature cooking recipe travel story
  minecraft linux kernel debian ubuntu fedora arch nixos python rust javascript programming developer code
  piano guitar drums jazz rock metal punk electronic techno ambient chill lofi beats remix cover acoustic
  kde gnome framasoft fediverse mastodon activitypub federation decentralized privacy security hacking`
  .split(/\s+/)
  .filter((w) => w !== '')

const SYLLABLES = `ka ri to na me lo su vi ne ta po ra de mi ko an el or un is at en li mo ba zu fe gi ho ja ku
  ly mu ny pe qu sa te wi xo yo ze bra tri spo kle dro flu gra pri sto vre ch sh th ph ou ai ei au ié é è à ü ö ñ`
  .split(/\s+/)
  .filter((w) => w !== '')

/** A vocabulary of `size` words, most frequent first. */
function vocabulary(size: number, random: () => number): string[] {
  const words = new Set(COMMON)
  while (words.size < size) {
    const n = 2 + Math.floor(random() * 3)
    let w = ''
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(random() * SYLLABLES.length)]
    words.add(w)
  }
  return [...words]
}

/** Samples indexes 0..n-1 with probability proportional to 1/(i+1)^s. */
function zipf(n: number, s: number, random: () => number): () => number {
  const cdf = new Float64Array(n)
  let sum = 0
  for (let i = 0; i < n; i++) {
    sum += 1 / Math.pow(i + 1, s)
    cdf[i] = sum
  }
  return () => {
    const x = random() * sum
    let lo = 0
    let hi = n - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cdf[mid]! < x) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}

const LANGUAGES: [string | null, number][] = [
  ['en', 30], ['fr', 22], ['de', 12], [null, 12], ['es', 6], ['it', 4], ['nl', 3], ['ru', 3], ['pt', 2], ['ja', 1],
  ['pl', 1], ['zh', 1], ['oc', 0.5], ['eo', 0.5], ['pt-PT', 0.5], ['sv', 0.5], ['fi', 0.5],
]

function weighted<T>(items: [T, number][], random: () => number): T {
  const total = items.reduce((s, [, w]) => s + w, 0)
  let x = random() * total
  for (const [item, w] of items) {
    x -= w
    if (x <= 0) return item
  }
  return items[items.length - 1]![0]
}

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random())
}

const capitalise = (w: string) => w.charAt(0).toUpperCase() + w.slice(1)

/** Sizes of a generated index. */
export type BenchSize = { videos: number; instances: number; channels: number; playlists: number }

/** The default benchmark size: a million videos on two thousand instances. */
export const DEFAULT_SIZE: BenchSize = { videos: 1_000_000, instances: 2000, channels: 100_000, playlists: 50_000 }

/** The benchmark index of a number of videos: the default one for 1 M, else instances, channels and playlists in proportion. */
export function benchSize(videos: number): BenchSize {
  if (videos === DEFAULT_SIZE.videos) return DEFAULT_SIZE
  return { videos, instances: Math.min(2000, Math.max(10, videos / 500)), channels: Math.max(100, videos / 10), playlists: Math.max(50, videos / 20) }
}

/** The vocabulary and samplers the benchmark's queries are drawn from, so they hit realistic words. */
export function benchVocabulary(): { words: string[]; rank: (w: string) => number } {
  const words = vocabulary(60_000, rng(7))
  const ranks = new Map(words.map((w, i) => [w, i]))
  return { words, rank: (w) => ranks.get(w) ?? -1 }
}

function generate(db: Db, size: BenchSize, log: (msg: string) => void): void {
  const random = rng(42)
  const { words } = benchVocabulary()
  const word = zipf(words.length, 1.05, random)
  const tagWords = zipf(4000, 1.0, random)
  const instanceOf = zipf(size.instances, 0.9, random)
  const now = Date.UTC(2026, 0, 1)
  const text = (min: number, max: number) => {
    const n = min + Math.floor(random() * (max - min + 1))
    const out: string[] = []
    for (let i = 0; i < n; i++) out.push(words[word()]!)
    return out
  }

  const hosts: string[] = []
  const insertInstance = db.prepare('INSERT INTO instances (host, in_list, name, created_at, last_success_at) VALUES (?, 1, ?, ?, ?)')
  db.transaction(() => {
    for (let i = 0; i < size.instances; i++) {
      const host = `${words[300 + i]}${i}.${['org', 'fr', 'de', 'tube', 'net'][i % 5]}`.normalize('NFKD').replace(/[^a-z0-9.]/g, '')
      hosts.push(host)
      insertInstance.run(host, capitalise(words[300 + i]!), now, now)
    }
  })()

  type Channel = { instanceId: number; account: ActorSummary; channel: ActorSummary }
  const channels: Channel[] = []
  const avatar = (width: number) => ({
    width, height: width, path: `/lazy-static/avatars/${uuidFrom(random)}.png`, fileUrl: '', createdAt: null, updatedAt: null,
  })
  const actor = (host: string, kind: 'accounts' | 'video-channels', name: string, displayName: string, remoteId: number): ActorSummary => {
    const image = avatar(120)
    image.fileUrl = `https://${host}${image.path}`
    return { remoteId, name, displayName, host, url: `https://${host}/${kind}/${name}`, avatars: [image] }
  }
  const insertChannel = db.prepare(`INSERT INTO channels (instance_id, remote_id, name, host, url, display_name, description,
      support, avatars, banners, followers_count, following_count, created_at, updated_at, owner_remote_id, owner_name,
      owner_display_name, owner_host, owner_url, owner_avatars, seen_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, '[]', ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  db.transaction(() => {
    for (let i = 0; i < size.channels; i++) {
      const instanceId = instanceOf() + 1
      const host = hosts[instanceId - 1]!
      const base = text(1, 2)
      const name = `${base.join('_')}_${i}`.normalize('NFKD').replace(/[^a-z0-9_]/g, '')
      const account = actor(host, 'accounts', `${base[0]}${i}`.normalize('NFKD').replace(/[^a-z0-9_]/g, '') || `user${i}`, capitalise(base[0]!), i + 1)
      const channel = actor(host, 'video-channels', name || `channel_${i}`, base.map(capitalise).join(' '), i + 1)
      channels.push({ instanceId, account, channel })
      const created = now - Math.floor(random() * 8 * 365 * 86400_000)
      insertChannel.run(
        instanceId, i + 1, channel.name, host, channel.url, channel.displayName, random() < 0.6 ? text(5, 40).join(' ') : null,
        JSON.stringify(channel.avatars), Math.floor(Math.exp(2 + 2 * normal(random))), created, created,
        account.remoteId, account.name, account.displayName, host, account.url, JSON.stringify(account.avatars), now,
      )
    }
  })()
  log(`${size.instances} instances, ${size.channels} channels`)

  const insertPlaylist = db.prepare(`INSERT INTO playlists (instance_id, uuid, short_uuid, remote_id, url, display_name,
      description, type_id, videos_length, thumbnail_url, embed_url, created_at, updated_at, owner_remote_id, owner_name,
      owner_display_name, owner_host, owner_url, owner_avatars, channel_remote_id, channel_name, channel_display_name,
      channel_host, channel_url, channel_avatars, seen_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  db.transaction(() => {
    for (let i = 0; i < size.playlists; i++) {
      const c = channels[Math.floor(random() * channels.length)]!
      const uuid = uuidFrom(random)
      const short = shortUuid(uuid)
      const host = c.channel.host
      const created = now - Math.floor(random() * 6 * 365 * 86400_000)
      insertPlaylist.run(
        c.instanceId, uuid, short, i + 1, `https://${host}/w/p/${short}`, capitalise(text(1, 5).join(' ')),
        random() < 0.5 ? text(3, 30).join(' ') : null, Math.floor(random() * 60), `https://${host}/lazy-static/thumbnails/${uuid}.jpg`,
        `https://${host}/video-playlists/embed/${short}`, created, created, c.account.remoteId, c.account.name,
        c.account.displayName, host, c.account.url, JSON.stringify(c.account.avatars), c.channel.remoteId, c.channel.name,
        c.channel.displayName, host, c.channel.url, JSON.stringify(c.channel.avatars), now,
      )
    }
  })()
  log(`${size.playlists} playlists`)

  const writer = videoWriter(db)
  const batch = 20_000
  const started = Date.now()
  for (let done = 0; done < size.videos; done += batch) {
    const pending: { instanceId: number; record: VideoRecord }[] = []
    db.transaction(() => {
      for (let i = done; i < Math.min(done + batch, size.videos); i++) {
        const c = channels[Math.floor(Math.pow(random(), 1.5) * channels.length)]!
        const host = c.channel.host
        const uuid = uuidFrom(random)
        const short = shortUuid(uuid)
        // More videos in recent years, as on the real federation.
        const published = now - Math.floor(Math.pow(random(), 1.6) * 8 * 365 * 86400_000)
        const title = text(2, 9)
        title[0] = capitalise(title[0]!)
        const tags = [...new Set(Array.from({ length: Math.floor(random() * 6) }, () => words[tagWords()]!))]
        const description = random() < 0.35 ? null : text(8, 120).join(' ')
        const views = Math.floor(Math.exp(3 + 2 * normal(random)))
        const language = weighted(LANGUAGES, random)
        const category = random() < 0.2 ? null : 1 + Math.floor(random() * 18)
        const licence = random() < 0.3 ? null : 1 + Math.floor(random() * 7)
        const record: VideoRecord = {
          uuid, shortUuid: short, remoteId: i + 1, url: `https://${host}/videos/watch/${uuid}`,
          name: title.join(' '), description, truncatedDescription: description ? description.slice(0, 250) : null, tags,
          category: { id: category, label: category === null ? null : `Category ${category}` },
          licence: { id: licence, label: licence === null ? null : `Licence ${licence}` },
          language: { id: language, label: language },
          duration: Math.max(1, Math.floor(Math.exp(5.5 + 1.2 * normal(random)))),
          isLive: random() < 0.01, nsfw: random() < 0.03, nsfwFlags: 0, nsfwSummary: null, aspectRatio: 1.7778,
          views, likes: Math.floor(views * random() * 0.05), dislikes: Math.floor(views * random() * 0.005),
          comments: Math.floor(views * random() * 0.01), viewers: 0,
          thumbnailUrl: `https://${host}/lazy-static/thumbnails/${uuid}.jpg`, previewUrl: `https://${host}/lazy-static/previews/${uuid}.jpg`,
          embedUrl: `https://${host}/videos/embed/${short}`,
          createdAt: published - 60_000, updatedAt: published, publishedAt: published,
          originallyPublishedAt: random() < 0.1 ? published - Math.floor(random() * 20 * 365 * 86400_000) : null,
          account: c.account, channel: c.channel,
        }
        pending.push({ instanceId: c.instanceId, record })
      }
      // In FTS key order (rank.ts), as the crawler writes a page: FTS5 flushes its pending segment whenever a
      // transaction writes a rowid below the previous one.
      pending.sort((a, b) => videoRank(a.record.views, a.record.likes, a.record.publishedAt) - videoRank(b.record.views, b.record.likes, b.record.publishedAt))
      for (const { instanceId, record } of pending) writer.upsert(instanceId, record, now, { description: record.description, tags: record.tags })
    })()
    const n = Math.min(done + batch, size.videos)
    if (n % 100_000 === 0 || n === size.videos) {
      log(`${n} videos (${Math.round((n / (Date.now() - started)) * 1000)}/s)`)
    }
  }
}

function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16))
  hex[12] = '4'
  hex[16] = '89ab'[Math.floor(random() * 4)]!
  const s = hex.join('')
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`
}

/**
 * Opens the benchmark database for a size, building it first when no cached copy exists. The cache key covers the
 * generator version, the index content's version, the size and the migrations' text, so a schema change rebuilds it.
 */
export function benchDb(dir: string, size: BenchSize, log: (msg: string) => void): { db: Db; path: string; built: boolean } {
  const migrations = readMigrations().map((m) => m.sql).join('\n')
  const key = createHash('sha256')
    .update(JSON.stringify({ GENERATOR_VERSION, INDEX_VERSION, size, migrations }))
    .digest('hex')
    .slice(0, 12)
  mkdirSync(dir, { recursive: true })
  const path = join(dir, `bench-${size.videos}-${key}.db`)
  if (existsSync(path)) return { db: openDb(path), path, built: false }
  const tmp = `${path}.building`
  for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true })
  const db = openDb(tmp)
  // Build-time only: a crash just means rebuilding, so trade durability for speed.
  db.pragma('synchronous = OFF')
  db.pragma('cache_size = -1000000')
  migrate(db)
  const started = Date.now()
  generate(db, size, log)
  // The scheduler merges the index segments after each crawl run (mergeIndexes), so a settled production index
  // has one; the generator writes in large transactions and merges at the end to the same state. No ANALYZE: production
  // never runs it either.
  while (mergeIndexes(db, 4000)) log('merging index segments')
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.close()
  renameSync(tmp, path)
  log(`built ${path} in ${Math.round((Date.now() - started) / 1000)} s`)
  return { db: openDb(path), path, built: true }
}
