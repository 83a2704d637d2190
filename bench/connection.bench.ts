// `npm run bench:connection`: the SQLite connection settings of the HTTP workers, side by side. Each variant runs in
// a fresh process (its own connection, its own memory) the same mixed requests (bench/mixed.ts) through the real
// app in process (routing, search, JSON or HTML), first on the new connection, then again with other words once
// the connection has run a pass, and reports the time per request, the CPU time per request (less disturbed by
// other work on the machine than wall time) and the private memory the process ended with. One untimed pass
// before them all puts the index in the OS page cache, as on a server that has run for a while. The variants run
// in turn, round after round, and each number is the median of the rounds.
// Options (environment): BENCH_VIDEOS (index size, default 1 M), BENCH_REQUESTS (per pass, default 400),
// BENCH_ROUNDS (default 3).
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'
import { benchDb, benchSize, GENERATOR_VERSION } from './generate.ts'
import { mixedRequests } from './mixed.ts'
import { parseConfig } from '../src/config/config.ts'
import { openDb } from '../src/db/open.ts'
import { createApp } from '../src/http/app.ts'

const DATA_DIR = fileURLToPath(new URL('./data/', import.meta.url))
const size = benchSize(Number(process.env.BENCH_VIDEOS ?? 1_000_000))
const perPass = Number(process.env.BENCH_REQUESTS ?? 400)
const rounds = Number(process.env.BENCH_ROUNDS ?? 3)

/** The settings compared: SQLite's page cache per connection (private memory) and memory-mapped reads (the OS's). */
const VARIANTS: Record<string, string[]> = {
  'page cache 16 MB, no mmap (better-sqlite3 default; the baseline)': ['cache_size = -16000', 'mmap_size = 0'],
  'page cache 64 MB, no mmap': ['cache_size = -65536', 'mmap_size = 0'],
  'page cache 256 MB, no mmap': ['cache_size = -262144', 'mmap_size = 0'],
  'page cache 16 MB, mmap 2 GB': ['cache_size = -16000', 'mmap_size = 2147418112'],
  'page cache 64 MB, mmap 2 GB': ['cache_size = -65536', 'mmap_size = 2147418112'],
  'what openDb sets now': [],
}

type PassResult = { p50: number; p95: number; p99: number; cpu: number }
type VariantResult = { first: PassResult; second: PassResult; privateMiB: number }

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!

// In a child process: one variant, two passes, the result as JSON on stdout.
async function runVariant(path: string, name: string): Promise<VariantResult> {
  const db = openDb(path)
  for (const pragma of VARIANTS[name] ?? []) db.pragma(pragma)
  const app = createApp({ db, config: parseConfig({ database: { path } }) })
  const pass = async (seed: number): Promise<PassResult> => {
    const times: number[] = []
    const cpuBefore = process.cpuUsage()
    for (const { path: url } of mixedRequests(perPass, seed)) {
      const started = performance.now()
      const res = await app.request(url)
      await res.arrayBuffer()
      if (res.status !== 200) throw new Error(`${url} answered ${res.status}`)
      times.push(performance.now() - started)
    }
    const cpu = process.cpuUsage(cpuBefore)
    times.sort((a, b) => a - b)
    return { p50: quantile(times, 0.5), p95: quantile(times, 0.95), p99: quantile(times, 0.99), cpu: (cpu.user + cpu.system) / 1000 / times.length }
  }
  const first = await pass(101)
  const second = await pass(202)
  // Anonymous memory only: pages of a memory-mapped database file count in the RSS but belong to the OS's cache,
  // shared by every process that maps the file.
  const privateMiB = Number(/RssAnon:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024
  db.close()
  return { first, second, privateMiB }
}

function inChild(path: string, name: string): VariantResult {
  const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), path, name], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  if (r.status !== 0) throw new Error(`variant "${name}" failed (${r.status ?? r.signal})`)
  return JSON.parse(r.stdout) as VariantResult
}

const log = (msg: string) => process.stderr.write(`${new Date().toISOString()} ${msg}\n`)

if (process.argv.length > 3) {
  process.stdout.write(JSON.stringify(await runVariant(process.argv[2]!, process.argv[3]!)))
} else {
  const { db, path, built } = benchDb(DATA_DIR, size, log)
  db.close()
  log('warming the OS page cache with one untimed pass')
  inChild(path, 'what openDb sets')
  const results = new Map<string, VariantResult[]>(Object.keys(VARIANTS).map((name) => [name, []]))
  for (let round = 1; round <= rounds; round++) {
    for (const name of Object.keys(VARIANTS)) {
      log(`round ${round}/${rounds}: ${name}`)
      results.get(name)!.push(inChild(path, name))
    }
  }
  const median = (values: number[]) => quantile([...values].sort((a, b) => a - b), 0.5)
  const ms = (pick: (r: VariantResult) => number, list: VariantResult[]) => median(list.map(pick)).toFixed(1)
  const rows = [...results].map(([name, list]) =>
    `| ${name} | ${ms((r) => r.first.p50, list)} / ${ms((r) => r.first.p99, list)} | ` +
    `${ms((r) => r.second.p50, list)} / ${ms((r) => r.second.p95, list)} / ${ms((r) => r.second.p99, list)} | ` +
    `${ms((r) => r.second.cpu, list)} | ${Math.round(median(list.map((r) => r.privateMiB)))} |`,
  )
  console.log(
    [
      `Index: ${size.videos.toLocaleString('en')} videos (generator v${GENERATOR_VERSION}${built ? ', just built' : ', cached'}). ` +
        `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}.`,
      `${perPass} mixed requests per pass, in process through the app; medians of ${rounds} rounds; ms. Private memory: the process's anonymous RSS after both passes.`,
      '',
      '| connection settings | new connection p50 / p99 | second pass p50 / p95 / p99 | CPU per request | private MiB |',
      '|---|---:|---:|---:|---:|',
      ...rows,
    ].join('\n'),
  )
}
