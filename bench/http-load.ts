// The mixed load of bench/mixed.ts over real sockets, shared by bench:http and bench:http-ab: keep-alive clients,
// each from its own loopback address (so that fair sharing sees as many visitors), sending requests back to back.
import { once } from 'node:events'
import { createServer } from 'node:net'
import { Client } from 'undici'
import { mixedRequests } from './mixed.ts'

/** One answered (or failed) request: its class, its latency, whether it was a 200. */
export type Sample = { name: string; ms: number; ok: boolean }
/** What one load measured, with the CPU the clients themselves used. */
export type LoadResult = { seconds: number; samples: Sample[]; clientCpuMs: number }

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  server.close()
  await once(server, 'close')
  return port
}

/** `clients` keep-alive connections sending the mix (requests drawn from `seed`) back to back for `duration` seconds. */
export async function load(port: number, clients: number, duration: number, seed: number): Promise<LoadResult> {
  const requests = mixedRequests(20_000, seed)
  let next = 0
  const samples: Sample[] = []
  const cpuBefore = process.cpuUsage()
  const started = performance.now()
  const end = started + duration * 1000
  await Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      const client = new Client(`http://127.0.0.1:${port}`, { pipelining: 1, localAddress: `127.0.0.${10 + i}` })
      try {
        while (performance.now() < end) {
          const { name, path } = requests[next++ % requests.length]!
          const t = performance.now()
          let ok = false
          try {
            const res = await client.request({ method: 'GET', path })
            await res.body.arrayBuffer()
            ok = res.statusCode === 200
          } catch {
            // Counted as an error below.
          }
          samples.push({ name, ms: performance.now() - t, ok })
        }
      } finally {
        await client.close()
      }
    }),
  )
  const cpu = process.cpuUsage(cpuBefore)
  return { seconds: (performance.now() - started) / 1000, samples, clientCpuMs: (cpu.user + cpu.system) / 1000 }
}

/** The q-quantile of sorted numbers (NaN when there are none). */
export const quantile = (sorted: number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : NaN)

/** "p50 / p95 / p99" of the samples' latencies, in ms. */
export const percentiles = (samples: Sample[]) => {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b)
  return `${quantile(ms, 0.5).toFixed(1)} / ${quantile(ms, 0.95).toFixed(1)} / ${quantile(ms, 0.99).toFixed(1)}`
}
