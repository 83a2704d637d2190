// Hostile visitors with heavy parameters: huge and repeated arrays, thousands of blocked accounts and hosts, deep
// pages, every sort, dates from year 1 to 9999. Each answer is a 200 or PeerTube's 400, never a 5xx (dates used to
// overflow the search key: a 500). How long such requests take is measured by `npm run bench` (hostile pass).
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import type { Hono } from 'hono'
import { createApp } from '../../src/http/app.ts'
import { crawledFederation, type CrawledFederation } from '../helpers/crawled.ts'
import { assertNoLeak } from './assertions.ts'

let fed: CrawledFederation
let app: Hono

before(async () => {
  fed = await crawledFederation()
  app = createApp({ db: fed.db, config: fed.config })
})
after(() => fed.close())

const SORTS = ['-match', 'match', '-publishedAt', 'publishedAt', '-views', '-likes', 'name', '-name', '-hot', '-duration', '-createdAt', '-originallyPublishedAt', '-trending']
const date = fc
  .tuple(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), fc.boolean())
  .map(([y, m, d, time]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}${time ? 'T12:34:56.789Z' : ''}`)
// An array as a client might send it: a few distinct values, each repeated many times.
const repeated = <T>(values: fc.Arbitrary<T>, maxDistinct: number) =>
  fc.tuple(fc.array(values, { minLength: 1, maxLength: maxDistinct }), fc.integer({ min: 1, max: 300 })).map(([v, times]) => v.flatMap((x) => Array(times).fill(x) as T[]))
const hosts = ['vieux.tube.example', 'middle.tube.example', 'new.tube.example', 'nowhere.example']
const params = fc.record(
  {
    search: fc.constantFrom('linux', 'café', 'session', 'tutoriels', 'linux linux linux', 'a b c d e f g h i j', ''),
    sort: fc.constantFrom(...SORTS),
    start: fc.constantFrom(0, 15, 9_980, 9_999, 10_000, 50_000),
    count: fc.constantFrom(0, 1, 20, 100),
    nsfw: fc.constantFrom('true', 'false', 'both'),
    categoryOneOf: repeated(fc.integer({ min: 0, max: 150 }), 120),
    licenceOneOf: repeated(fc.integer({ min: 0, max: 10 }), 10),
    languageOneOf: repeated(fc.constantFrom('fr', 'en', 'es', '_unknown', 'FR', 'zz'), 6),
    tagsOneOf: repeated(fc.constantFrom('linux', 'Linux', 'café', 'middle', 'vieux-tube', 'x'), 6),
    tagsAllOf: repeated(fc.constantFrom('linux', 'middle', 'vieux-tube'), 3),
    blockedAccounts: fc.integer({ min: 0, max: 4000 }).map((n) => Array.from({ length: n }, (_, i) => `user${i % 50}@${hosts[i % 4]}`)),
    blockedHosts: fc.integer({ min: 0, max: 3000 }).map((n) => Array.from({ length: n }, (_, i) => (i % 100 === 0 ? hosts[i % 4]! : `h${i}.example`))),
    startDate: date,
    endDate: date,
    durationMin: fc.constantFrom(0, 1, 61, 3599, 1e9),
    durationMax: fc.constantFrom(0, 60, 601, 7200, 1e12),
    boostLanguages: repeated(fc.constantFrom('fr', 'en', 'de'), 3),
  },
  { requiredKeys: [] },
)

test('visitors: huge and repeated arrays, long block lists, deep pages, every sort and any date: 200 or 400, never a 5xx', async () => {
  await fc.assert(
    fc.asyncProperty(params, async (p) => {
      const body = JSON.stringify(p)
      const res = await app.request('/api/v1/search/videos', { method: 'POST', body, headers: { 'content-type': 'application/json' } })
      const what = `POST ${body.slice(0, 300)}`
      assert.ok(res.status === 200 || res.status === 400, `${what} → ${res.status}`)
      const json = (await res.json()) as { total?: number; data?: unknown[]; 'invalid-params'?: Record<string, unknown> }
      if (res.status === 400) assert.ok(json['invalid-params'], what)
      else assert.ok(Array.isArray(json.data) && json.data.length <= (p.count ?? 20), what)
      assertNoLeak(JSON.stringify({ ...json, 'invalid-params': undefined }), what)
    }),
    { numRuns: 150 },
  )
})

test('visitors: repeated values are one filter; too many distinct ones are a 400 naming the parameter', async () => {
  const post = async (p: unknown) => app.request('/api/v1/search/videos', { method: 'POST', body: JSON.stringify(p), headers: { 'content-type': 'application/json' } })
  const once = (await (await post({ search: 'linux', categoryOneOf: [1], nsfw: 'both' })).json()) as { total: number }
  const many = (await (await post({ search: 'linux', categoryOneOf: Array(5000).fill(1), nsfw: 'both' })).json()) as { total: number }
  assert.equal(many.total, once.total)
  assert.ok(once.total > 0)
  const res = await post({ search: 'linux', tagsOneOf: Array.from({ length: 40 }, (_, i) => `tag${i}`) })
  assert.equal(res.status, 400)
  assert.deepEqual(Object.keys(((await res.json()) as { 'invalid-params': object })['invalid-params']), ['tagsOneOf'])
})

test('visitors: dates outside any index (1900, 1931, 9999) are searched, not a 500', async () => {
  for (const q of ['startDate=1900-01-01', 'endDate=9999-12-31', 'startDate=1931-12-13', 'startDate=0001-01-01&endDate=9999-12-31T23:59:59.999Z']) {
    const res = await app.request(`/api/v1/search/videos?search=linux&nsfw=both&${q}`)
    assert.equal(res.status, 200, q)
    assert.ok(((await res.json()) as { total: number }).total > 0, q)
  }
})
