// Hostile visitors, in process: every form field of the site and arbitrary paths and methods are fuzzed with
// fast-check over an index that itself holds hostile text. Never a 5xx, never a stack trace or SQL in an answer,
// every echo escaped, and the security headers on every single response (API, site, errors, static files).
// (The API's own parameters are fuzzed in test/api/property.test.ts; a GET with a JSON body needs a real socket,
// see socket.test.ts.)
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import type { Hono } from 'hono'
import { createApp } from '../../src/http/app.ts'
import { openDb } from '../../src/db/open.ts'
import { crawledFederation, type CrawledFederation } from '../helpers/crawled.ts'
import { assertNoLeak, assertSecurityHeaders } from './assertions.ts'
import { htmlVideo } from '../fake/hostile.ts'
import { fakeVideo } from '../fake/federation.ts'
import { badSpec, goodSpecs } from '../hostile/harness.ts'

let fed: CrawledFederation
let app: Hono

before(async () => {
  const hostile = badSpec({ name: 'Markup <b>everywhere</b>' })
  hostile.videos!.push(htmlVideo(fakeVideo({ name: 'x' })))
  fed = await crawledFederation([...goodSpecs(), hostile])
  app = createApp({ db: fed.db, config: fed.config })
})
after(() => fed.close())

// Pieces a prober tries, with a marker (q7x) that shows whether an echo escaped them.
const PROBES = [
  '<q7x>', '"q7x', "'q7x", '</title><q7x', '<script>q7x</script>', '"><q7x onload=x>', 'javascript:q7x', '{{q7x}}', '${q7x}',
  "' OR 1=1 --", '" OR ""="', 'a" AND "b', 'NEAR(a b)', '*', '^x', 'name:x', '{name}: x', '%00', '\u0000', '\u202e', '🎉', 'ملخص',
  '../../etc/passwd', '%2e%2e%2f', 'x'.repeat(3000), '-1', '0', '1e309', 'NaN', '9'.repeat(40), '2024-02-30', 'true', 'both', 'custom',
  '-match', '-views', 'videos', 'channels', 'playlists', 'today', 'long', '127.0.0.1', 'en', '_unknown',
]
const value = fc.oneof(fc.constantFrom(...PROBES), fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }), fc.integer().map(String))
const FIELDS = [
  'search', 'resultType', 'page', 'sort', 'nsfw', 'isLive', 'publishedDateRange', 'startDate', 'endDate', 'originallyPublishedStartDate',
  'originallyPublishedEndDate', 'durationRange', 'durationMin', 'durationMax', 'categoryOneOf', 'licenceOneOf', 'languageOneOf',
  'tagsOneOf', 'tagsAllOf', 'host', 'lang', 'categoryOneOf[]', 'tagsOneOf[]', 'count', 'start',
]
const field = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...FIELDS) }, { weight: 1, arbitrary: fc.string({ maxLength: 10 }) })

function encode(s: string): string {
  try {
    return encodeURIComponent(s)
  } catch {
    return '%ED%A0%80' // a lone surrogate, as the malformed UTF-8 it would be on the wire
  }
}

test('visitors: every form field of the site, fuzzed, gets a 200 or 400 page (404 past the last page), escaped, without leaks', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(field, value), { minLength: 1, maxLength: 8 }), async (pairs) => {
      const qs = pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&')
      const res = await app.request(`/search?${qs}`)
      const what = `/search?${qs.slice(0, 300)}`
      // A page number past the last page of results is the site's 404 (src/http/ui/routes.ts), as any other page.
      const pastEnd = res.status === 404 && pairs.some(([k, v]) => k === 'page' && Number(v) > 1)
      assert.ok(res.status === 200 || res.status === 400 || pastEnd, `${what} → ${res.status}`)
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/, what)
      assertSecurityHeaders(res, what)
      const html = await res.text()
      assertNoLeak(html, what)
      for (const raw of ['<q7x', '"q7x', "'q7x", '<script>q7x', 'onload=x>']) assert.ok(!html.includes(raw), `${what}: unescaped ${raw}`)
      for (const [, href] of html.matchAll(/\s(?:href|src|action)="([^"]*)"/g)) {
        assert.match(href!, /^(https?:\/\/|\/|\?|#)/, `${what}: link to ${href}`)
      }
    }),
    { numRuns: 250 },
  )
})

const API_ROUTES = ['/api/v1/search/videos', '/api/v1/search/video-channels', '/api/v1/search/video-playlists']
const API_PARAMS = [
  'search', 'start', 'count', 'sort', 'nsfw', 'isLive', 'categoryOneOf', 'licenceOneOf', 'languageOneOf', 'tagsOneOf', 'tagsAllOf',
  'host', 'uuids', 'handles', 'startDate', 'endDate', 'originallyPublishedStartDate', 'originallyPublishedEndDate', 'durationMin',
  'durationMax', 'boostLanguages', 'blockedAccounts', 'blockedHosts', 'searchTarget', 'skipCount', 'tagsOneOf[]', 'uuids[0]',
]

test('visitors: every API parameter, in a query string or a POST body, fuzzed: 200 or 400, with the headers, without leaks', async () => {
  const json = fc.oneof(value, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(value, { maxLength: 4 }), fc.object({ maxDepth: 2 }))
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...API_ROUTES),
      fc.boolean(),
      fc.array(fc.tuple(fc.constantFrom(...API_PARAMS), json), { minLength: 1, maxLength: 6 }),
      async (route, post, pairs) => {
        let res: Response
        let what: string
        if (post) {
          const body = JSON.stringify(Object.fromEntries(pairs))
          what = `POST ${route} ${body.slice(0, 200)}`
          res = await app.request(route, { method: 'POST', body, headers: { 'content-type': 'application/json' } })
        } else {
          const qs = pairs.flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${encode(k)}=${encode(typeof x === 'string' ? x : JSON.stringify(x) ?? '')}`)).join('&')
          what = `GET ${route}?${qs.slice(0, 200)}`
          res = await app.request(`${route}?${qs}`)
        }
        assert.ok(res.status === 200 || res.status === 400, `${what} → ${res.status}`)
        assert.match(res.headers.get('content-type') ?? '', /json/, what)
        assertSecurityHeaders(res, what)
        const text = await res.text()
        // A 400 quotes the rejected values back (as JSON): look for leaks outside them.
        const parsed = JSON.parse(text) as Record<string, unknown>
        assertNoLeak(JSON.stringify({ ...parsed, 'invalid-params': undefined }), what)
        if (res.status === 200) assertUsableImages(parsed.data as Record<string, any>[], what)
      },
    ),
    { numRuns: 200 },
  )
})

// Whatever the search, every image a result names has a width a client can choose by and an http(s) URL, and the
// legacy `avatar` is never the smallest when there are several (the index holds a pre-4.2 instance, whose avatars
// come without a width).
function assertUsableImages(results: Record<string, any>[], what: string): void {
  for (const r of results) {
    const actors = [r.account, r.channel, r.ownerAccount, r.videoChannel, 'avatars' in r ? r : null].filter(Boolean)
    for (const a of actors) {
      for (const i of [...a.avatars, ...(a.banners ?? [])]) {
        assert.ok(i.width > 0 && /^https?:\/\//.test(i.fileUrl), `${what}: image ${JSON.stringify(i)}`)
      }
      if (a.avatars.length > 1) assert.ok(a.avatar.width > a.avatars[0].width, `${what}: legacy avatar is the smallest`)
    }
    for (const t of r.thumbnails ?? []) assert.ok(t.width > 0 && t.height > 0 && /^https?:\/\//.test(t.fileUrl), `${what}: thumbnail ${JSON.stringify(t)}`)
    if ('thumbnailUrl' in r) assert.ok(Array.isArray(r.thumbnails), `${what}: thumbnails[]`)
  }
}

test('visitors: arbitrary paths and methods never get a 5xx, a leak, or a response without the security headers', async () => {
  const segment = fc.oneof(
    fc.constantFrom('api', 'v1', 'search', 'videos', 'video-channels', 'config', 'static', 'style.css', 'enhance.js', 'about', 'suggestions',
      'opensearch.xml', 'robots.txt', '..', '.', '%2e%2e', '%2f', '%00', '%ff', '%', 'index.php', '.env', '.git', 'wp-admin', ''),
    fc.string({ maxLength: 12 }).map(encode),
  )
  const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE')
  await fc.assert(
    fc.asyncProperty(method, fc.array(segment, { minLength: 1, maxLength: 5 }), fc.option(fc.tuple(field, value)), async (m, segments, q) => {
      const path = `/${segments.join('/')}${q ? `?${encode(q[0])}=${encode(q[1])}` : ''}`
      let res: Response
      try {
        res = await app.request(path, { method: m, headers: { origin: 'https://elsewhere.example' } })
      } catch (err) {
        // The Fetch API itself refuses some URLs (a client could not send them either).
        if (err instanceof TypeError) return
        throw err
      }
      const what = `${m} ${path.slice(0, 200)}`
      assert.ok(res.status < 500, `${what} → ${res.status}`)
      assertSecurityHeaders(res, what)
      assertNoLeak(await res.text(), what)
    }),
    { numRuns: 300 },
  )
})

test('visitors: /opensearch.xml under any Host header stays well-formed XML naming an http origin, and is never stored', async () => {
  const host = fc.oneof(fc.constantFrom(...PROBES), fc.string({ maxLength: 60 }), fc.domain(), fc.ipV4().map((ip) => `${ip}:3234`), fc.ipV6().map((ip) => `[${ip}]`))
  const tags = (xml: string) => (xml.match(/</g) ?? []).length
  const baseline = tags(await (await app.request('/opensearch.xml')).text())
  await fc.assert(
    fc.asyncProperty(host, async (h) => {
      let res: Response
      try {
        res = await app.request('/opensearch.xml', { headers: { host: h } })
      } catch (err) {
        // Header values a client could not send either (newlines, NUL).
        if (err instanceof TypeError) return
        throw err
      }
      const what = `Host: ${h.slice(0, 80)}`
      assert.equal(res.status, 200, what)
      assert.equal(res.headers.get('cache-control'), 'no-store', what)
      assert.match(res.headers.get('vary') ?? '', /\bHost\b/i, what)
      assertSecurityHeaders(res, what)
      const xml = await res.text()
      const templates = [...xml.matchAll(/ template="([^"]*)"/g)].map((m) => m[1]!)
      assert.equal(templates.length, 3, `${what}: ${xml}`)
      for (const t of templates) assert.match(t, /^http:\/\/[a-z0-9.:[\]-]+\/[a-z.]+(\?search=\{searchTerms\})?$/, what)
      assert.equal(tags(xml), baseline, `${what}: no markup smuggled in`)
    }),
    { numRuns: 200 },
  )
})

test('visitors: every kind of response carries the security headers (API, site, errors, static, preflight, 413, 429)', async () => {
  const home = await (await app.request('/')).text()
  const css = /<link rel="stylesheet" href="([^"]+)"/.exec(home)![1]!
  const cases: [string, RequestInit, number][] = [
    ['/api/v1/search/videos?search=upload', {}, 200],
    ['/api/v1/search/video-channels?search=honest', {}, 200],
    ['/api/v1/search/video-playlists?search=list', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }, 200],
    ['/api/v1/config', {}, 200],
    ['/api/v1/search/videos?count=1000', {}, 400],
    ['/api/v1/search/videos', { method: 'POST', body: '{"search":', headers: { 'content-type': 'application/json' } }, 400],
    ['/api/v1/nowhere', {}, 404],
    ['/api/v1/search/videos', { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' } }, 204],
    ['/api/v1/search/videos', { method: 'POST', body: JSON.stringify({ search: 'x'.repeat(300_000) }), headers: { 'content-type': 'application/json' } }, 413],
    ['/', {}, 200],
    ['/search?search=upload', {}, 200],
    ['/search?page=-1', {}, 400],
    ['/about', {}, 200],
    [css, {}, 200],
    ['/static/nothing.css', {}, 404],
    ['/nowhere', {}, 404],
  ]
  for (const [path, init, status] of cases) {
    const res = await app.request(path, init)
    const what = `${init.method ?? 'GET'} ${path.slice(0, 80)}`
    assert.equal(res.status, status, what)
    assertSecurityHeaders(res, what)
    assertNoLeak(await res.text(), what)
  }
  // One client holding more requests at once than its share (4 + 60 by default): the refusals carry them too.
  const burst = await Promise.all(Array.from({ length: 70 }, () => app.request('/api/v1/config', { headers: { origin: 'https://app.example' } })))
  assert.deepEqual(burst.map((r) => r.status).filter((s) => s !== 200), Array(6).fill(429))
  for (const res of burst.filter((r) => r.status === 429)) {
    assertSecurityHeaders(res, '429')
    assert.equal(res.headers.get('access-control-allow-origin'), '*', '429 readable by browser apps')
    assertNoLeak(await res.text(), '429')
  }
})

test('visitors: a failure of ours (the database gone) is a 500 without detail, with the headers, on the API and the site', async () => {
  const broken = openDb(fed.config.database.path)
  const brokenApp = createApp({ db: broken, config: fed.config })
  broken.close()
  const write = process.stderr.write
  process.stderr.write = (() => true) as typeof process.stderr.write
  try {
    for (const path of ['/api/v1/search/videos?search=upload', '/api/v1/config', '/search?search=upload']) {
      const res = await brokenApp.request(path)
      assert.equal(res.status, 500, path)
      assertSecurityHeaders(res, `500 ${path}`)
      const body = await res.text()
      assertNoLeak(body, `500 ${path}`)
      assert.ok(!/database|connection is not open/i.test(body), `${path}: no internal detail`)
    }
  } finally {
    process.stderr.write = write
  }
})
