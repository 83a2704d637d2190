// Hostile visitors over a real socket (@hono/node-server, as `sepia serve` runs it), where the client address,
// raw bodies and connection handling are real: the per-client rate limit, body size limits, GETs carrying JSON
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
import { spawnCli, finished } from '../helpers/cli.ts'
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

/** One HTTP request on a fresh connection; `body` may go with any method, GET included. */
function call(port: number, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  // Node sends a GET's body without framing unless told its length.
  const headers = init.body === undefined ? init.headers : { 'content-length': String(Buffer.byteLength(init.body)), ...init.headers }
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers, agent: false }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (d) => (text += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }))
    })
    req.on('error', reject)
    req.end(init.body)
  })
}

// The node:http headers as a fetch Response's, for the shared header assertions.
const asResponse = (a: Answer) => new Response(null, { headers: Object.entries(a.headers).flatMap(([k, v]) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((x) => [k, x] as [string, string]))) })

test('visitors: the API rate limit holds per client address over a real socket; forged X-Forwarded-For does not reset it', async () => {
  const s = await serveApp({ api: { rateLimitPerMinute: 60, rateLimitBurst: 3 } })
  try {
    for (let i = 0; i < 3; i++) assert.equal((await call(s.port, '/api/v1/search/videos?search=linux')).status, 200)
    const limited = await call(s.port, '/api/v1/search/videos?search=linux', { headers: { origin: 'https://app.example' } })
    assert.equal(limited.status, 429)
    assert.match(String(limited.headers['retry-after']), /^\d+$/)
    assert.match(String(limited.headers['content-type']), /^application\/problem\+json/)
    assert.equal(limited.headers['access-control-allow-origin'], '*', 'browser apps can read the 429')
    assertSecurityHeaders(asResponse(limited), '429')
    assert.equal(JSON.parse(limited.text).status, 429)
    // Without listen.trustProxy, the header is the client's word, not its address.
    const forged = await call(s.port, '/api/v1/search/videos?search=linux', { headers: { 'x-forwarded-for': '198.51.100.7' } })
    assert.equal(forged.status, 429)
    // The limit is on the API: the site stays usable.
    assert.equal((await call(s.port, '/')).status, 200)
  } finally {
    await s.close()
  }
})

test('visitors: behind a trusted proxy, each forwarded client has its own bucket, and junk forwarded values are harmless', async () => {
  const s = await serveApp({ api: { rateLimitPerMinute: 60, rateLimitBurst: 2 }, listen: { trustProxy: true } })
  try {
    const from = (xff: string) => call(s.port, '/api/v1/config', { headers: { 'x-forwarded-for': xff } })
    assert.deepEqual([(await from('203.0.113.1')).status, (await from('203.0.113.1')).status, (await from('203.0.113.1')).status], [200, 200, 429])
    // The proxy appends the real client last: what a client writes before it does not count.
    assert.equal((await from('203.0.113.1, 203.0.113.2')).status, 200)
    for (const junk of ['', ',', 'unknown', 'x'.repeat(2000), '::ffff:', '[::1]:80', 'a, b, c, '.repeat(100), '999.999.999.999', '2001:db8::1%eth0']) {
      const res = await from(junk)
      assert.ok(res.status === 200 || res.status === 429, `X-Forwarded-For ${junk.slice(0, 30)} → ${res.status}`)
    }
  } finally {
    await s.close()
  }
})

test('visitors: POST bodies over api.maxBodyBytes get 413, declared or streamed, without being read whole', async () => {
  const s = await serveApp({ api: { maxBodyBytes: 4096, rateLimitPerMinute: 0 } })
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
  const s = await serveApp({ api: { rateLimitPerMinute: 0, maxBodyBytes: 8192 } })
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
  const file = fed.federation.configFile({ listen: { trustProxy: true }, api: { rateLimitPerMinute: 60, rateLimitBurst: 4 } }, 'privacy.json')
  const child = spawnCli(['serve', '--config', file, '--port', '0', '--no-crawl'])
  const exit = finished(child)
  const port = await new Promise<number>((resolve, reject) => {
    let err = ''
    child.stderr!.on('data', (d) => {
      err += d
      const m = /listening on http:\/\/[^:]+:(\d+)/.exec(err)
      if (m) resolve(Number(m[1]))
    })
    void exit.then((r) => reject(new Error(`serve exited: ${r.stderr}`)))
  })
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
  // Successes, refusals, not-founds and rate limiting all happened: every path that could log had its chance.
  for (const status of [200, 400, 404, 429]) assert.ok(statuses.includes(status), `${status} in ${statuses.join(' ')}`)
  child.kill('SIGTERM')
  const r = await exit
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
