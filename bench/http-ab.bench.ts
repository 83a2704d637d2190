// `npm run bench:http-ab -- OLD NEW`: two builds of the executable compared at the same moments. Both serve the
// synthetic index at once (default workers each), and 16 clients send bench/mixed.ts's load to one, then the other,
// in short slices, the order alternating each round: on a machine whose speed drifts (shared hosts), consecutive
// runs of `npm run bench:http` differ more than two versions of the code do, and this compares the code.
// Build the old one with `npx tsx scripts/build.ts --out /tmp/sepia-old` in a checkout of the old commit.
// Options (environment): BENCH_VIDEOS (index size, default 1 M), BENCH_CLIENTS (16), BENCH_SLICE_SECONDS (12),
// BENCH_ROUNDS (6).
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { Client } from 'undici'
import { benchDb, benchSize } from './generate.ts'
import { mixedRequests } from './mixed.ts'

const DATA_DIR = fileURLToPath(new URL('./data/', import.meta.url))
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback)
const clients = env('BENCH_CLIENTS', 16)
const slice = env('BENCH_SLICE_SECONDS', 12)
const rounds = env('BENCH_ROUNDS', 6)
const [oldExe, newExe] = process.argv.slice(2).map((p) => resolve(p))
const log = (msg: string) => process.stderr.write(`${new Date().toISOString()} ${msg}\n`)
if (!oldExe || !newExe) {
  log('usage: npm run bench:http-ab -- OLD_EXECUTABLE NEW_EXECUTABLE')
  process.exit(2)
}

const { db, path } = benchDb(DATA_DIR, benchSize(env('BENCH_VIDEOS', 1_000_000)), log)
db.close()
const dir = mkdtempSync(join(tmpdir(), 'sepia-bench-ab-'))
const config = join(dir, 'sepia.config.json')
writeFileSync(config, JSON.stringify({ database: { path }, instances: { listUrl: null } }))

/** Starts one executable on a port and resolves once it answers. */
async function serve(exe: string, port: number): Promise<ChildProcess> {
  const child = spawn(exe, ['serve', '--config', config, '--port', String(port), '--no-crawl'], { stdio: 'ignore' })
  for (let tries = 0; ; tries++) {
    if (child.exitCode !== null || tries > 1000) throw new Error(`${exe} did not start`)
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/config`)
      await res.arrayBuffer()
      if (res.ok) return child
    } catch {
      // Not listening yet.
    }
    await sleep(20)
  }
}

const requests = mixedRequests(20_000, 9)
let next = 0
/** Latencies (ms) of the mix sent back to back by the clients, each from its own loopback address, for `seconds`. */
async function load(port: number, seconds: number): Promise<number[]> {
  const latencies: number[] = []
  const end = performance.now() + seconds * 1000
  await Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      const client = new Client(`http://127.0.0.1:${port}`, { pipelining: 1, localAddress: `127.0.0.${10 + i}` })
      try {
        while (performance.now() < end) {
          const { path: url } = requests[next++ % requests.length]!
          const started = performance.now()
          const res = await client.request({ method: 'GET', path: url })
          await res.body.arrayBuffer()
          if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`)
          latencies.push(performance.now() - started)
        }
      } finally {
        await client.close()
      }
    }),
  )
  return latencies
}

const quantile = (xs: number[], q: number) => {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!
}
const summary = (xs: number[], seconds: number) =>
  `${(xs.length / seconds).toFixed(0)} requests/s, p50 / p95 / p99 ${[0.5, 0.95, 0.99].map((q) => quantile(xs, q).toFixed(1)).join(' / ')} ms`

const servers: ChildProcess[] = []
try {
  const sides = [
    { name: 'old', exe: oldExe, port: 18_961, latencies: [] as number[], lowerP99: 0 },
    { name: 'new', exe: newExe, port: 18_962, latencies: [] as number[], lowerP99: 0 },
  ]
  for (const side of sides) servers.push(await serve(side.exe, side.port))
  for (const side of sides) await load(side.port, 5)
  for (let round = 0; round < rounds; round++) {
    const p99 = new Map<string, number>()
    for (const side of round % 2 ? [...sides].reverse() : sides) {
      const latencies = await load(side.port, slice)
      side.latencies.push(...latencies)
      p99.set(side.name, quantile(latencies, 0.99))
      log(`round ${round + 1} ${side.name}: ${summary(latencies, slice)}`)
    }
    const best = p99.get('old')! <= p99.get('new')! ? sides[0]! : sides[1]!
    best.lowerP99++
  }
  console.log(`${clients} clients, ${rounds} rounds of ${slice} s on each executable in turn (default workers), the mix of bench/mixed.ts.`)
  for (const side of sides) console.log(`${side.name} (${side.exe}): ${summary(side.latencies, slice * rounds)}; the lower p99 in ${side.lowerP99} of ${rounds} rounds`)
} finally {
  for (const child of servers) child.kill('SIGTERM')
  rmSync(dir, { recursive: true, force: true })
}
