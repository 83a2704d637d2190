// Whatever a client sends to the three search routes, GET or POST, the answer is a 200 or a 400, never a 5xx.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { call, useApiFederation } from './federation.ts'

const f = useApiFederation()
const ROUTES = ['/api/v1/search/videos', '/api/v1/search/video-channels', '/api/v1/search/video-playlists']
const KEYS = [
  'search', 'start', 'count', 'sort', 'nsfw', 'isLive', 'categoryOneOf', 'licenceOneOf', 'languageOneOf', 'tagsOneOf',
  'tagsAllOf', 'host', 'uuids', 'handles', 'startDate', 'endDate', 'originallyPublishedStartDate', 'originallyPublishedEndDate',
  'durationMin', 'durationMax', 'boostLanguages', 'blockedAccounts', 'blockedHosts', 'nsfwFlagsIncluded', 'nsfwFlagsExcluded',
  'searchTarget', 'skipCount', '__proto__', 'constructor', 'toString', 'languageOneOf[]', 'tagsOneOf[0]',
]
const hostile = fc.constantFrom(
  '"', "'", 'AND', 'OR', 'NOT', 'NEAR', '*', '^', '-', ':', '(', ')', '{name}:', 'name:x', '"a" OR "b"', 'x*', '-match',
  '2024-13-45', '1e400', '-0', 'NaN', 'Infinity', '0x10', ' ', '', '%', '\u0000', '🎉', 'ملخص', '漢字', 'x'.repeat(5000),
  'b29290cc-dc51-4a12-bcb2-2aa5fece7605', 'o3XdtSYTnv2LYxRsf8Mndz', 'https://tube.example/w/o3XdtSYTnv2LYxRsf8Mndz', 'a@b',
)
const scalar = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 60 }), hostile, fc.integer().map(String), fc.double().map(String), fc.constantFrom('true', 'false', 'both'))
const jsonValue = fc.oneof(
  scalar,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(scalar, fc.integer(), fc.constant(null), fc.boolean()), { maxLength: 6 }),
  fc.dictionary(fc.string({ maxLength: 5 }), scalar, { maxKeys: 3 }),
)
const key = fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 12 }))

function encodeOrRaw(c: string): string {
  try {
    return encodeURIComponent(c)
  } catch {
    return '%ED%A0%80'
  }
}

function assertSane(res: { status: number; json: any; text: string }, what: string) {
  assert.ok(res.status < 500, `${what} → ${res.status} ${res.text.slice(0, 300)}`)
  if (res.status === 200) {
    assert.equal(typeof res.json.total, 'number', what)
    assert.ok(Array.isArray(res.json.data), what)
  } else {
    assert.equal(res.status, 400, what)
    assert.equal(res.json.status, 400, what)
    // The answer echoes the rejected values, but never an SQL error, a table name or a stack trace.
    assert.ok(!/SqliteError|syntax error|_fts\b|\.ts:\d/.test(res.text.replace(JSON.stringify(res.json['invalid-params'] ?? {}), '')), `${what} leaks internals: ${res.text}`)
  }
}

test('GET with arbitrary parameters, single or repeated', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...ROUTES), fc.array(fc.tuple(key, fc.oneof(scalar, fc.array(scalar, { maxLength: 4 }))), { maxLength: 8 }), async (route, pairs) => {
      const qs = new URLSearchParams()
      for (const [k, v] of pairs) for (const item of Array.isArray(v) ? v : [v]) qs.append(k, item)
      assertSane(await call(f.app, `${route}?${qs}`), `GET ${route}?${qs}`)
    }),
    { numRuns: 300 },
  )
})

test('GET with a raw, possibly malformed, query string', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...ROUTES), fc.string({ unit: 'binary', maxLength: 80 }), async (route, raw) => {
      // Printable ASCII goes as is (stray %, &, = and [] included); the rest percent-encoded, a lone surrogate as
      // the malformed UTF-8 it would be.
      const encoded = [...raw].map((c) => (/[\x21-\x7e]/.test(c) && c !== '#' ? c : encodeOrRaw(c))).join('')
      assertSane(await call(f.app, `${route}?${encoded}`), `GET ${route}?${encoded}`)
    }),
    { numRuns: 200 },
  )
})

test('POST with arbitrary JSON bodies', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...ROUTES), fc.dictionary(key, jsonValue, { maxKeys: 8 }), async (route, body) => {
      assertSane(await call(f.app, route, { method: 'POST', json: body }), `POST ${route} ${JSON.stringify(body)}`)
    }),
    { numRuns: 300 },
  )
})

test('searches built from hostile pieces, with filters and sorts', async () => {
  const sorts = ['-match', 'match', '-publishedAt', 'name', '-views', 'likes', '-hot', 'duration', '-createdAt', 'originallyPublishedAt', 'displayName', '-trending']
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...ROUTES),
      fc.array(fc.oneof(hostile, fc.string({ unit: 'grapheme', maxLength: 10 }), fc.constantFrom('blender', 'peertube', 'été')), { maxLength: 6 }),
      fc.constantFrom(...sorts),
      fc.record({ start: fc.nat(50), count: fc.nat(100), nsfw: fc.constantFrom('true', 'false', 'both') }),
      async (route, pieces, sort, page) => {
        const body = { search: pieces.join(' '), sort, ...page, blockedAccounts: ['a@b'], blockedHosts: ['c'] }
        assertSane(await call(f.app, route, { method: 'POST', json: body }), `POST ${route} ${JSON.stringify(body)}`)
      },
    ),
    { numRuns: 300 },
  )
})
