// Hostile visitors over a real socket (@hono/node-server, as `sepia serve` runs it), where the client address,
// raw bodies and connection handling are real: the per-client share of the server, body size limits, GETs carrying JSON
// bodies, and what the server remembers of its visitors (nothing: no log line, no database row).
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { readFileSync, existsSync } from 'node:fs'
import fc from 'fast-check'
import { serve } from '@hono/node-server'
import { createApp } from '../../src/http/app.ts'
import type { Config } from '../../src/config/config.ts'
import { crawledFederation, type CrawledFederation } from '../helpers/crawled.ts'
import { startServe } from '../helpers/serve.ts'
import { goodSpecs } from '../hostile/harness.ts'
import { assertNoLeak, assertSecurityHeaders } from './assertions.ts'

let fed: CrawledFederation

before(async () => {
  fed = await crawledFederation(goodSpecs())
})
after(() => fed.close())

type Served = { port: number; close(): Promise<void> }

/** The app on a real socket of 127.0.0.1, with some configuration overridden. */
async function serveApp(overrides: Record<string, unknown>): Promise<Served> {
  const config: Config = fed.federation.config(overrides)
  const app = createApp({ db: fed.db, config })
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => {
      resolve({
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done())
            ;(server as import('node:http').Server).closeAllConnections()
          }),
      })
    })
  })
}

type Answer = { status: number; headers: IncomingHttpHeaders; text: string }

/**
 * One HTTP request on a fresh connection; `body` may go with any method, GET included. `from` is the local address
 * to send from (any 127.x.y.z is this machine), so that the server sees another client.
 */
function call(port: number, path: string, init: { method?: string; headers?: Record<string, string>; body?: string; from?: string } = {}): Promise<Answer> {
  // Node sends a GET's body without framing unless told its length.
  const headers = init.body === undefined ? init.headers : { 'content-length': String(Buffer.byteLength(init.body)), ...init.headers }
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers, agent: false, localAddress: init.from }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (d) => (text += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }))
    })
    req.on('error', reject)
    req.end(init.body)
  })
}

/**
 * A search POST whose body is only half sent: it holds one of its client's turns (or a place in its queue) until
 * finish() sends the rest and returns the answer.
 */
function halfSentPost(port: number, headers: Record<string, string> = {}, search = 'linux'): { finish(): Promise<Answer> } {
  const body = JSON.stringify({ search })
  const req = httpRequest({
    host: '127.0.0.1', port, path: '/api/v1/search/videos', method: 'POST', agent: false,
    headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers },
  })
  const answer = new Promise<Answer>((resolve, reject) => {
    req.on('response', (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (d) => (text += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }))
    })
    req.on('error', reject)
  })
  req.write(body.slice(0, 5))
  return { finish: () => (req.end(body.slice(5)), answer) }
}

/**
 * Asks until the server answers 429: requests held open earlier are registered once it has read them, and from
 * then on every further request of that client is refused. Fails after 200 tries.
 */
async function untilRefused(port: number, path: string, init: Parameters<typeof call>[2] = {}): Promise<Answer> {
  for (let i = 0; i < 200; i++) {
    const res = await call(port, path, init)
    if (res.status === 429) return res
    assert.equal(res.status, 200, `${path} before the refusal`)
  }
  assert.fail(`${path} was never refused`)
}

// The node:http headers as a fetch Response's, for the shared header assertions.
const asResponse = (a: Answer) => new Response(null, { headers: Object.entries(a.headers).flatMap(([k, v]) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((x) => [k, x] as [string, string]))) })

test('visitors: a client holding more requests than its concurrency and queue gets 429 over a real socket; others do not', async () => {
  const s = await serveApp({ api: { perClientConcurrency: 1, perClientQueue: 1 } })
  try {
    // One request being answered (its body still coming) and one waiting: this client's whole share.
    const held = [halfSentPost(s.port), halfSentPost(s.port)]
    const refused = await untilRefused(s.port, '/api/v1/search/videos?search=linux', { headers: { origin: 'https://app.example' } })
    assert.equal(refused.headers['retry-after'], '1')
    assert.equal(refused.headers['content-type'], 'application/problem+json; charset=utf-8')
    assert.equal(refused.headers['access-control-allow-origin'], '*', 'browser apps can read the 429')
    assertSecurityHeaders(asResponse(refused), '429')
    assert.equal(JSON.parse(refused.text).status, 429)
    // Without listen.trustProxy, the header is the client's word, not its address.
    assert.equal((await call(s.port, '/api/v1/search/videos?search=linux', { headers: { 'x-forwarded-for': '198.51.100.7' } })).status, 429)
    // The site's searches share the same queue; pages that do not search do not wait in it.
    assert.equal((await call(s.port, '/search?search=linux')).status, 429)
    assert.equal((await call(s.port, '/')).status, 200)
    // Another address is served at once.
    assert.equal((await call(s.port, '/api/v1/search/videos?search=linux', { from: '127.0.0.2' })).status, 200)
    assert.equal((await call(s.port, '/search?search=linux', { from: '127.0.0.2' })).status, 200)
    // The held requests themselves, the waiting one included, are answered in full.
    for (const h of held) assert.equal((await h.finish()).status, 200)
    assert.equal((await call(s.port, '/api/v1/search/videos?search=linux')).status, 200)
  } finally {
    await s.close()
  }
})

test('visitors: behind a trusted proxy, each forwarded client has its own share, and junk forwarded values are harmless', async () => {
  const s = await serveApp({ api: { perClientConcurrency: 1, perClientQueue: 0 }, listen: { trustProxy: true } })
  try {
    const from = (xff: string) => call(s.port, '/api/v1/config', { headers: { 'x-forwarded-for': xff } })
    const held = halfSentPost(s.port, { 'x-forwarded-for': '203.0.113.1' })
    await untilRefused(s.port, '/api/v1/config', { headers: { 'x-forwarded-for': '203.0.113.1' } })
    // The proxy appends the real client last: what a client writes before it does not count.
    assert.equal((await from('203.0.113.1, 203.0.113.2')).status, 200)
    assert.equal((await from('203.0.113.2, 203.0.113.1')).status, 429)
    for (const junk of ['', ',', 'unknown', 'x'.repeat(2000), '::ffff:', '[::1]:80', 'a, b, c, '.repeat(100), '999.999.999.999', '2001:db8::1%eth0']) {
      const res = await from(junk)
      assert.ok(res.status === 200 || res.status === 429, `X-Forwarded-For ${junk.slice(0, 30)} → ${res.status}`)
    }
    assert.equal((await held.finish()).status, 200)
    assert.equal((await from('203.0.113.1')).status, 200)
  } finally {
    await s.close()
  }
})

test('visitors: POST bodies over api.maxBodyBytes get 413, declared or streamed, without being read whole', async () => {
  const s = await serveApp({ api: { maxBodyBytes: 4096 } })
  try {
    const declared = await call(s.port, '/api/v1/search/videos', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(50 * 1024 * 1024) },
    }).catch((err: Error) => ({ status: -1, headers: {}, text: err.message }))
    // Refused on the announced length alone (the 50 MB never came), or the connection cut.
    assert.ok(declared.status === 413 || declared.status === -1, `declared 50 MB → ${declared.status}`)

    // Chunked, no length: the server stops at the limit and answers while the client is still sending.
    const streamed = await new Promise<{ status: number; sent: number }>((resolve, reject) => {
      let sent = 0
      let answered = false
      const req = httpRequest(
        { host: '127.0.0.1', port: s.port, path: '/api/v1/search/videos', method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
        (res) => {
          answered = true
          res.resume()
          res.on('end', () => resolve({ status: res.statusCode ?? 0, sent }))
          req.destroy()
        },
      )
      req.on('error', (err) => (answered ? undefined : reject(err)))
      const chunk = Buffer.alloc(16 * 1024, 0x20)
      const pump = () => {
        while (!answered && sent < 20 * 1024 * 1024) {
          sent += chunk.length
          if (!req.write(chunk)) return void req.once('drain', pump)
        }
        if (!answered) req.end()
      }
      req.write('{"search":"')
      pump()
    })
    assert.equal(streamed.status, 413)
    assert.ok(streamed.sent < 20 * 1024 * 1024, `the server answered after ${streamed.sent} bytes, before the end`)
  } finally {
    await s.close()
  }
})

test('visitors: a GET carrying a JSON body (as PeerTube 2.3–3.1 forward searches), fuzzed, is never a 5xx', async () => {
  const s = await serveApp({ api: { maxBodyBytes: 8192 } })
  try {
    const baseline = await call(s.port, '/api/v1/search/videos', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ search: 'linux' }) })
    assert.equal(baseline.status, 200)
    assert.ok(JSON.parse(baseline.text).total >= 1, 'the body is read on a GET')
    const scalar = fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom('-match', 'both', '_unknown', '1e309', '"', '*'))
    const body = fc.oneof(
      fc.dictionary(fc.constantFrom('search', 'start', 'count', 'sort', 'nsfw', 'tagsOneOf', 'languageOneOf', 'host', 'uuids', 'blockedHosts', 'durationMin', 'startDate', '__proto__'), fc.oneof(scalar, fc.array(scalar, { maxLength: 4 })), { maxKeys: 6 }).map((o) => JSON.stringify(o)),
      fc.string({ maxLength: 60 }),
      fc.constantFrom('[]', 'null', '"x"', '{', '{"search":"x"}'.repeat(3), '[' .repeat(5000), '{"a":'.repeat(3000), 'x'.repeat(9000)),
    )
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('videos', 'video-channels', 'video-playlists'), body, async (route, text) => {
        const res = await call(s.port, `/api/v1/search/${route}`, { headers: { 'content-type': 'application/json' }, body: text })
        const what = `GET ${route} with body ${text.slice(0, 100)}`
        assert.ok(res.status === 200 || res.status === 400 || res.status === 413, `${what} → ${res.status}`)
        assert.match(String(res.headers['content-type']), /json/, what)
        assertSecurityHeaders(asResponse(res), what)
        assertNoLeak(res.text, what)
      }),
      { numRuns: 120 },
    )
  } finally {
    await s.close()
  }
})

test('visitors: sepia serve keeps no trace of what was searched nor of who searched, in its log or its database', { timeout: 30_000 }, async () => {
  const secret = 'zanzibarquokkasecret'
  const address = '203.0.113.77'
  const file = fed.federation.configFile({ listen: { trustProxy: true }, api: { perClientConcurrency: 1, perClientQueue: 0 } }, 'privacy.json')
  const serve = await startServe(file, '--no-crawl')
  const port = serve.port
  const headers = { 'x-forwarded-for': address }
  const statuses: number[] = []
  for (const path of [
    `/api/v1/search/videos?search=${secret}`,
    `/api/v1/search/videos?search=${secret}&count=1000`,
    `/api/v1/search/video-channels?search=${secret}&sort=nonsense`,
    `/search?search=${secret}`,
    `/search?search=${secret}&page=0`,
    `/suggestions?search=${secret}`,
    `/${secret}`,
    `/api/v1/${secret}`,
    `/api/v1/search/videos?search=${secret}`,
    `/api/v1/search/videos?search=${secret}`,
  ]) {
    statuses.push((await call(port, path, { headers })).status)
  }
  statuses.push((await call(port, '/api/v1/search/videos', { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ search: secret }) })).status)
  // A request held open takes this client's whole share, so the next one is refused.
  const held = halfSentPost(port, headers, secret)
  statuses.push((await untilRefused(port, `/api/v1/search/videos?search=${secret}`, { headers })).status)
  statuses.push((await held.finish()).status)
  // Successes, refusals, not-founds and a full share all happened: every path that could log had its chance.
  for (const status of [200, 400, 404, 429]) assert.ok(statuses.includes(status), `${status} in ${statuses.join(' ')}`)
  const r = await serve.stop()
  assert.equal(r.code, 0, r.stderr)
  for (const [what, text] of [['stderr', r.stderr], ['stdout', r.stdout]] as const) {
    assert.ok(!text.includes(secret), `${what} holds the search: ${text}`)
    assert.ok(!text.includes(address), `${what} holds the address: ${text}`)
  }
  const path = fed.config.database.path
  for (const f of [path, `${path}-wal`, `${path}-shm`]) {
    if (!existsSync(f)) continue
    const bytes = readFileSync(f)
    assert.equal(bytes.indexOf(secret), -1, `${f} holds the search`)
    assert.equal(bytes.indexOf(address), -1, `${f} holds the address`)
  }
})
