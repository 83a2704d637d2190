// Fair sharing over real sockets, against the real `sepia serve` process: clients on different loopback addresses
// (any 127.x.y.z is this machine) compete, and what each gets is read from the order of the answers, not from
// timings: how many of the flooder's answers arrive while a client waits for its own. (The mechanics, in process:
// test/http/fair-share.test.ts.)
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { Agent, request } from 'node:http'
import { crawledFederation, type CrawledFederation } from '../helpers/crawled.ts'
import { startServe, type ServeProcess } from '../helpers/serve.ts'

const TIMEOUT = { timeout: 120_000 }
// The heaviest ordinary request of the standard federation: a full page of 100 videos to build and serialise.
const HEAVY = '/api/v1/search/videos?count=100&nsfw=both&sort=-publishedAt'

let fed: CrawledFederation
let serve: ServeProcess

before(async () => {
  fed = await crawledFederation()
  serve = await startServe(fed.federation.configFile(), '--no-crawl')
})
after(async () => {
  const r = await serve?.stop()
  await fed?.close()
  assert.equal(r?.code, 0, r?.stderr)
})

type Answer = { status: number; body: string }

/** A client on one local address, with keep-alive connections (as apps and PeerTube's HTTP client use). */
function client(address: string, connections: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections, localAddress: address })
  return {
    send(path: string, init: { method?: string; json?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
      const body = init.json === undefined ? undefined : JSON.stringify(init.json)
      const headers = { ...init.headers, ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }) }
      return new Promise((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: serve.port, path, method: init.method ?? 'GET', headers, agent }, (res) => {
          let text = ''
          res.setEncoding('utf8')
          res.on('data', (d) => (text += d))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
        })
        req.on('error', reject)
        req.end(body)
      })
    },
    close: () => agent.destroy(),
  }
}

/** A client sending `path` on `connections` connections back to back until stopped, counting its answers. */
function flood(address: string, connections: number, path: string) {
  const c = client(address, connections)
  const statuses: number[] = []
  // For each of its own requests: how many of its answers arrived while that one waited.
  const ownWaits: number[] = []
  const waiting: { count: number; resolve: () => void }[] = []
  let stopped = false
  const loops = Array.from({ length: connections }, async () => {
    while (!stopped) {
      const before = statuses.length
      const res = await c.send(path)
      ownWaits.push(statuses.length - before)
      statuses.push(res.status)
      for (const w of waiting.filter((w) => statuses.length >= w.count)) waiting.splice(waiting.indexOf(w), 1) && w.resolve()
    }
  })
  return {
    statuses,
    ownWaits,
    answers: () => statuses.length,
    /** Resolves once the flood has had `count` answers. */
    answered: (count: number) => new Promise<void>((resolve) => (statuses.length >= count ? resolve() : waiting.push({ count, resolve }))),
    async stop() {
      stopped = true
      await Promise.all(loops)
      c.close()
    },
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

test('fairness: a client flooding from 127.0.0.1 slows only itself; a client on 127.0.0.2 is served between its requests', TIMEOUT, async () => {
  const flooder = flood('127.0.0.1', 32, HEAVY)
  const normal = client('127.0.0.2', 1)
  const waits: number[] = []
  try {
    await flooder.answered(64)
    for (let i = 0; i < 15; i++) {
      const before = flooder.answers()
      const res = await normal.send(i % 2 ? HEAVY : '/api/v1/search/videos?search=linux')
      waits.push(flooder.answers() - before)
      assert.equal(res.status, 200)
      assert.ok((JSON.parse(res.body) as { data: unknown[] }).data.length > 0)
    }
  } finally {
    await flooder.stop()
    normal.close()
  }
  // Within 32 of the flooder's own requests, the server kept a queue of them: each waited for many of its others.
  const flooderWait = median(flooder.ownWaits.slice(64))
  assert.ok(flooderWait >= 16, `the flood had no backlog at the server (median ${flooderWait} answers during each of its requests)`)
  // Served in arrival order, the other client would wait behind that whole queue too; it waits only for its turn.
  const normalWait = median(waits)
  assert.ok(normalWait * 3 <= flooderWait, `the normal client waited for ${waits.join(' ')} of the flooder's answers; the flooder for ${flooderWait}`)
  assert.deepEqual(new Set(flooder.statuses), new Set([200]), 'a flood within the queue is slowed, not refused')
})

test('fairness: a PeerTube instance forwarding 240 searches, 8 users at a time, is never refused, even while another client floods', TIMEOUT, async () => {
  // More connections than one client's concurrency and queue (4 + 60 by default, per worker process): part of this
  // flood may be refused, never the instance.
  const flooder = flood('127.0.0.1', 80, '/api/v1/search/videos?search=linux')
  const instance = client('127.0.0.3', 24)
  const headers = { 'user-agent': 'PeerTube/8.2.3 (+https://peertube.example)' }
  const statuses: number[] = []
  const words = ['linux', 'atelier', 'cuisine', 'photographie', 'musique', 'vélo', 'jardin', 'conférence']
  // One user's search page: videos, channels and playlists at once, as PeerTube forwards them (POST, JSON).
  const searchPage = async (i: number) => {
    const common = { search: words[i % words.length], start: 0, count: 20, sort: '-match', blockedAccounts: [], blockedHosts: ['muted.example'] }
    const answers = await Promise.all([
      instance.send('/api/v1/search/videos', { method: 'POST', json: { ...common, nsfw: 'false' }, headers }),
      instance.send('/api/v1/search/video-channels', { method: 'POST', json: common, headers }),
      instance.send('/api/v1/search/video-playlists', { method: 'POST', json: common, headers }),
    ])
    statuses.push(...answers.map((a) => a.status))
  }
  try {
    await flooder.answered(100)
    let next = 0
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < 240) await searchPage(next++)
    }))
  } finally {
    await flooder.stop()
    instance.close()
  }
  assert.equal(statuses.length, 720)
  const refused = statuses.filter((s) => s !== 200)
  assert.deepEqual(refused, [], `${refused.length} of 720 forwarded requests were refused`)
  assert.ok(flooder.statuses.includes(200), 'the flood within its share was served')
  assert.ok(flooder.statuses.every((s) => s === 200 || s === 429), 'the flood past its share got 429, nothing worse')
})
