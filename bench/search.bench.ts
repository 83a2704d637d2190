// `npm run bench`: search latency and ranking exactness on a synthetic federation-scale index (1 M videos by
// default), side by side with naive FTS5 bm25 on the same queries.
//
// Builds the index on first run (a few minutes; cached under bench/data/, keyed by the generator version, the
// size and the migrations), warms the cache with one untimed pass of other queries, then for each query class:
// * the engine's p50/p95/p99/max (each query parsed from parameters, searched and serialised to JSON, as the API
//   does);
// * naive FTS5 bm25 (`MATCH words ORDER BY rank LIMIT 20`, no filters, then the same 20 rows read and serialised)
//   p50/p99 on the same words;
// * for relevance classes, the top-20 agreement with the same ranking applied to every match (bench/exhaustive.ts):
//   the share of the reference page the engine returned (1.00: exact).
// Then a hostile pass (huge and repeated arrays, long tag lists, thousands of blocked accounts, deep pages, every
// sort, extreme dates) reports the slowest request, and the whole pass runs again while a simulated crawl writes.
// Options (environment): BENCH_VIDEOS (index size), BENCH_QUERIES (queries per class), BENCH_AGREE (queries per
// class checked against the exhaustive reference, default 40), BENCH_WRITE_RATE (videos per second written by the
// simulated crawl, default 1000), BENCH_WRITER=0 to skip that pass, BENCH_DATA_DIR (where indexes are cached).
import { closeSync, openSync, readSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { benchDb, benchSize, benchVocabulary, DEFAULT_SIZE, GENERATOR_VERSION, rng, type BenchSize } from './generate.ts'
import { exhaustivePage } from './exhaustive.ts'
import { parseChannelsParams, parsePlaylistsParams, parseVideosParams } from '../src/search/params.ts'
import { searchVideos, videoSearch, VIDEOS } from '../src/search/videos.ts'
import { channelSearch, CHANNELS, searchChannels } from '../src/search/channels.ts'
import { playlistSearch, PLAYLISTS, searchPlaylists } from '../src/search/playlists.ts'
import { parseText } from '../src/search/text.ts'
import { idOfKey } from '../src/search/engine.ts'
import { inHitOrder } from '../src/search/search.ts'
import { CHANNEL_COLUMNS, PLAYLIST_COLUMNS, VIDEO_COLUMNS, formatChannel, formatPlaylist, formatVideo } from '../src/search/format.ts'
import type { Db } from '../src/db/open.ts'

// Where built indexes are cached (BENCH_DATA_DIR for a throwaway run, as the test of the benchmark does).
const DATA_DIR = process.env.BENCH_DATA_DIR ?? fileURLToPath(new URL('./data/', import.meta.url))
const videos = Number(process.env.BENCH_VIDEOS ?? DEFAULT_SIZE.videos)
const perClass = Number(process.env.BENCH_QUERIES ?? 200)
const agreeQueries = Number(process.env.BENCH_AGREE ?? 40)
const size: BenchSize = benchSize(videos)

const log = (msg: string) => process.stderr.write(`${new Date().toISOString()} ${msg}\n`)

type Kind = 'videos' | 'channels' | 'playlists'
type QueryClass = { name: string; kind: Kind; make: (i: number) => Record<string, unknown> }

/** The query classes, each drawing its words from the generator's own vocabulary (`seed` picks the words). */
function classes(seed: number): QueryClass[] {
  const { words } = benchVocabulary()
  const random = rng(seed)
  const pick = (from: number, to: number) => words[from + Math.floor(random() * (to - from))]!
  const common = () => pick(0, 60)
  const mid = () => pick(60, 2000)
  const rare = () => pick(5000, 40000)
  const long = (from: number, to: number) => {
    for (;;) {
      const w = pick(from, to)
      if (/^\p{L}{6,}$/u.test(w)) return w
    }
  }
  const prefix = () => {
    const w = pick(20, 3000)
    return w.slice(0, Math.max(3, Math.min(w.length - 1, 3 + Math.floor(random() * 4))))
  }
  // One edit: a doubled, dropped or swapped letter, as people type them.
  const typo = () => {
    const w = [...long(60, 5000)]
    const i = 1 + Math.floor(random() * (w.length - 2))
    const edit = Math.floor(random() * 3)
    if (edit === 0) w.splice(i, 0, w[i]!)
    else if (edit === 1) w.splice(i, 1)
    else [w[i], w[i + 1]] = [w[i + 1]!, w[i]!]
    return w.join('')
  }
  const split = () => {
    const w = long(60, 5000)
    const at = 3 + Math.floor(random() * (w.length - 5))
    return `${w.slice(0, at)} ${w.slice(at)}`
  }
  const languages = ['en', 'fr', 'de', 'es', 'it']
  const sorts = ['-publishedAt', '-views', '-likes', 'name', '-hot', '-duration', '-createdAt', 'publishedAt', '-originallyPublishedAt']
  // What a PeerTube 7 instance forwards (contract §1.2): sort and nsfw always set, the block lists always present.
  const forwarded = (search: string) => ({
    search, start: 0, count: 20, sort: '-match', nsfw: 'false', searchTarget: 'search-index',
    blockedAccounts: ['spammer@spam.example', 'troll@tube.example'], blockedHosts: ['bad.example'],
  })
  return [
    { name: 'common word', kind: 'videos', make: () => ({ search: common() }) },
    { name: 'mid-frequency word', kind: 'videos', make: () => ({ search: mid() }) },
    { name: 'rare word', kind: 'videos', make: () => ({ search: rare() }) },
    { name: 'two words', kind: 'videos', make: () => ({ search: `${mid()} ${common()}` }) },
    { name: 'three words', kind: 'videos', make: () => ({ search: `${common()} ${mid()} ${mid()}` }) },
    { name: 'prefix (unfinished last word)', kind: 'videos', make: () => ({ search: random() < 0.5 ? prefix() : `${common()} ${prefix()}` }) },
    { name: 'plural (a word + s)', kind: 'videos', make: () => ({ search: `${long(60, 5000)}s` }) },
    { name: 'typo (one edit)', kind: 'videos', make: () => ({ search: typo() }) },
    { name: 'split word', kind: 'videos', make: () => ({ search: split() }) },
    { name: 'PeerTube instance POST (nsfw, blocks)', kind: 'videos', make: () => forwarded(random() < 0.5 ? common() : `${mid()} ${mid()}`) },
    {
      name: 'filters: language, category, duration, date',
      kind: 'videos',
      make: (i) => [
        { search: common(), languageOneOf: [languages[i % 5]], boostLanguages: [languages[i % 5]] },
        { search: mid(), categoryOneOf: [1 + (i % 18)], nsfw: 'both' },
        { search: common(), durationMin: 600 },
        { search: `${common()} ${mid()}`, startDate: '2024-01-01T00:00:00.000Z' },
        { search: common(), isLive: true },
        { search: mid(), tagsOneOf: [pick(0, 300), pick(0, 300)] },
      ][i % 6]!,
    },
    { name: 'sorts (date, views, likes, name, hot...)', kind: 'videos', make: (i) => ({ search: random() < 0.5 ? common() : mid(), sort: sorts[i % sorts.length] }) },
    { name: 'no text: filters and sort', kind: 'videos', make: (i) => ({ languageOneOf: [languages[i % 5]], sort: sorts[i % sorts.length], nsfw: 'false' }) },
    { name: 'page 5 (start=80)', kind: 'videos', make: () => ({ search: random() < 0.5 ? common() : mid(), start: 80 }) },
    { name: 'channels', kind: 'channels', make: () => ({ search: random() < 0.5 ? common() : mid() }) },
    { name: 'playlists', kind: 'playlists', make: () => ({ search: random() < 0.5 ? common() : mid() }) },
  ]
}

/** Requests an attacker or a buggy client could send: each must still answer in bounded time. */
function hostile(seed: number): Record<string, unknown>[] {
  const { words } = benchVocabulary()
  const random = rng(seed)
  const pick = (n: number) => words[Math.floor(random() * n)]!
  const many = <T>(n: number, f: (i: number) => T) => Array.from({ length: n }, (_, i) => f(i))
  const hosts = many(2000, (i) => `${words[300 + i]}${i}.${['org', 'fr', 'de', 'tube', 'net'][i % 5]}`.normalize('NFKD').replace(/[^a-z0-9.]/g, ''))
  const sorts = ['-match', 'match', '-publishedAt', '-views', '-likes', 'name', '-name', '-hot', '-duration', '-createdAt', 'publishedAt', '-originallyPublishedAt']
  const texts = [
    () => many(8, () => pick(60)).join(' '),
    () => many(500, () => pick(60)).join(' '),
    () => pick(60).repeat(3),
    () => many(8, () => `${pick(2000)}x`).join(' '),
    () => '',
  ]
  return many(60, (i) => ({
    search: texts[i % texts.length]!(),
    sort: sorts[i % sorts.length],
    start: [0, 80, 4000, 9980][i % 4],
    count: 100,
    nsfw: ['both', 'false', 'true'][i % 3],
    categoryOneOf: many(500, (j) => 1 + (j % 100)),
    licenceOneOf: i % 2 ? many(100, (j) => j) : [1],
    languageOneOf: many(500, (j) => `l${j % 500}`),
    tagsOneOf: many(500, () => pick(300)).slice(0, i % 3 ? 32 : 5),
    tagsAllOf: i % 4 === 0 ? many(2, () => pick(100)) : [],
    blockedAccounts: many(5000, (j) => `user${j}@${hosts[j % hosts.length]}`),
    blockedHosts: many(i % 2 ? 1500 : 10, (j) => hosts[(j * 7) % hosts.length]),
    startDate: ['1900-01-01', '1931-12-13', '2024-06-15T12:00:00Z', '0001-01-01'][i % 4],
    endDate: ['9999-12-31', '2025-01-01', '2024-06-20'][i % 3],
    durationMin: i % 2 ? 61 : 0,
    durationMax: [100_000_000, 3599, 600][i % 3],
    boostLanguages: ['en', 'fr', 'de', 'en', 'fr'],
  }))
}

// Many frequent words and deep pages with no filter to narrow the match lists: the relevance walk then reads
// every level of a long search down to the 10,000th result.
function hostileWords(seed: number): Record<string, unknown>[] {
  const { words } = benchVocabulary()
  const random = rng(seed)
  const pick = (from: number, to: number) => words[from + Math.floor(random() * (to - from))]!
  const texts = [
    () => Array.from({ length: 8 }, () => pick(0, 60)).join(' '),
    () => Array.from({ length: 8 }, () => pick(60, 2000)).join(' '),
    () => Array.from({ length: 8 }, (_, i) => (i % 2 ? pick(0, 60) : pick(60, 2000))).join(' '),
    // Two frequent words glued: its split spelling is a phrase over two huge lists ("thevideo": "the video").
    () => pick(0, 30) + pick(0, 30),
  ]
  return Array.from({ length: 32 }, (_, i) => ({
    search: texts[i % 4]!(),
    start: [9980, 4000, 0][Math.floor(i / 4) % 3],
    count: 100,
    sort: ['-match', '-match', '-views', 'name'][Math.floor(i / 12) % 4],
    nsfw: 'both',
  }))
}

function parsed(kind: Kind, params: Record<string, unknown>) {
  const p = kind === 'videos' ? parseVideosParams(params) : kind === 'channels' ? parseChannelsParams(params) : parsePlaylistsParams(params)
  if (!p.ok) throw new Error(`invalid bench query ${JSON.stringify(params).slice(0, 300)}: ${JSON.stringify(p.invalidParams).slice(0, 300)}`)
  return p.query
}

function run(db: Db, kind: Kind, params: Record<string, unknown>): { ms: number; urls: string[] } {
  const started = process.hrtime.bigint()
  const q = parsed(kind, params)
  const out = kind === 'videos' ? searchVideos(db, q as never) : kind === 'channels' ? searchChannels(db, q as never) : searchPlaylists(db, q as never)
  JSON.stringify(out)
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, urls: out.data.map((x) => x.url) }
}

// Naive FTS5 as a whole answer: the words (the last as a prefix when unfinished) ANDed over the whole index,
// ranked by bm25, top 20, then the same rows read and serialised as the engine's page.
const NAIVE = {
  videos: { fts: 'videos_fts', select: `SELECT ${VIDEO_COLUMNS} FROM videos v WHERE v.id IN`, format: formatVideo },
  channels: { fts: 'channels_fts', select: `SELECT ${CHANNEL_COLUMNS} FROM channels c WHERE c.id IN`, format: formatChannel },
  playlists: { fts: 'playlists_fts', select: `SELECT ${PLAYLIST_COLUMNS} FROM playlists p WHERE p.id IN`, format: formatPlaylist },
}
function naive(db: Db, kind: Kind, params: Record<string, unknown>): number | null {
  const terms = parseText(String(params.search ?? '')).terms
  if (!terms.length) return null
  const started = process.hrtime.bigint()
  const expr = terms.map((t) => `"${t.text}"${t.prefix ? '*' : ''}`).join(' AND ')
  const n = NAIVE[kind]
  const keys = db.prepare(`SELECT rowid AS k FROM ${n.fts} WHERE ${n.fts} MATCH ? ORDER BY rank LIMIT 20`).all(expr) as { k: number }[]
  const hits = keys.map((r) => ({ id: idOfKey(r.k), score: 0 }))
  JSON.stringify(inHitOrder(db, n.select, hits, n.format as (row: never, score: number) => unknown))
  return Number(process.hrtime.bigint() - started) / 1e6
}

function agreement(db: Db, kind: Kind, params: Record<string, unknown>, got: string[]): number | null {
  const q = parsed(kind, params)
  const sort = (q as { sort: string }).sort
  if (!/^-?match$/.test(sort) || !parseText(String(params.search ?? '')).terms.length) return null
  const kq = kind === 'videos' ? videoSearch(db, q as never) : kind === 'channels' ? channelSearch(db, q as never) : playlistSearch(db, q as never)
  const ids = exhaustivePage(db, kind === 'videos' ? VIDEOS : kind === 'channels' ? CHANNELS : PLAYLISTS, kq)
  // Results carry the origin's ids; compare by URL.
  const reference = db.prepare(`SELECT url FROM ${kind} WHERE id IN (SELECT value FROM json_each(?))`).pluck().all(JSON.stringify(ids)) as string[]
  if (reference.length === 0) return got.length === 0 ? 1 : 0
  const mine = new Set(got)
  return reference.filter((id) => mine.has(id)).length / reference.length
}

const quantile = (sorted: number[], q: number) => sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : NaN
const f1 = (n: number) => (Number.isNaN(n) ? '–' : n.toFixed(1))

// A running server has the index in the OS cache (3 GB at 1 M videos; the machines this targets have the RAM):
// before measuring, the file is read once, then one untimed pass of other queries of every class warms SQLite's
// own cache (other words, so the measured queries do not find their own pages there). The numbers are about
// the engine's work, not the disk's.
function warmUp(db: Db, path: string): void {
  const fd = openSync(path, 'r')
  const buffer = Buffer.alloc(1 << 24)
  while (readSync(fd, buffer) > 0);
  closeSync(fd)
  for (const c of classes(7)) for (let i = 0; i < perClass; i++) run(db, c.kind, c.make(i))
  log('warm-up done')
}

function measure(db: Db, label: string, withQuality: boolean): { rows: string[]; all: number[] } {
  const rows: string[] = []
  const all: number[] = []
  for (const c of classes(99)) {
    const queries = Array.from({ length: perClass }, (_, i) => c.make(i))
    const results = queries.map((q) => run(db, c.kind, q))
    const times = results.map((r) => r.ms).sort((a, b) => a - b)
    all.push(...times)
    let quality = ''
    if (withQuality) {
      const naiveTimes = queries.map((q) => naive(db, c.kind, q)).filter((t): t is number => t !== null).sort((a, b) => a - b)
      const agree = queries.slice(0, agreeQueries).map((q, i) => agreement(db, c.kind, q, results[i]!.urls)).filter((a): a is number => a !== null)
      const mean = agree.length ? (agree.reduce((s, a) => s + a, 0) / agree.length).toFixed(2) : '–'
      quality = ` ${f1(quantile(naiveTimes, 0.5))} | ${f1(quantile(naiveTimes, 0.99))} | ${mean} |`
    }
    rows.push(`| ${c.name} | ${f1(quantile(times, 0.5))} | ${f1(quantile(times, 0.95))} | ${f1(quantile(times, 0.99))} | ${f1(times.at(-1)!)} |${quality}`)
    log(`${label}: ${c.name} done`)
  }
  all.sort((a, b) => a - b)
  rows.push(`| **all classes** | **${f1(quantile(all, 0.5))}** | **${f1(quantile(all, 0.95))}** | **${f1(quantile(all, 0.99))}** | **${f1(all.at(-1)!)}** |${withQuality ? ' | | |' : ''}`)
  return { rows, all }
}

function measureHostile(db: Db): string {
  const times = hostile(5).map((params) => run(db, 'videos', params).ms).sort((a, b) => a - b)
  const words = hostileWords(6).map((params) => run(db, 'videos', params).ms).sort((a, b) => a - b)
  return `Hostile requests (${times.length}: 500 categories, 500 languages, 32 tags, 5,000 blocked accounts, up to 1,500 blocked hosts, deep pages, every sort, extreme dates, 500-word texts): p50 ${f1(quantile(times, 0.5))} ms, p99 ${f1(quantile(times, 0.99))} ms, max ${f1(times.at(-1)!)} ms.
Hostile words (${words.length}: 8 frequent words, or two glued, no filter, pages down to the 10,000th result): p50 ${f1(quantile(words, 0.5))} ms, p99 ${f1(quantile(words, 0.99))} ms, max ${f1(words.at(-1)!)} ms.`
}

// A crawl writing while searches run: a worker thread upserts batches of videos through the crawler's writer.
function startWriter(path: string, rate: number): { stop: () => Promise<number> } {
  const worker = new Worker(new URL('./writer.worker.mjs', import.meta.url), { workerData: { path, rate } })
  return {
    stop: () =>
      new Promise((resolve) => {
        worker.once('message', (written: number) => {
          // The worker's module loader keeps it alive otherwise, and the benchmark would never exit.
          void worker.terminate().then(() => resolve(written))
        })
        worker.postMessage('stop')
      }),
  }
}

const { db, path, built } = benchDb(DATA_DIR, size, log)
const cpu = cpus()[0]?.model ?? 'unknown CPU'
console.log([
  `Index: ${size.videos.toLocaleString('en')} videos, ${size.channels.toLocaleString('en')} channels, ${size.playlists.toLocaleString('en')} playlists on ${size.instances} instances (generator v${GENERATOR_VERSION}${built ? ', just built' : ', cached'}).`,
  `Machine: ${cpus().length} cores (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}. ${perClass} queries per class, times in ms (parse + search + JSON); agreement on ${agreeQueries} queries per class.`,
  '',
  '| query class | p50 | p95 | p99 | max | naive bm25 p50 | naive bm25 p99 | top-20 agreement |',
  '|---|---:|---:|---:|---:|---:|---:|---:|',
].join('\n'))
warmUp(db, path)
const quiet = measure(db, 'idle', true)
console.log(quiet.rows.join('\n'))
console.log(`\n${measureHostile(db)}`)
if (process.env.BENCH_WRITER !== '0') {
  const rate = Number(process.env.BENCH_WRITE_RATE ?? 1000)
  const writer = startWriter(path, rate)
  const started = performance.now()
  const busy = measure(db, 'with writer', false)
  const hostileBusy = measureHostile(db)
  const written = await writer.stop()
  const seconds = (performance.now() - started) / 1000
  console.log(`\nWhile a crawl writes (${written.toLocaleString('en')} video writes, ${Math.round(written / seconds)}/s, half new videos and half view-count updates, in transactions of 100, during the pass):\n`)
  console.log(['| query class | p50 | p95 | p99 | max |', '|---|---:|---:|---:|---:|', ...busy.rows].join('\n'))
  console.log(`\n${hostileBusy}`)
}
db.close()
