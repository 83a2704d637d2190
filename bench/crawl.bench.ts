// `npm run bench:crawl`: the crawler against a local fake federation shaped like the real one (Zipf-distributed
// sizes, PeerTube's 50-per-10 s limiter, 429 storms and slow hosts), through the real scheduler at default politeness,
// then CPU-bound with politeness off. Prints Markdown for BENCHMARKS.md: time to the first searchable video, until
// every listed video is searchable, until every video has its details; requests per video; the most requests any
// host saw in 10 s; peak RSS; ingest in videos/s; and the projection of the first index to the real federation.
// The fake federation runs in a child process, so that serving it does not take the crawler's CPU.
// Options (environment): BENCH_CRAWL_INSTANCES (default 60), BENCH_CRAWL_VIDEOS (6000), BENCH_CRAWL_MAX_MINUTES (20),
// BENCH_CRAWL_SLOW_MS (1500), BENCH_CRAWL_INGEST_INSTANCES (40), BENCH_CRAWL_INGEST_VIDEOS (40000), BENCH_CRAWL_PHASES
// ("politeness,ingest"), BENCH_CRAWL_REAL_INSTANCES (2000), BENCH_CRAWL_REAL_VIDEOS (2000000).
import { fork, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseConfig, type Config } from '../src/config/config.ts'
import { openDb, type Db } from '../src/db/open.ts'
import { migrate } from '../src/db/migrate.ts'
import { allInstances } from '../src/db/instances.ts'
import { largestDetailsSlots, startScheduler } from '../src/crawler/scheduler.ts'
import { refreshInstances } from '../src/crawler/run.ts'
import { createFetcher } from '../src/crawler/http.ts'
import { crawlInstance, type InstanceCrawlResult } from '../src/crawler/crawl.ts'
import { boundCrawlerHeap } from '../src/crawler/heap.ts'
import { simulateFirstIndex } from './crawl-model.ts'
import { zipfSizes, type FederationShape, type FromFederation, type HostInfo, type HostTraffic, type ToFederation } from './crawl-federation.ts'

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback)
const INSTANCES = env('BENCH_CRAWL_INSTANCES', 60)
const VIDEOS = env('BENCH_CRAWL_VIDEOS', 6000)
const MAX_MS = env('BENCH_CRAWL_MAX_MINUTES', 20) * 60_000
const SLOW_MS = env('BENCH_CRAWL_SLOW_MS', 1500)
const INGEST_INSTANCES = env('BENCH_CRAWL_INGEST_INSTANCES', 40)
const INGEST_VIDEOS = env('BENCH_CRAWL_INGEST_VIDEOS', 40_000)
const REAL_INSTANCES = env('BENCH_CRAWL_REAL_INSTANCES', 2000)
const REAL_VIDEOS = env('BENCH_CRAWL_REAL_VIDEOS', 2_000_000)
const PHASES = new Set((process.env.BENCH_CRAWL_PHASES ?? 'politeness,ingest').split(','))
const ZIPF = 0.65

const log = (msg: string) => process.stderr.write(`${new Date().toISOString()} ${msg}\n`)
// This process crawls as sepia serve's crawler and sepia crawl do.
boundCrawlerHeap()
const seconds = (ms: number | null) => (ms === null ? 'not reached' : `${(ms / 1000).toFixed(1)} s`)
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`

/** The fake federation in its child process. */
async function federation(shape: FederationShape) {
  const child: ChildProcess = fork(fileURLToPath(new URL('./crawl-federation.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const ask = <K extends FromFederation['kind']>(message: ToFederation, kind: K) =>
    new Promise<Extract<FromFederation, { kind: K }>>((resolve) => {
      const on = (m: FromFederation) => {
        if (m.kind !== kind) return
        child.off('message', on)
        resolve(m as Extract<FromFederation, { kind: K }>)
      }
      child.on('message', on)
      child.send(message)
    })
  const ready = await ask({ kind: 'start', shape }, 'ready')
  return {
    ...ready,
    traffic: async () => (await ask({ kind: 'traffic' }, 'traffic')).hosts,
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve())
        child.send({ kind: 'close' } satisfies ToFederation)
      }),
  }
}

function freshDb(dir: string, name: string): Db {
  const db = openDb(join(dir, name), { bulkWrites: true })
  migrate(db)
  return db
}

/** Resident memory: all of it, and its private part (the rest is the memory-mapped database, shared and reclaimable). */
type Memory = { rss: number; anon: number }

// Linux says how much of the RSS is private (RssAnon) and how much is file pages (the database, mapped by openDb).
function memory(): Memory {
  const rss = process.memoryUsage().rss
  try {
    const anon = /RssAnon:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))
    return { rss, anon: anon ? Number(anon[1]) * 1024 : rss }
  } catch {
    return { rss, anon: rss }
  }
}

/** Peak memory of this process, sampled while `run` runs. */
async function withPeakRss<T>(run: () => Promise<T>): Promise<{ value: T; peak: Memory }> {
  const peak = memory()
  const sample = () => {
    const m = memory()
    peak.rss = Math.max(peak.rss, m.rss)
    peak.anon = Math.max(peak.anon, m.anon)
  }
  const timer = setInterval(sample, 100)
  try {
    const value = await run()
    sample()
    return { value, peak }
  } finally {
    clearInterval(timer)
  }
}

type PolitenessReport = {
  firstVideoMs: number | null
  listedAllMs: number | null
  detailsAllMs: number | null
  totalVideos: number
  requests: number
  maxIn10s: number
  limiterRefused: number
  stormRefused: number
  peakRss: Memory
  hosts: HostInfo[]
  traffic: HostTraffic[]
  paceLimited: number
  cpuSeconds: number
}

// Phase 1: the real scheduler, default politeness, against the federation with its limiters, storms and slow hosts.
async function politeness(dir: string): Promise<PolitenessReport> {
  const fed = await federation({ instances: INSTANCES, videos: VIDEOS, zipf: ZIPF, storms: 0.1, slow: 0.1, slowMs: SLOW_MS, politeness: 'real', seed: 1 })
  const config = parseConfig({
    database: { path: join(dir, 'politeness.db') },
    instances: { listUrl: fed.listUrl },
    // Everything else at its default: the pace, the share of advertised limits, concurrency, budgets, retries.
    crawl: { useHttp: true, allowPrivateAddresses: true, schedule: '0 0 1 1 *' },
  })
  const db = freshDb(dir, 'politeness.db')
  const started = performance.now()
  const cpuBefore = process.cpuUsage()
  const milestones = { firstVideoMs: null as number | null, listedAllMs: null as number | null, detailsAllMs: null as number | null }
  const count = db.prepare(`SELECT n FROM search_totals WHERE kind = 'videos'`).pluck()
  const detailed = db.prepare('SELECT count(*) FROM videos WHERE details_updated_at IS updated_at').pluck()
  log(`politeness: ${INSTANCES} instances, ${VIDEOS} videos; crawling with the scheduler at default settings`)
  const { peak } = await withPeakRss(async () => {
    const scheduler = startScheduler({ db, config })
    await new Promise<void>((resolve) => {
      let lastLog = 0
      const poll = setInterval(() => {
        const t = performance.now() - started
        const videos = count.get() as number
        if (videos > 0) milestones.firstVideoMs ??= t
        if (videos >= VIDEOS) milestones.listedAllMs ??= t
        const withDetails = detailed.get() as number
        if (withDetails >= VIDEOS) milestones.detailsAllMs ??= t
        if (t - lastLog > 15_000) {
          lastLog = t
          log(`politeness: ${(t / 1000).toFixed(0)} s, ${videos} listed, ${withDetails} with details`)
        }
        if (milestones.detailsAllMs !== null || t > MAX_MS) {
          clearInterval(poll)
          resolve()
        }
      }, 50)
    })
    await scheduler.stop()
  })
  const cpu = process.cpuUsage(cpuBefore)
  const traffic = await fed.traffic()
  await fed.close()
  db.close()
  // The pace a limited host got: its API requests over the time it was busy, for hosts busy long enough to tell.
  const paces = traffic
    .map((t, i) => ({ t, h: fed.hosts[i]! }))
    .filter(({ t, h }) => h.kind === 'limited' && t.requests >= 60)
    .map(({ t }) => t.maxIn10s / 10)
    .sort((a, b) => a - b)
  return {
    ...milestones,
    totalVideos: VIDEOS,
    requests: traffic.reduce((n, t) => n + t.requests, 0),
    maxIn10s: Math.max(...traffic.map((t) => t.maxIn10s)),
    limiterRefused: traffic.reduce((n, t) => n + t.limiterRefused, 0),
    stormRefused: traffic.reduce((n, t) => n + t.stormRefused, 0),
    peakRss: peak,
    hosts: fed.hosts,
    traffic,
    paceLimited: paces[Math.floor(paces.length / 2)] ?? 0.6 * 5,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  }
}

type IngestReport = { videos: number; listingMs: number; unchangedMs: number; unchangedRequests: number; pages: number; detailsMs: number; peakRss: Memory; cpuSeconds: number }

// Phase 2: CPU-bound, politeness off: the listing phase of every instance, an unchanged re-crawl, then the details.
// Politeness off is no pace (1,000 requests/s per host) and four requests at once per host: with one, the few large
// instances left at the end wait for their own answers one page at a time, which measures the round trip, not the
// crawler's CPU.
async function ingest(dir: string): Promise<IngestReport> {
  const fed = await federation({ instances: INGEST_INSTANCES, videos: INGEST_VIDEOS, zipf: ZIPF, storms: 0, slow: 0, slowMs: 0, politeness: 'off', seed: 2 })
  const config: Config = parseConfig({
    database: { path: join(dir, 'ingest.db') },
    instances: { listUrl: fed.listUrl },
    crawl: { useHttp: true, allowPrivateAddresses: true, perHostRequestsPerSecond: 1000, perHostConcurrency: 4, budgetRequests: 1_000_000, budgetSeconds: 86_400 },
  })
  const db = freshDb(dir, 'ingest.db')
  const fetcher = createFetcher(config.crawl)
  await refreshInstances(db, config, fetcher, new AbortController().signal)
  const instances = allInstances(db)
  // crawl.concurrency turns at once, as the scheduler would run them.
  const pool = async (turn: (i: { id: number; host: string }) => Promise<InstanceCrawlResult>) => {
    let next = 0
    const results: InstanceCrawlResult[] = []
    const worker = async () => {
      while (next < instances.length) results.push(await turn(instances[next++]!))
    }
    const started = performance.now()
    await Promise.all(Array.from({ length: Math.min(config.crawl.concurrency, instances.length) }, worker))
    return { results, ms: performance.now() - started }
  }
  log(`ingest: ${INGEST_INSTANCES} instances, ${INGEST_VIDEOS} videos, politeness off`)
  const cpuBefore = process.cpuUsage()
  const { value, peak } = await withPeakRss(async () => {
    const listing = await pool((i) => crawlInstance({ db, config, fetcher }, i, { details: false }))
    log(`ingest: listed in ${seconds(listing.ms)}`)
    const unchanged = await pool((i) => crawlInstance({ db, config, fetcher }, i, { details: false }))
    log(`ingest: unchanged re-crawl in ${seconds(unchanged.ms)}`)
    const details = await pool((i) => crawlInstance({ db, config, fetcher }, i, { listing: false }))
    log(`ingest: details in ${seconds(details.ms)}`)
    return { listing, unchanged, details }
  })
  const cpu = process.cpuUsage(cpuBefore)
  const videos = db.prepare('SELECT count(*) FROM videos').pluck().get() as number
  await fetcher.close()
  await fed.close()
  db.close()
  return {
    videos,
    listingMs: value.listing.ms,
    unchangedMs: value.unchanged.ms,
    unchangedRequests: value.unchanged.results.reduce((n, r) => n + r.requests, 0),
    pages: value.unchanged.results.reduce((n, r) => n + r.requests, 0) - 4 * instances.length,
    detailsMs: value.details.ms,
    peakRss: peak,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  }
}

const dir = mkdtempSync(join(tmpdir(), 'sepia-bench-crawl-'))
const defaults = parseConfig({}).crawl
const lines: string[] = [
  `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}.`,
  `Crawler defaults: concurrency ${defaults.concurrency}, ${defaults.perHostRequestsPerSecond} request/s to start, at most ${defaults.rateLimitShare} of an advertised limit, turns of ${defaults.budgetRequests} requests or ${defaults.budgetSeconds} s.`,
  '',
]
try {
  let paceLimited = (defaults.rateLimitShare * 50) / 11
  let ingestRate = 0
  if (PHASES.has('politeness')) {
    const p = await politeness(dir)
    paceLimited = p.paceLimited
    const kinds = (k: HostInfo['kind']) => p.hosts.filter((h) => h.kind === k).length
    lines.push(
      `### At default politeness: ${INSTANCES} instances, ${VIDEOS.toLocaleString('en')} videos (Zipf ${ZIPF}; largest ${Math.max(...p.hosts.map((h) => h.videos))})`,
      '',
      `${kinds('limited')} behind PeerTube's limiter (50 requests per 10 s), ${kinds('storms')} of them with a 10 s storm of 429 every minute, ${kinds('slow')} answering in ${SLOW_MS} ms; the real scheduler, every setting at its default.`,
      '',
      '| measure | value |',
      '|---|---:|',
      `| first video searchable | ${seconds(p.firstVideoMs)} |`,
      `| every listed video searchable | ${seconds(p.listedAllMs)} |`,
      `| every video with its details | ${seconds(p.detailsAllMs)} |`,
      `| requests per video | ${(p.requests / p.totalVideos).toFixed(2)} |`,
      `| most requests a host saw in 10 s (limit 50) | ${p.maxIn10s} |`,
      `| requests refused by a limiter (over the limit) | ${p.limiterRefused} |`,
      `| 429 answered by storms, waited out | ${p.stormRefused} |`,
      `| pace of a busy limited host (median, requests/s) | ${p.paceLimited.toFixed(2)} |`,
      `| peak memory: private (RSS, with the mapped database) | ${mb(p.peakRss.anon)} (${mb(p.peakRss.rss)}) |`,
      `| CPU used | ${p.cpuSeconds.toFixed(1)} s |`,
      '',
    )
    // The model against the run it describes: the same sizes and paces (slow hosts: one request per SLOW_MS).
    const paceOf = (h: HostInfo) => (h.kind === 'slow' ? Math.min(paceLimited, 1000 / SLOW_MS) : h.kind === 'storms' ? paceLimited * (50 / 60) : paceLimited)
    const model = simulateFirstIndex({ sizes: p.hosts.map((h) => h.videos), paces: p.hosts.map(paceOf), slots: defaults.concurrency, largestSlots: largestDetailsSlots(defaults.concurrency), budgetRequests: defaults.budgetRequests, budgetSeconds: defaults.budgetSeconds })
    lines.push(`The model of the first index (bench/crawl-model.ts), on this federation: every listed video searchable after ${seconds(model.listedAll * 1000)} (measured ${seconds(p.listedAllMs)}), every detail in after ${seconds(model.detailsAll * 1000)} (measured ${seconds(p.detailsAllMs)}).`, '')
  }
  if (PHASES.has('ingest')) {
    const g = await ingest(dir)
    ingestRate = g.videos / (g.listingMs / 1000)
    lines.push(
      `### CPU-bound ingest: ${INGEST_INSTANCES} instances, ${g.videos.toLocaleString('en')} videos, politeness off`,
      '',
      '| measure | value |',
      '|---|---:|',
      `| listing pages: videos written and searchable per second | ${Math.round(g.videos / (g.listingMs / 1000)).toLocaleString('en')} |`,
      `| unchanged re-crawl (listing pages only: ${g.unchangedRequests} requests) | ${seconds(g.unchangedMs)} |`,
      `| details: videos completed per second | ${Math.round(g.videos / (g.detailsMs / 1000)).toLocaleString('en')} |`,
      `| peak memory: private (RSS, with the mapped database) | ${mb(g.peakRss.anon)} (${mb(g.peakRss.rss)}) |`,
      `| CPU used | ${g.cpuSeconds.toFixed(1)} s |`,
      '',
    )
  }
  // The projection: the real federation's size, the paces measured above, the crawler's defaults; the listing can
  // be no faster than the ingest measured with politeness off.
  const sizes = zipfSizes(REAL_INSTANCES, REAL_VIDEOS, ZIPF)
  const paces = sizes.map((_, i) => (i % 10 === 9 ? Math.min(paceLimited, 1000 / SLOW_MS) : i % 10 === 8 ? paceLimited * (50 / 60) : paceLimited))
  const real = simulateFirstIndex({ sizes, paces, slots: defaults.concurrency, largestSlots: largestDetailsSlots(defaults.concurrency), budgetRequests: defaults.budgetRequests, budgetSeconds: defaults.budgetSeconds })
  const hours = (s: number) => (s < 3600 ? `${(s / 60).toFixed(0)} min` : `${(s / 3600).toFixed(1)} h`)
  const cpuFloor = ingestRate ? REAL_VIDEOS / ingestRate : 0
  lines.push(
    `### Projection to the real federation: ${REAL_INSTANCES.toLocaleString('en')} instances, ${REAL_VIDEOS.toLocaleString('en')} videos (largest ${sizes[0]!.toLocaleString('en')})`,
    '',
    `At ${paceLimited.toFixed(2)} requests/s per limited host (as measured), one in ten hosts slow, one in ten with storms, ${defaults.concurrency} instances at once` +
      (ingestRate ? `, and no faster than the ingest measured above (${Math.round(ingestRate)} videos/s: ${hours(cpuFloor)} for the listings):` : ':'),
    '',
    '| milestone | projected |',
    '|---|---:|',
    `| every listed video searchable | ${hours(Math.max(real.listedAll, cpuFloor))} |`,
    `| half the instances with all their details | ${hours(real.medianDetailsDone)} |`,
    `| every video with its details | ${hours(real.detailsAll)} |`,
    `| the largest instance's details alone, at its own pace | ${hours(real.largestDetailsAlone)} |`,
  )
  console.log(lines.join('\n'))
} finally {
  rmSync(dir, { recursive: true, force: true })
}
