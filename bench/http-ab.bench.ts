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
import { benchDb, benchSize } from './generate.ts'
import { freePort, load, percentiles, quantile, type LoadResult } from './http-load.ts'

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

const summary = (r: LoadResult) => `${(r.samples.length / r.seconds).toFixed(0)} requests/s, p50 / p95 / p99 ${percentiles(r.samples)} ms`
const p99 = (r: LoadResult) => quantile(r.samples.map((s) => s.ms).sort((a, b) => a - b), 0.99)

const servers: ChildProcess[] = []
try {
  const sides = [
    { name: 'old', exe: oldExe, port: await freePort(), all: [] as LoadResult['samples'], lowerP99: 0 },
    { name: 'new', exe: newExe, port: await freePort(), all: [] as LoadResult['samples'], lowerP99: 0 },
  ]
  for (const side of sides) servers.push(await serve(side.exe, side.port))
  for (const side of sides) await load(side.port, clients, 5, 1)
  for (let round = 0; round < rounds; round++) {
    // Both get the same requests in a round (drawn from its number), in alternating order.
    const measured = new Map<string, number>()
    for (const side of round % 2 ? [...sides].reverse() : sides) {
      const result = await load(side.port, clients, slice, 100 + round)
      if (result.samples.some((s) => !s.ok)) throw new Error(`${side.exe} answered errors`)
      side.all.push(...result.samples)
      measured.set(side.name, p99(result))
      log(`round ${round + 1} ${side.name}: ${summary(result)}`)
    }
    ;(measured.get('old')! <= measured.get('new')! ? sides[0]! : sides[1]!).lowerP99++
  }
  console.log(`${clients} clients, ${rounds} rounds of ${slice} s on each executable in turn (default workers), the mix of bench/mixed.ts.`)
  for (const side of sides) {
    console.log(`${side.name} (${side.exe}): ${summary({ seconds: slice * rounds, samples: side.all, clientCpuMs: 0 })}; the lower p99 in ${side.lowerP99} of ${rounds} rounds`)
  }
} finally {
  for (const child of servers) child.kill('SIGTERM')
  rmSync(dir, { recursive: true, force: true })
}
