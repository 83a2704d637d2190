// `npm run bench:http`: the built executable (dist/sepia) serving the synthetic index over real sockets, with one
// HTTP worker and with the default (one per core), side by side in one run. For each: the start-up time from
// launching the executable to the first answered request (median of a few starts, on the existing index), then
// 16 clients, each from its own loopback address (127.0.0.x, so fair sharing sees 16 visitors) on its own
// keep-alive connection, sending the mixed load of bench/mixed.ts back to back for a fixed time after an untimed
// warm-up; it reports requests per second, latency percentiles and errors, overall and per class. The clients run
// in this process, on the same cores: their own CPU use is reported too.
// Options (environment): BENCH_VIDEOS (index size, default 1 M), BENCH_CLIENTS (default 16), BENCH_SECONDS
// (measured time per configuration, default 30), BENCH_WARMUP_SECONDS (default 10), BENCH_STARTS (default 3),
// BENCH_EXECUTABLE (default dist/sepia).
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { benchDb, benchSize, GENERATOR_VERSION } from './generate.ts'
import { freePort, load, percentiles, quantile, type LoadResult } from './http-load.ts'
import { requestClasses } from './mixed.ts'

const DATA_DIR = fileURLToPath(new URL('./data/', import.meta.url))
const ROOT = fileURLToPath(new URL('../', import.meta.url))
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback)
const size = benchSize(env('BENCH_VIDEOS', 1_000_000))
const clients = env('BENCH_CLIENTS', 16)
const seconds = env('BENCH_SECONDS', 30)
const warmupSeconds = env('BENCH_WARMUP_SECONDS', 10)
const starts = env('BENCH_STARTS', 3)
const executable = process.env.BENCH_EXECUTABLE ?? join(ROOT, 'dist/sepia')

const log = (msg: string) => process.stderr.write(`${new Date().toISOString()} ${msg}\n`)

type Configuration = { label: string; args: string[] }

/** Launches `sepia serve` and resolves when a request is answered, with the time that took. */
async function launch(config: string, port: number, args: string[]): Promise<{ child: ChildProcess; port: number; startupMs: number }> {
  const started = performance.now()
  const child = spawn(executable, ['serve', '--config', config, '--port', String(port), '--no-crawl', ...args], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr!.on('data', (d) => (stderr += d))
  let exited = false
  child.once('exit', () => (exited = true))
  // Nothing tells from outside when the socket opens: try every 5 ms, as a client waiting for it would.
  for (;;) {
    if (exited) throw new Error(`sepia serve exited before answering:\n${stderr}`)
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/config`)
      await res.arrayBuffer()
      if (res.status === 200) return { child, port, startupMs: performance.now() - started }
    } catch {
      // Not listening yet.
    }
    await sleep(5)
  }
}

async function stop(child: ChildProcess): Promise<void> {
  const exit = once(child, 'exit')
  child.kill('SIGTERM')
  await exit
}

if (!existsSync(executable)) {
  log(`${executable} does not exist: run npm run build first (npm run bench:http does)`)
  process.exit(1)
}
const { db, path, built } = benchDb(DATA_DIR, size, log)
db.close()
const dir = mkdtempSync(join(tmpdir(), 'sepia-bench-http-'))
const configFile = join(dir, 'sepia.config.json')
writeFileSync(configFile, JSON.stringify({ database: { path }, instances: { listUrl: null } }))

const cores = availableParallelism()
const configurations: Configuration[] = [
  { label: '--workers 1', args: ['--workers', '1'] },
  { label: `default (${cores} HTTP workers)`, args: [] },
]
const results: { config: Configuration; startupMs: number[]; run: LoadResult }[] = []
try {
  for (const config of configurations) {
    const startupMs: number[] = []
    let server: Awaited<ReturnType<typeof launch>> | null = null
    for (let i = 0; i < starts; i++) {
      if (server) await stop(server.child)
      server = await launch(configFile, await freePort(), config.args)
      startupMs.push(server.startupMs)
    }
    const { child, port } = server!
    log(`${config.label}: started in ${startupMs.map((ms) => Math.round(ms)).join(', ')} ms; warming up for ${warmupSeconds} s`)
    await load(port, clients, warmupSeconds, 1)
    log(`${config.label}: measuring for ${seconds} s`)
    const run = await load(port, clients, seconds, 2)
    await stop(child)
    results.push({ config, startupMs, run })
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}

const header = `| | ${results.map((r) => r.config.label).join(' | ')} |`
const rule = `|---|${results.map(() => '---:').join('|')}|`
const row = (name: string, cell: (r: (typeof results)[number]) => string) => `| ${name} | ${results.map(cell).join(' | ')} |`
const rate = (r: (typeof results)[number]) => r.run.samples.length / r.run.seconds
const lines = [
  `Index: ${size.videos.toLocaleString('en')} videos (generator v${GENERATOR_VERSION}${built ? ', just built' : ', cached'}). ` +
    `Machine: ${cores} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}.`,
  `${clients} clients, each from its own address on a keep-alive connection, the mix of bench/mixed.ts back to back for ${seconds} s after ${warmupSeconds} s of warm-up; ms.`,
  '',
  header,
  rule,
  row('requests/s', (r) => rate(r).toFixed(0)),
  row('latency p50 / p95 / p99', (r) => percentiles(r.run.samples)),
  row('errors', (r) => `${r.run.samples.filter((s) => !s.ok).length} of ${r.run.samples.length}`),
  row(`start-up to first answer (median of ${starts})`, (r) => `${Math.round(quantile([...r.startupMs].sort((a, b) => a - b), 0.5))}`),
  row('CPU used by the load generator', (r) => `${Math.round((100 * r.run.clientCpuMs) / 1000 / r.run.seconds)}% of a core`),
  '',
  `Per class, latency p50 / p95 / p99:`,
  '',
  `| class | ${results.map((r) => r.config.label).join(' | ')} |`,
  rule,
  ...requestClasses().map((c) => row(c.name, (r) => percentiles(r.run.samples.filter((s) => s.name === c.name)))),
]
if (results.length === 2) lines.push('', `Throughput of the default over --workers 1: ${(rate(results[1]!) / rate(results[0]!)).toFixed(2)}×`)
console.log(lines.join('\n'))
