import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseChannelsParams, parsePlaylistsParams, parseVideosParams, VIDEO_SORTS, CHANNEL_SORTS } from '../../src/search/params.ts'

const ok = <Q>(r: { ok: true; query: Q } | { ok: false; invalidParams: unknown }): Q => {
  if (!r.ok) assert.fail(`expected valid parameters, got ${JSON.stringify(r.invalidParams)}`)
  return r.query
}
const invalid = (r: { ok: boolean; invalidParams?: Record<string, unknown> }): string[] => {
  assert.equal(r.ok, false)
  return Object.keys(r.invalidParams!)
}

test('defaults: start 0, count 20, sort -match, nsfw false, no filters', () => {
  const q = ok(parseVideosParams({}))
  assert.equal(q.search, null)
  assert.equal(q.start, 0)
  assert.equal(q.count, 20)
  assert.equal(q.sort, '-match')
  assert.equal(q.nsfw, 'false')
  assert.deepEqual([q.categoryOneOf, q.languageOneOf, q.tagsOneOf, q.uuids, q.blockedAccounts], [[], [], [], [], []])
  assert.equal(q.isLive, null)
})

test('arrays: one value, repeated keys, key[] and JSON arrays are the same filter', () => {
  for (const input of [
    { languageOneOf: 'fr' },
    { languageOneOf: ['fr'] },
    { 'languageOneOf[]': 'fr' },
    { 'languageOneOf[]': ['fr'] },
  ]) assert.deepEqual(ok(parseVideosParams(input)).languageOneOf, ['fr'], JSON.stringify(input))
  assert.deepEqual(ok(parseVideosParams({ languageOneOf: ['fr', 'en'] })).languageOneOf, ['fr', 'en'])
  assert.deepEqual(ok(parseVideosParams({ languageOneOf: 'fr', 'languageOneOf[]': ['en'] })).languageOneOf, ['fr', 'en'])
  // PeerTube instances forward categoryOneOf as numeric strings, apps as numbers.
  assert.deepEqual(ok(parseVideosParams({ categoryOneOf: ['1', '15'] })).categoryOneOf, [1, 15])
  assert.deepEqual(ok(parseVideosParams({ categoryOneOf: [1, 15] })).categoryOneOf, [1, 15])
  assert.deepEqual(ok(parseVideosParams({ licenceOneOf: '3' })).licenceOneOf, [3])
})

test('numbers arrive as numbers or strings; a repeated scalar uses its first value', () => {
  const q = ok(parseVideosParams({ start: '40', count: 5, durationMin: '60', durationMax: 600 }))
  assert.deepEqual([q.start, q.count, q.durationMin, q.durationMax], [40, 5, 60, 600])
  assert.equal(ok(parseVideosParams({ count: ['5', '10'] })).count, 5)
  assert.equal(ok(parseVideosParams({ count: '0' })).count, 0)
  assert.equal(ok(parseVideosParams({ count: '100' })).count, 100)
})

test('invalid values are refused with the parameter named, as PeerTube does', () => {
  assert.deepEqual(invalid(parseVideosParams({ count: '101' })), ['count'])
  assert.deepEqual(invalid(parseVideosParams({ count: 500 })), ['count'])
  assert.deepEqual(invalid(parseVideosParams({ start: '-1' })), ['start'])
  assert.deepEqual(invalid(parseVideosParams({ start: 'ten' })), ['start'])
  assert.deepEqual(invalid(parseVideosParams({ count: 2.5 })), ['count'])
  assert.deepEqual(invalid(parseVideosParams({ nsfw: 'maybe' })), ['nsfw'])
  assert.deepEqual(invalid(parseVideosParams({ isLive: 'yes' })), ['isLive'])
  assert.deepEqual(invalid(parseVideosParams({ startDate: 'yesterday' })), ['startDate'])
  assert.deepEqual(invalid(parseVideosParams({ endDate: '2024-13-45' })), ['endDate'])
  assert.deepEqual(invalid(parseVideosParams({ categoryOneOf: ['music'] })), ['categoryOneOf'])
  assert.deepEqual(invalid(parseVideosParams({ uuids: ['not-a-uuid'] })), ['uuids'])
  assert.deepEqual(invalid(parseVideosParams({ host: 'not a host!' })), ['host'])
  assert.deepEqual(invalid(parseVideosParams({ search: { nested: true } })), ['search'])
  assert.deepEqual(invalid(parseVideosParams({ durationMin: -5 })), ['durationMin'])
  assert.deepEqual(invalid(parseVideosParams({ count: 500, nsfw: 'maybe' })).sort(), ['count', 'nsfw'])
  const r = parseVideosParams({ count: '500' }, 'body')
  assert.ok(!r.ok)
  assert.deepEqual(r.invalidParams.count, { type: 'field', value: '500', msg: 'Should be at most 100', path: 'count', location: 'body' })
})

test('every sort of the contract is accepted, with and without "-"', () => {
  for (const column of VIDEO_SORTS) {
    assert.equal(ok(parseVideosParams({ sort: column })).sort, column)
    assert.equal(ok(parseVideosParams({ sort: `-${column}` })).sort, `-${column}`)
  }
  for (const column of CHANNEL_SORTS) {
    assert.equal(ok(parseChannelsParams({ sort: `-${column}` })).sort, `-${column}`)
    assert.equal(ok(parsePlaylistsParams({ sort: column })).sort, column)
  }
})

test('unknown but well-formed sorts from third-party clients fall back; malformed ones are a 400', () => {
  assert.equal(ok(parseVideosParams({ sort: '-trending' })).sort, '-hot')
  assert.equal(ok(parseVideosParams({ sort: 'best' })).sort, 'hot')
  assert.equal(ok(parseVideosParams({ sort: '-comments' })).sort, '-match')
  assert.equal(ok(parseVideosParams({ sort: 'random' })).sort, '-match')
  assert.equal(ok(parseVideosParams({ sort: '-PUBLISHEDAT' })).sort, '-publishedAt')
  assert.equal(ok(parseChannelsParams({ sort: '-views' })).sort, '-match')
  assert.equal(ok(parseChannelsParams({ sort: '-trending' })).sort, '-match')
  assert.deepEqual(invalid(parseVideosParams({ sort: '--views' })), ['sort'])
  assert.deepEqual(invalid(parseVideosParams({ sort: "views'; DROP TABLE videos" })), ['sort'])
  assert.deepEqual(invalid(parseVideosParams({ sort: 42 })), ['sort'])
})

test('nsfw, booleans and dates in the forms clients send them', () => {
  assert.equal(ok(parseVideosParams({ nsfw: 'both' })).nsfw, 'both')
  assert.equal(ok(parseVideosParams({ nsfw: true })).nsfw, 'true')
  assert.equal(ok(parseVideosParams({ nsfw: 'FALSE' })).nsfw, 'false')
  assert.equal(ok(parseVideosParams({ isLive: 'true' })).isLive, true)
  assert.equal(ok(parseVideosParams({ isLive: false })).isLive, false)
  // SearXNG sends a bare date; PeerTube instances full ISO timestamps.
  assert.equal(ok(parseVideosParams({ startDate: '2024-05-01' })).startDate, Date.UTC(2024, 4, 1))
  assert.equal(ok(parseVideosParams({ endDate: '2024-05-01T12:30:00.000Z' })).endDate, Date.UTC(2024, 4, 1, 12, 30))
  assert.equal(ok(parseVideosParams({ endDate: '2024-05-01T12:30:00+02:00' })).endDate, Date.UTC(2024, 4, 1, 10, 30))
  assert.equal(ok(parseVideosParams({ originallyPublishedStartDate: '2001-01-01T00:00:00Z' })).originallyPublishedStartDate, Date.UTC(2001, 0, 1))
})

test('uuids accept short uuids; handles and block lists are lower-cased; unknown keys are ignored', () => {
  const q = ok(parseVideosParams({
    uuids: ['o3XdtSYTnv2LYxRsf8Mndz', 'B29290CC-DC51-4A12-BCB2-2AA5FECE7605'],
    blockedAccounts: ['Spammer@Spam.Example'], blockedHosts: ['Bad.Example'],
    searchTarget: 'search-index', resultType: 'videos', skipCount: 'true', include: 1, privacyOneOf: [1], plugin: { x: 1 },
  }))
  assert.deepEqual(q.uuids, ['b29290cc-dc51-4a12-bcb2-2aa5fece7605'])
  assert.deepEqual(q.blockedAccounts, ['spammer@spam.example'])
  assert.deepEqual(q.blockedHosts, ['bad.example'])
  const c = ok(parseChannelsParams({ search: '@blender@video.blender.org', handles: ['@Blender@Video.Blender.org'] }))
  assert.equal(c.search, 'blender@video.blender.org')
  assert.deepEqual(c.handles, ['blender@video.blender.org'])
  assert.deepEqual(ok(parsePlaylistsParams({ uuids: 'o3XdtSYTnv2LYxRsf8Mndz' })).uuids, ['b29290cc-dc51-4a12-bcb2-2aa5fece7605'])
})

test('blank values mean "no filter", as HTML forms send them', () => {
  const q = ok(parseVideosParams({ search: '  ', host: '', languageOneOf: [], startDate: '', nsfw: '' }))
  assert.equal(q.search, null)
  assert.equal(q.host, null)
  assert.deepEqual(q.languageOneOf, [])
  assert.equal(q.startDate, null)
  assert.equal(q.nsfw, 'false')
})

test('repeated filter values count once; too many distinct values are a 400 naming the parameter', () => {
  const q = ok(parseVideosParams({
    categoryOneOf: Array(500).fill('1'), licenceOneOf: Array(500).fill(2), languageOneOf: [...Array(500).fill('fr'), 'FR'],
    tagsOneOf: [...Array(500).fill('KDE Gear'), 'kde-gear'], tagsAllOf: Array(500).fill('x'), uuids: Array(500).fill('b29290cc-dc51-4a12-bcb2-2aa5fece7605'),
    boostLanguages: Array(500).fill('en'),
  }))
  assert.deepEqual([q.categoryOneOf, q.licenceOneOf, q.languageOneOf, q.tagsOneOf, q.tagsAllOf, q.uuids.length, q.boostLanguages], [[1], [2], ['fr'], ['KDE Gear'], ['x'], 1, ['en']])
  assert.deepEqual(invalid(parseVideosParams({ categoryOneOf: Array.from({ length: 101 }, (_, i) => i) })), ['categoryOneOf'])
  assert.deepEqual(invalid(parseVideosParams({ tagsOneOf: Array.from({ length: 33 }, (_, i) => `t${i}`) })), ['tagsOneOf'])
  assert.deepEqual(invalid(parseVideosParams({ languageOneOf: Array.from({ length: 501 }, (_, i) => `l${i}`) })), ['languageOneOf'])
  // Channel handles too (each is a token of every query of the search): repeats and case count once.
  assert.deepEqual(ok(parseChannelsParams({ handles: [...Array(500).fill('a@x.example'), '@A@X.example'] })).handles, ['a@x.example'])
  assert.deepEqual(invalid(parseChannelsParams({ handles: Array.from({ length: 101 }, (_, i) => `c${i}@x.example`) })), ['handles'])
  // Block lists as PeerTube instances forward them: thousands of entries are fine.
  const blocks = ok(parseVideosParams({ blockedAccounts: Array.from({ length: 5000 }, (_, i) => `u${i}@x.example`), blockedHosts: Array.from({ length: 3000 }, (_, i) => `h${i}.example`) }))
  assert.equal(blocks.blockedAccounts.length, 5000)
  assert.equal(blocks.blockedHosts.length, 3000)
})

test('any valid date is accepted, however far in the past or future; invalid ones are a 400', () => {
  for (const d of ['1900-01-01', '9999-12-31', '1931-12-13', '0001-01-01T00:00:00Z']) {
    assert.equal(typeof ok(parseVideosParams({ startDate: d, endDate: d })).startDate, 'number', d)
  }
  assert.deepEqual(invalid(parseVideosParams({ startDate: '2024-13-01' })), ['startDate'])
  assert.deepEqual(invalid(parseVideosParams({ endDate: 'yesterday' })), ['endDate'])
})
