// The engine's machinery on direct-insert indexes: the FTS index follows the tables, pages are consistent, every
// sort plan gives the same rows as a plain SQL sort, and totals are right.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { addChannel, addPlaylist, addVideo, instanceId, testDb } from './seed.ts'
import { parseChannelsParams, parseVideosParams, type VideosQuery } from '../../src/search/params.ts'
import { searchChannels } from '../../src/search/channels.ts'
import { searchVideos, VIDEOS, videoRestrictions } from '../../src/search/videos.ts'
import { SEARCH_LIMITS } from '../../src/search/search.ts'
import { matchExpr, matchList, sortedIds, type FtsQuery } from '../../src/search/engine.ts'
import { indexCounts } from '../../src/search/counts.ts'
import { videoWriter } from '../../src/db/videos.ts'
import type { Db } from '../../src/db/open.ts'

function query(params: Record<string, unknown>): VideosQuery {
  const p = parseVideosParams(params)
  assert.ok(p.ok, JSON.stringify(p))
  return p.query
}
const names = (db: Db, params: Record<string, unknown>) => searchVideos(db, query(params)).data.map((v) => v.name)

test('the index follows inserts, edits and deletions, including cascades from a deleted instance', () => {
  const db = testDb()
  const v = addVideo(db, { name: 'Original title', tags: ['first'], host: 'a.example' })
  addVideo(db, { name: 'Other', host: 'b.example' })
  assert.deepEqual(names(db, { search: 'original' }), ['Original title'])
  // An edit as the crawler writes it: the same upsert with new values.
  videoWriter(db).upsert(instanceId(db, 'a.example'), { ...v, name: 'Renamed video', updatedAt: v.updatedAt + 1 }, Date.now(), { description: 'now described', tags: ['second'] })
  assert.deepEqual(names(db, { search: 'original' }), [])
  assert.deepEqual(names(db, { search: 'renamed' }), ['Renamed video'])
  assert.deepEqual(names(db, { search: 'described' }), ['Renamed video'])
  assert.deepEqual(names(db, { tagsOneOf: ['second'] }), ['Renamed video'])
  assert.deepEqual(names(db, { tagsOneOf: ['first'] }), [])
  // A re-crawl that changes nothing indexed (views only) keeps it found.
  videoWriter(db).upsert(instanceId(db, 'a.example'), { ...v, name: 'Renamed video', views: 99 }, Date.now(), null)
  assert.deepEqual(names(db, { search: 'renamed' }), ['Renamed video'])
  db.prepare("DELETE FROM instances WHERE host = 'a.example'").run()
  assert.deepEqual(names(db, { search: 'renamed' }), [])
  assert.deepEqual(names(db, {}), ['Other'])
  assert.equal((db.prepare("SELECT count(*) AS n FROM videos_fts WHERE videos_fts MATCH '{facets}: zz'").get() as { n: number }).n, 1)
  assert.equal((db.prepare("SELECT count(*) AS n FROM videos_short_fts WHERE videos_short_fts MATCH '{facets}: zz'").get() as { n: number }).n, 1)
})

test('index counts come from counters kept by triggers', () => {
  const db = testDb()
  assert.deepEqual(indexCounts(db), { instances: 0, videos: 0, channels: 0, playlists: 0 })
  addVideo(db, { name: 'One', host: 'a.example' })
  addVideo(db, { name: 'Two', host: 'b.example' })
  addChannel(db, { name: 'chan', host: 'a.example' })
  addPlaylist(db, { displayName: 'List', host: 'b.example' })
  assert.deepEqual(indexCounts(db), { instances: 2, videos: 2, channels: 1, playlists: 1 })
  db.prepare("DELETE FROM instances WHERE host = 'b.example'").run()
  assert.deepEqual(indexCounts(db), { instances: 1, videos: 1, channels: 1, playlists: 0 })
})

// 600 videos: "alpha" in 2%, "beta" in descriptions of 20%, "gamma" in tags of two thirds; varied sort keys.
function bigIndex(): Db {
  const db = testDb()
  for (let i = 0; i < 600; i++) {
    addVideo(db, {
      name: `${i % 50 === 0 ? 'Alpha ' : ''}Video ${String((i * 7919) % 600).padStart(3, '0')}`,
      description: i % 5 === 0 ? 'with beta inside' : 'plain',
      tags: i % 3 !== 0 ? ['gamma'] : ['delta'],
      views: (i * 104729) % 1000,
      likes: (i * 31) % 17,
      duration: (i * 13) % 700,
      nsfw: i % 97 === 0,
      language: { id: ['en', 'fr', 'de'][i % 3]!, label: null },
    })
  }
  return db
}

test('every sort plan (sort all, filter the sort index, probe FTS, windows of the sort index) gives the rows a plain SQL sort gives', () => {
  const db = bigIndex()
  // All marked as followed by the rank, so that the cost model tries the window plan on each (descending), and
  // gives up on it where the rank does not follow the column (duration, name): both ways must give the same rows.
  const sorts: [string, string][] = [['v.views', 'videos_search_views'], ['v.likes', 'videos_search_likes'], ['v.duration', 'videos_search_duration'], ['v.name COLLATE NOCASE', 'videos_search_name']]
  for (const word of ['alpha', 'beta', 'gamma']) {
    const q = query({ search: word, languageOneOf: ['en', 'fr'], durationMax: 600 })
    const r = videoRestrictions(db, q)
    const fts = { fts: VIDEOS.fts, expr: matchExpr(`{name tags names description}: "${word}"`, r) }
    for (const [expr, index] of sorts) {
      for (const descending of [true, false]) {
        const dir = descending ? 'DESC' : 'ASC'
        const reference = (db.prepare(`SELECT v.id FROM videos v WHERE (v.name || ' ' || v.tags || ' ' || coalesce(v.description, '')) LIKE ?
          AND v.nsfw = 0 AND v.language_id IN ('en', 'fr') AND v.duration <= 600 ORDER BY ${expr} ${dir}, v.search_key ${dir}`).raw().all(`%${word}%`) as [number][]).map((x) => x[0])
        assert.ok(reference.length > 0)
        for (const [offset, limit] of [[0, 20], [15, 10], [reference.length - 3, 20]] as const) {
          const expected = reference.slice(offset, offset + limit)
          for (const plan of [undefined, 'sort', 'filter', 'probe', 'window', 'list'] as const) {
            const list = plan === 'list' ? (q: FtsQuery) => matchList(db, VIDEOS, q, r) : undefined
            assert.deepEqual(sortedIds(db, VIDEOS, fts, r, { expr, index, descending, followsRank: true }, offset, limit, { plan, list }), expected, `${word} ${expr} ${dir} ${offset}+${limit} ${plan}`)
          }
        }
      }
    }
  }
})

test('the cost model tries the window plan on a dense word and gives up where the rank does not follow the column', () => {
  const db = bigIndex()
  // No language filter: "gamma" is then dense enough for the plans of many matches; the duration is a row condition.
  const q = query({ search: 'gamma', durationMax: 600 })
  const r = videoRestrictions(db, q)
  const fts = { fts: VIDEOS.fts, expr: matchExpr('{name tags names description}: "gamma"', r) }
  for (const [expr, index] of [['v.views', 'videos_search_views'], ['v.likes', 'videos_search_likes'], ['v.duration', 'videos_search_duration'], ['v.name COLLATE NOCASE', 'videos_search_name']]) {
    const reference = (db.prepare(`SELECT v.id FROM videos v WHERE (v.name || ' ' || v.tags) LIKE '%gamma%' AND v.nsfw = 0 AND v.duration <= 600
      ORDER BY ${expr} DESC, v.search_key DESC`).raw().all() as [number][]).map((x) => x[0])
    assert.ok(reference.length > 300)
    for (const [offset, limit] of [[0, 20], [15, 10], [100, 50], [reference.length - 3, 20]] as const) {
      assert.deepEqual(sortedIds(db, VIDEOS, fts, r, { expr: expr!, index: index!, descending: true, followsRank: true }, offset, limit), reference.slice(offset, offset + limit), `${expr} ${offset}+${limit}`)
    }
  }
})

test('relevance pages are consistent: any page size gives the same sequence, without repeats', () => {
  const db = bigIndex()
  const all: string[] = []
  for (let start = 0; start < 700; start += 100) all.push(...names(db, { search: 'video', start, count: 100, nsfw: 'both' }))
  assert.equal(all.length, 600)
  assert.equal(new Set(all).size, 600)
  const small: string[] = []
  for (let start = 0; start < 600; start += 37) small.push(...names(db, { search: 'video', start, count: 37, nsfw: 'both' }))
  assert.deepEqual(small, all)
  // Titles with "alpha" come before the rest for "alpha video" (all words in the title), whatever the page.
  const ranked = names(db, { search: 'alpha video', count: 15, nsfw: 'both' })
  assert.equal(ranked.filter((n) => n.startsWith('Alpha')).length, 12)
  assert.ok(ranked.slice(0, 12).every((n) => n.startsWith('Alpha')))
})

test('totals are exact on small indexes, with or without row conditions (estimates only start past 2,000 matches)', () => {
  const db = bigIndex()
  assert.equal(searchVideos(db, query({ search: 'gamma', nsfw: 'both' })).total, 400)
  assert.equal(searchVideos(db, query({ search: 'gamma' })).total, 400 - [0, 97, 194, 291, 388, 485, 582].filter((i) => i % 3 !== 0).length)
  const withRange = searchVideos(db, query({ search: 'gamma', durationMin: 350, nsfw: 'both' })).total
  const truth = (db.prepare("SELECT count(*) AS n FROM videos WHERE tags LIKE '%gamma%' AND duration >= 350").get() as { n: number }).n
  assert.equal(withRange, truth)
})

test('nsfw flags: included flags let flagged sensitive videos through, excluded flags keep them out', () => {
  const db = testDb()
  addVideo(db, { name: 'Safe' })
  addVideo(db, { name: 'Violent', nsfw: true, nsfwFlags: 1 })
  addVideo(db, { name: 'Explicit', nsfw: true, nsfwFlags: 2 })
  assert.deepEqual(names(db, { nsfw: 'false' }), ['Safe'])
  assert.deepEqual(names(db, { nsfw: 'false', nsfwFlagsIncluded: 1 }), ['Violent', 'Safe'])
  assert.deepEqual(names(db, { nsfw: 'true', nsfwFlagsExcluded: 2 }), ['Violent'])
  assert.deepEqual(names(db, { nsfw: 'both', nsfwFlagsExcluded: 1 }), ['Explicit', 'Safe'])
})

test('an empty index answers every kind of query with nothing', () => {
  const db = testDb()
  for (const params of [{}, { search: 'x' }, { search: 'a b c', sort: '-views' }, { sort: 'name', languageOneOf: ['fr'] }, { search: 'b29290cc-dc51-4a12-bcb2-2aa5fece7605' }]) {
    assert.deepEqual(searchVideos(db, query(params)), { total: 0, data: [] })
  }
})

test('channel handles: a long list is reduced to the handles the index holds, then checked on the rows past 32', () => {
  const db = testDb()
  for (let i = 0; i < 40; i++) addChannel(db, { name: `chan${i}`, displayName: `Channel number ${i}`, host: i % 2 ? 'a.example' : 'b.example' })
  const search = (handles: string[], text?: string) => {
    const p = parseChannelsParams({ handles, search: text, count: 100 })
    assert.ok(p.ok, JSON.stringify(p))
    const r = searchChannels(db, p.query)
    return { total: r.total, names: r.data.map((c) => c.name).sort() }
  }
  const held = (n: number) => Array.from({ length: n }, (_, i) => `chan${i}@${i % 2 ? 'a.example' : 'b.example'}`)
  const unknown = Array.from({ length: 60 }, (_, i) => `nobody${i}@c.example`)
  for (const n of [3, 32, 33, 40]) {
    const expected = held(n).map((h) => h.split('@')[0]!).sort()
    assert.deepEqual(search([...unknown.slice(0, 100 - n), ...held(n)]), { total: n, names: expected }, `${n} held`)
    assert.deepEqual(search([...unknown.slice(0, 100 - n), ...held(n)], 'number'), { total: n, names: expected }, `${n} held, with words`)
  }
  assert.deepEqual(search(unknown), { total: 0, names: [] })
})

test('estimated totals sample the whole rank order, and never contradict the page shown', () => {
  const db = testDb()
  // 3,000 matches: the less viewed half lasts 70 s, the more viewed half 150 s. "At least 100 s" is a row check
  // (100 is not a duration threshold), met only by the best-ranked half.
  for (let i = 0; i < 3000; i++) addVideo(db, { name: `Clip ${i}`, views: i * 10, duration: i < 1500 ? 70 : 150 })
  const search = (params: Record<string, unknown>) => searchVideos(db, query({ search: 'clip', nsfw: 'both', ...params }))
  const estimated = search({ durationMin: 100 }).total
  assert.ok(Math.abs(estimated - 1500) <= 150, `estimated ${estimated} of 1500`)
  // The page that holds the last match says how many there are; an empty page past them never claims more.
  assert.deepEqual([search({ durationMin: 100, start: 1490, count: 20 }).total, search({ durationMin: 100, start: 1490, count: 20 }).data.length], [1500, 10])
  assert.ok(search({ durationMin: 100, start: 2000, count: 20 }).total <= 2000)
  // Pages past the last result, up to and past the 10,000 cap, say what was counted.
  for (const start of [2990, 3000, 5000, 9950, 9999, 10_000, 20_000]) assert.equal(search({ start, count: 100 }).total, 3000, `start ${start}`)
  // Ten matches among 3,000 candidates, all among the least viewed: the page shows them and the total agrees.
  db.prepare('UPDATE videos SET duration = CASE WHEN id <= 10 THEN 130 ELSE 150 END').run()
  const few = search({ durationMin: 125, durationMax: 135 })
  assert.deepEqual([few.total, few.data.length], [10, 10])
})

test('a search past its time limit answers with the results found so far, in order, and a total that says so', () => {
  const db = testDb()
  // Three levels for "alpha beta gamma" (all three words, then without the most common, gamma, then without beta),
  // ten matches each: several buckets to walk, or parts to count.
  for (let i = 0; i < 30; i++) {
    const words = ['alpha beta gamma', 'alpha beta', 'alpha'][i % 3]!
    addVideo(db, { name: `${words} ${i}`, views: i * 10 })
  }
  for (let i = 0; i < 40; i++) addVideo(db, { name: i % 2 ? `gamma ${i}` : `beta gamma ${i}` })
  const params = [
    { search: 'alpha beta gamma', count: 20 },
    { search: 'alpha beta gamma', count: 10, start: 15, sort: '-views' },
    { search: 'alpha beta gamma', count: 20, start: 0, sort: 'name' },
  ]
  const full = params.map((p) => searchVideos(db, query(p)))
  const limit = SEARCH_LIMITS.ms
  SEARCH_LIMITS.ms = 0
  try {
    for (const [i, p] of params.entries()) {
      const cut = searchVideos(db, query(p))
      const all = full[i]!.data.map((v) => v.name)
      const got = cut.data.map((v) => v.name)
      // Only the first bucket (or part) is read: fewer results (maybe none), and they are the first of the full page.
      assert.ok(got.length < all.length, `${JSON.stringify(p)}: ${got.length} of ${all.length}`)
      assert.deepEqual(got, all.slice(0, got.length), JSON.stringify(p))
      // The total is the count, not the short page's end.
      assert.equal(cut.total, full[i]!.total)
    }
  } finally {
    SEARCH_LIMITS.ms = limit
  }
  assert.deepEqual(searchVideos(db, query(params[0]!)).data, full[0]!.data)
})
