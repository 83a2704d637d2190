// The crawl benchmark's federation, in a process of its own so that serving it does not take the crawler's CPU: fake
// PeerTube instances (test/fake/) of Zipf-distributed sizes over real HTTP on 127.0.0.1, most behind PeerTube's
// rate limiter (50 requests per 10 s), some with recurring 429 storms, some slow to answer, and a JoinPeerTube-style
// list naming them all. Driven over IPC by crawl.bench.ts: it says what to build, asks for the traffic each host
// saw, then closes it.
import { createServer } from 'node:http'
import { fakeRequest, listen, route, send, startFakeInstance, type FakeInstance } from '../test/fake/instance.ts'
import { createFactories } from '../test/fake/factories.ts'
import type { FakeRequest, FakeResponse, FakeVideo } from '../test/fake/types.ts'
import { PAGE_SIZE } from '../src/crawler/peertube.ts'
import { randomUuid, seededRandom } from '../test/fake/random.ts'

/** What to build. */
export type FederationShape = {
  instances: number
  videos: number
  /** Exponent of the Zipf law of instance sizes (0.65 gives the real federation's largest share, about 2.5 %). */
  zipf: number
  /** Share of instances with recurring 429 storms, and of slow ones (the rest just have PeerTube's limiter). */
  storms: number
  slow: number
  slowMs: number
  /** 'real': PeerTube's limiter on every instance, storms and slow hosts; 'off': none of it (CPU-bound ingest). */
  politeness: 'real' | 'off'
  seed: number
}

/** One host of the federation, as the benchmark reports it. */
export type HostInfo = { host: string; videos: number; kind: 'limited' | 'storms' | 'slow' | 'open' }

/** The traffic a host saw. */
export type HostTraffic = { host: string; requests: number; maxIn10s: number; limiterRefused: number; stormRefused: number }

/** Messages from the parent. */
export type ToFederation = { kind: 'start'; shape: FederationShape } | { kind: 'traffic' } | { kind: 'close' }
/** Messages to the parent. */
export type FromFederation =
  | { kind: 'ready'; listUrl: string; hosts: HostInfo[]; videos: number }
  | { kind: 'traffic'; hosts: HostTraffic[] }

/** Instance sizes: `total` videos over `n` instances by a Zipf law (the largest first). */
export function zipfSizes(n: number, total: number, s: number): number[] {
  const weights = Array.from({ length: n }, (_, i) => 1 / Math.pow(i + 1, s))
  const sum = weights.reduce((a, b) => a + b, 0)
  const sizes = weights.map((w) => Math.floor((w / sum) * total))
  // Round to the exact total, giving the remainder to the largest.
  sizes[0]! += total - sizes.reduce((a, b) => a + b, 0)
  return sizes
}

const PEERTUBE_LIMIT = { limit: 50, windowMs: 10_000 }

async function build(shape: FederationShape): Promise<{ instances: FakeInstance[]; info: HostInfo[]; listUrl: string; close(): Promise<void> }> {
  const random = seededRandom(shape.seed)
  const make = createFactories(shape.seed, '2020-01-01T00:00:00.000Z')
  const sizes = zipfSizes(shape.instances, shape.videos, shape.zipf)
  const instances: FakeInstance[] = []
  const info: HostInfo[] = []
  const started = Date.now()
  for (const [i, size] of sizes.entries()) {
    const videos: FakeVideo[] = Array.from({ length: size }, (_, j) =>
      make.video({ name: `Video ${j} of instance ${i}`, uuid: randomUuid(random), description: `Video ${j}. `.repeat(20 + (j % 30)), tags: ['bench', `i${i}`] }),
    )
    const draw = random()
    const kind: HostInfo['kind'] = shape.politeness === 'off' ? 'open' : draw < shape.storms ? 'storms' : draw < shape.storms + shape.slow ? 'slow' : 'limited'
    const inst = await startFakeInstance({
      name: `Bench ${i}`,
      version: '7.1.0',
      videos,
      rateLimit: kind === 'open' ? undefined : PEERTUBE_LIMIT,
      latencyMs: kind === 'slow' ? shape.slowMs : undefined,
    })
    const cache = new Map<string, FakeResponse>()
    const answer = (r: FakeRequest): FakeResponse => {
      let cached = cache.get(r.url)
      if (!cached) {
        const fresh = route(inst, r)
        cache.set(r.url, (cached = fresh.body === undefined ? fresh : { ...fresh, raw: JSON.stringify(fresh.body), body: undefined }))
      }
      return cached
    }
    // The listing pages are rendered before the run, so that the crawler's measured time is not the fake's work
    // (it sorts the whole instance for every page). The path is the one src/crawler/peertube.ts asks for; a
    // different path would only be rendered on demand, as any other request is.
    for (let start = 0; start < size; start += PAGE_SIZE) {
      const url = `/api/v1/videos?isLocal=true&nsfw=both&sort=-publishedAt&start=${start}&count=${PAGE_SIZE}`
      answer({ method: 'GET', path: '/api/v1/videos', query: Object.fromEntries(new URL(url, 'http://fake').searchParams), url, at: Date.now() })
    }
    let stormRefused = 0
    inst.spec.respond = (r) => {
      // A storm of 10 s every minute (each host at its own phase): everything refused, Retry-After 5.
      if (kind === 'storms' && (r.at - started + i * 7919) % 60_000 < 10_000) {
        stormRefused++
        return { status: 429, headers: { 'retry-after': '5' }, body: { status: 429, detail: 'storm' } }
      }
      // Answers are the same for the same URL (nothing changes during a run): served from a cache of their JSON.
      return answer(r)
    }
    Object.assign(inst, { stormRefused: () => stormRefused })
    instances.push(inst)
    info.push({ host: inst.host, videos: size, kind })
  }
  const list = createServer((req, res) => {
    const r = fakeRequest(req)
    const start = Number(r.query.start ?? 0)
    const count = Math.min(Number(r.query.count ?? 20), 1000)
    send(res, { status: 200, body: { total: instances.length, data: instances.slice(start, start + count).map((x) => ({ host: x.host })) } })
  })
  const port = await listen(list)
  return {
    instances,
    info,
    listUrl: `http://127.0.0.1:${port}/api/v1/instances/hosts`,
    close: async () => {
      await Promise.all(instances.map((x) => x.close()))
      list.closeAllConnections()
      list.close()
    },
  }
}

/** The most requests in any window of `ms` (sorted times, two pointers). */
export function maxInWindow(times: number[], ms: number): number {
  let best = 0
  for (let lo = 0, hi = 0; hi < times.length; hi++) {
    while (times[hi]! - times[lo]! >= ms) lo++
    best = Math.max(best, hi - lo + 1)
  }
  return best
}

if (process.send) {
  let federation: Awaited<ReturnType<typeof build>> | null = null
  process.on('message', async (m: ToFederation) => {
    if (m.kind === 'start') {
      federation = await build(m.shape)
      const reply: FromFederation = { kind: 'ready', listUrl: federation.listUrl, hosts: federation.info, videos: m.shape.videos }
      process.send!(reply)
    } else if (m.kind === 'traffic' && federation) {
      const hosts = federation.instances.map((inst) => ({
        host: inst.host,
        requests: inst.requests.length,
        maxIn10s: maxInWindow(inst.requests.filter((r) => r.path.startsWith('/api/')).map((r) => r.at), 10_000),
        limiterRefused: inst.limiter.refused,
        stormRefused: (inst as FakeInstance & { stormRefused: () => number }).stormRefused(),
      }))
      const reply: FromFederation = { kind: 'traffic', hosts }
      process.send!(reply)
    } else if (m.kind === 'close') {
      await federation?.close()
      process.exit(0)
    }
  })
}
