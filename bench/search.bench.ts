// `npm run bench`: search latency on a synthetic federation-scale index (1 M videos by default).
//
// Builds the index on first run (a few minutes; cached under bench/data/, keyed by the generator version, the
// size and the migrations), warms the cache with one untimed pass of other queries, then runs each query class and
// prints p50/p95/p99/max per class as a Markdown table for BENCHMARKS.md, idle and again while a simulated crawl
// writes. Each query is parsed from parameters, searched and serialised to JSON, as the API does.
// Options (environment): BENCH_VIDEOS (index size), BENCH_QUERIES (queries per class), BENCH_WRITE_RATE (videos
// per second written by the simulated crawl, default 1000), BENCH_WRITER=0 to skip that second pass.
import { cpus, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { benchDb, benchSize, benchVocabulary, DEFAULT_SIZE, GENERATOR_VERSION, rng, type BenchSize } from './generate.ts'
import { parseChannelsParams, parsePlaylistsParams, parseVideosParams } from '../src/search/params.ts'
import { searchVideos } from '../src/search/videos.ts'
import { searchChannels } from '../src/search/channels.ts'
import { searchPlaylists } from '../src/search/playlists.ts'
import type { Db } from '../src/db/open.ts'

const DATA_DIR = fileURLToPath(new URL('./data/', import.meta.url))
const videos = Number(process.env.BENCH_VIDEOS ?? DEFAULT_SIZE.videos)
const perClass = Number(process.env.BENCH_QUERIES ?? 200)
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
  const prefix = () => {
    const w = pick(20, 3000)
    return w.slice(0, Math.max(3, Math.min(w.length - 1, 3 + Math.floor(random() * 4))))
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

function run(db: Db, kind: Kind, params: Record<string, unknown>): number {
  const started = process.hrtime.bigint()
  let out: unknown
  if (kind === 'videos') {
    const p = parseVideosParams(params)
    if (!p.ok) throw new Error(`invalid bench query ${JSON.stringify(params)}`)
    out = searchVideos(db, p.query)
  } else if (kind === 'channels') {
    const p = parseChannelsParams(params)
    if (!p.ok) throw new Error('invalid bench query')
    out = searchChannels(db, p.query)
  } else {
    const p = parsePlaylistsParams(params)
    if (!p.ok) throw new Error('invalid bench query')
    out = searchPlaylists(db, p.query)
  }
  JSON.stringify(out)
  return Number(process.hrtime.bigint() - started) / 1e6
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!

// A running server has the index's hot pages in the OS cache: before measuring, one untimed pass of other queries
// of every class (other words, so the measured queries do not find their own pages cached).
function warmUp(db: Db): void {
  for (const c of classes(7)) for (let i = 0; i < perClass; i++) run(db, c.kind, c.make(i))
  log('warm-up done')
}

function measure(db: Db, label: string): { rows: string[]; all: number[] } {
  const rows: string[] = []
  const all: number[] = []
  for (const c of classes(99)) {
    const queries = Array.from({ length: perClass }, (_, i) => c.make(i))
    const times = queries.map((q) => run(db, c.kind, q)).sort((a, b) => a - b)
    all.push(...times)
    rows.push(`| ${c.name} | ${quantile(times, 0.5).toFixed(1)} | ${quantile(times, 0.95).toFixed(1)} | ${quantile(times, 0.99).toFixed(1)} | ${times.at(-1)!.toFixed(1)} |`)
    log(`${label}: ${c.name} done`)
  }
  all.sort((a, b) => a - b)
  rows.push(`| **all classes** | **${quantile(all, 0.5).toFixed(1)}** | **${quantile(all, 0.95).toFixed(1)}** | **${quantile(all, 0.99).toFixed(1)}** | **${all.at(-1)!.toFixed(1)}** |`)
  return { rows, all }
}

// A crawl writing while searches run: a worker thread upserts batches of videos through the crawler's writer.
function startWriter(path: string, rate: number): { stop: () => Promise<number> } {
  const worker = new Worker(new URL('./writer.worker.mjs', import.meta.url), { workerData: { path, rate } })
  return {
    stop: () =>
      new Promise((resolve) => {
        worker.once('message', (written: number) => resolve(written))
        worker.postMessage('stop')
      }),
  }
}

const { db, path, built } = benchDb(DATA_DIR, size, log)
const cpu = cpus()[0]?.model ?? 'unknown CPU'
const header = [
  `Index: ${size.videos.toLocaleString('en')} videos, ${size.channels.toLocaleString('en')} channels, ${size.playlists.toLocaleString('en')} playlists on ${size.instances} instances (generator v${GENERATOR_VERSION}${built ? ', just built' : ', cached'}).`,
  `Machine: ${cpus().length} cores (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}. ${perClass} queries per class, times in ms (parse + search + JSON).`,
  '',
  '| query class | p50 | p95 | p99 | max |',
  '|---|---:|---:|---:|---:|',
]
warmUp(db)
const quiet = measure(db, 'idle')
console.log([...header, ...quiet.rows].join('\n'))
if (process.env.BENCH_WRITER !== '0') {
  const rate = Number(process.env.BENCH_WRITE_RATE ?? 1000)
  const writer = startWriter(path, rate)
  const started = performance.now()
  const busy = measure(db, 'with writer')
  const written = await writer.stop()
  const seconds = (performance.now() - started) / 1000
  console.log(`\nWhile a crawl writes (${written.toLocaleString('en')} video upserts, ${Math.round(written / seconds)}/s, in transactions of 100, during the pass):\n`)
  console.log(['| query class | p50 | p95 | p99 | max |', '|---|---:|---:|---:|---:|', ...busy.rows].join('\n'))
}
db.close()
