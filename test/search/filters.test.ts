// Filters against a plain SQL reference: whichever way a filter is run (facet tokens, row conditions, date and
// duration buckets with edge checks, block lists short or long), it keeps exactly the rows SQL keeps.
import { before, test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { addVideo, actorOf, testDb } from './seed.ts'
import { parseVideosParams } from '../../src/search/params.ts'
import { searchVideos } from '../../src/search/videos.ts'
import type { Db } from '../../src/db/open.ts'

const DAY = 86_400_000
const HOSTS = ['a.example', 'b.example', 'c.example', 'd.example']
const LANGS = ['en', 'fr', 'de', null]
let db: Db

before(() => {
  db = testDb()
  for (let i = 0; i < 240; i++) {
    const host = HOSTS[i % 4]!
    addVideo(db, {
      name: `Video ${i} ${i % 2 ? 'odd' : 'even'}`,
      host,
      account: actorOf(host, `user${i % 6}`, 'accounts'),
      channel: actorOf(host, `chan${i % 5}`),
      language: { id: LANGS[i % 4]!, label: null },
      category: { id: i % 9 === 0 ? null : 1 + (i % 5), label: null },
      duration: [5, 59, 60, 61, 239, 240, 600, 601, 3599, 3600, 7200, 99_999][i % 12]!,
      // Across three years, some on the same day at different hours.
      publishedAt: Date.UTC(2023, 0, 1) + Math.floor(i * 4.6) * DAY + (i % 3) * 3600_000,
      nsfw: i % 11 === 0,
      tags: [`tag${i % 7}`],
      originallyPublishedAt: i % 3 === 0 ? Date.UTC(1990, 0, 1) + i * 40 * DAY : null,
    })
  }
})

type Filters = {
  search?: string
  sort?: string
  startDate?: string
  endDate?: string
  durationMin?: number
  durationMax?: number
  languageOneOf?: string[]
  blockedHosts?: string[]
  blockedAccounts?: string[]
  categoryOneOf?: number[]
  originallyPublishedStartDate?: string
  originallyPublishedEndDate?: string
  uuids?: string[]
}

function viaSearch(f: Filters): string[] {
  const p = parseVideosParams({ ...f, nsfw: 'both', count: 100 })
  assert.ok(p.ok, JSON.stringify(p))
  const all: string[] = []
  for (let start = 0; ; start += 100) {
    const page = searchVideos(db, { ...p.query, start }).data.map((v) => v.uuid)
    all.push(...page)
    if (page.length < 100) break
  }
  return all.sort()
}

function viaSql(f: Filters): string[] {
  const where: string[] = ['1']
  const params: unknown[] = []
  if (f.search) (where.push(`name LIKE '%' || ? || '%'`), params.push(f.search))
  if (f.startDate) (where.push('published_at >= ?'), params.push(Date.parse(f.startDate)))
  if (f.endDate) (where.push('published_at <= ?'), params.push(Date.parse(f.endDate)))
  if (f.durationMin !== undefined) (where.push('duration >= ?'), params.push(f.durationMin))
  if (f.durationMax !== undefined) (where.push('duration <= ?'), params.push(f.durationMax))
  if (f.languageOneOf) {
    const known = f.languageOneOf.filter((l) => l !== '_unknown')
    where.push(`(language_id IN (SELECT value FROM json_each(?))${f.languageOneOf.includes('_unknown') ? ' OR language_id IS NULL' : ''})`)
    params.push(JSON.stringify(known))
  }
  if (f.categoryOneOf) (where.push('category_id IN (SELECT value FROM json_each(?))'), params.push(JSON.stringify(f.categoryOneOf)))
  if (f.originallyPublishedStartDate) (where.push('originally_published_at >= ?'), params.push(Date.parse(f.originallyPublishedStartDate)))
  if (f.originallyPublishedEndDate) (where.push('originally_published_at <= ?'), params.push(Date.parse(f.originallyPublishedEndDate)))
  if (f.uuids) (where.push('uuid IN (SELECT value FROM json_each(?))'), params.push(JSON.stringify(f.uuids)))
  if (f.blockedHosts) (where.push('account_host NOT IN (SELECT value FROM json_each(?))'), params.push(JSON.stringify(f.blockedHosts)))
  if (f.blockedAccounts) (where.push(`account_name || '@' || account_host NOT IN (SELECT value FROM json_each(?))`), params.push(JSON.stringify(f.blockedAccounts)))
  return (db.prepare(`SELECT uuid FROM videos WHERE ${where.join(' AND ')}`).pluck().all(...params) as string[]).sort()
}

const original = fc.integer({ min: -100, max: 11_000 }).map((d) => new Date(Date.UTC(1990, 0, 1) + d * DAY).toISOString())
const day = fc.integer({ min: -400, max: 1600 }).map((d) => new Date(Date.UTC(2023, 0, 1) + d * DAY + (d % 2) * 5400_000).toISOString())
const filters: fc.Arbitrary<Filters> = fc.record(
  {
    search: fc.constantFrom('odd', 'even'),
    sort: fc.constantFrom('-match', '-views', 'publishedAt', 'name'),
    startDate: fc.oneof(day, fc.constantFrom('1900-01-01', '1931-12-13', '0001-01-01')),
    endDate: fc.oneof(day, fc.constantFrom('9999-12-31', '2100-01-01')),
    durationMin: fc.constantFrom(0, 59, 60, 61, 240, 601, 3600, 7200, 100_000),
    durationMax: fc.constantFrom(0, 59, 60, 239, 600, 3599, 7199, 7200, 1e9),
    languageOneOf: fc.oneof(fc.subarray(['en', 'fr', 'de', '_unknown'], { minLength: 1 }), fc.constant<string[]>([...Array.from({ length: 40 }, (_, i) => `x${i}`), 'fr', '_unknown'])),
    categoryOneOf: fc.subarray([1, 2, 3, 4, 5, 6], { minLength: 1 }),
    originallyPublishedStartDate: original,
    originallyPublishedEndDate: original,
    uuids: fc.integer({ min: 0, max: 239 }).map((n) => (db.prepare('SELECT uuid FROM videos WHERE id % 7 = ? % 7 LIMIT 30').pluck().all(n) as string[])),
    blockedHosts: fc.oneof(fc.subarray(HOSTS), fc.constant<string[]>([...Array.from({ length: 3000 }, (_, i) => `h${i}.example`), 'c.example'])),
    blockedAccounts: fc.oneof(
      fc.subarray(HOSTS.flatMap((h) => [`user1@${h}`, `user4@${h}`])),
      fc.constant<string[]>([...Array.from({ length: 3000 }, (_, i) => `user${i % 6}@${HOSTS[i % 4]}`), 'nobody@elsewhere.example']),
    ),
  },
  { requiredKeys: [] },
)

test('every combination of date, duration, language, category and block filters keeps what SQL keeps', () => {
  fc.assert(
    fc.property(filters, (f) => {
      assert.deepEqual(viaSearch(f), viaSql(f), JSON.stringify(f).slice(0, 400))
    }),
    { numRuns: 300 },
  )
})

test('dates far outside the index work; a range ending before it starts matches nothing', () => {
  assert.equal(viaSearch({ startDate: '1900-01-01', endDate: '9999-12-31' }).length, 240)
  assert.equal(viaSearch({ startDate: '1931-12-13' }).length, 240)
  assert.deepEqual(viaSearch({ startDate: '2024-06-01', endDate: '2024-05-01' }), [])
  assert.deepEqual(viaSearch({ startDate: '2100-01-01' }), [])
})
