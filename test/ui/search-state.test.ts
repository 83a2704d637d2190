import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  actorSearchInput,
  countFilters,
  readSearchState,
  resetState,
  stateParams,
  videoSearchInput,
  type RawQuery,
} from '../../src/http/ui/search-state.ts'

const NOW = Date.parse('2025-06-15T12:00:00.000Z')
const q = (s: string): RawQuery => {
  const out: RawQuery = {}
  for (const [k, v] of new URLSearchParams(s)) (out[k] ??= []).push(v)
  return out
}

test('friendly published-date choices become startDate relative to now', () => {
  const cases: [string, string][] = [
    ['today', '2025-06-14T12:00:00.000Z'],
    ['last_7days', '2025-06-08T12:00:00.000Z'],
    ['last_30days', '2025-05-16T12:00:00.000Z'],
    ['last_365days', '2024-06-15T12:00:00.000Z'],
  ]
  for (const [range, start] of cases) {
    const { state, invalid } = readSearchState(q(`search=x&publishedDateRange=${range}`))
    assert.deepEqual(invalid, {})
    const input = videoSearchInput(state, NOW, [])
    assert.equal(input.startDate, start, range)
    assert.equal(input.endDate, undefined)
  }
})

test('friendly durations become durationMin/durationMax as in PeerTube (4 and 10 minutes)', () => {
  const input = (range: string) => videoSearchInput(readSearchState(q(`durationRange=${range}`)).state, NOW, [])
  assert.deepEqual([input('short').durationMin, input('short').durationMax], [undefined, '240'])
  assert.deepEqual([input('medium').durationMin, input('medium').durationMax], ['240', '600'])
  assert.deepEqual([input('long').durationMin, input('long').durationMax], ['600', undefined])
})

test('API parameter names in a URL are honoured as the API would, and survive a round trip', () => {
  const url =
    'search=blender&sort=-views&startDate=2024-01-01T00:00:00.000Z&durationMin=60&categoryOneOf=1&categoryOneOf=15' +
    '&languageOneOf=fr&tagsOneOf=a,b&tagsAllOf=c&host=video.example.org&isLive=false&nsfw=both'
  const { state, invalid } = readSearchState(q(url))
  assert.deepEqual(invalid, {})
  const input = videoSearchInput(state, NOW, ['fr', 'en'])
  assert.deepEqual(input, {
    start: '0', count: '20', search: 'blender', host: 'video.example.org', sort: '-views', nsfw: 'both', isLive: 'false',
    startDate: '2024-01-01T00:00:00.000Z', durationMin: '60', categoryOneOf: ['1', '15'],
    languageOneOf: ['fr'], tagsOneOf: ['a', 'b'], tagsAllOf: ['c'], boostLanguages: ['fr', 'en'],
  })
  const again = readSearchState(q(new URLSearchParams(stateParams(state)).toString())).state
  assert.deepEqual(again, state)
  assert.deepEqual(readSearchState(q('languageOneOf[]=fr&languageOneOf[]=de')).state.languageOneOf, ['fr', 'de'])
})

test('sensitive videos are hidden unless the URL asks for them', () => {
  assert.equal(videoSearchInput(readSearchState(q('search=x')).state, NOW, []).nsfw, 'false')
  assert.equal(videoSearchInput(readSearchState(q('search=x&nsfw=both')).state, NOW, []).nsfw, 'both')
})

test('a friendly range replaces explicit dates; without one (or with "custom") the dates typed in the panel apply', () => {
  const friendly = readSearchState(q('publishedDateRange=last_7days&startDate=2020-01-01')).state
  assert.equal(videoSearchInput(friendly, NOW, []).startDate, '2025-06-08T12:00:00.000Z')
  const any = readSearchState(q('publishedDateRange=&startDate=2020-01-01&endDate=')).state
  assert.equal(videoSearchInput(any, NOW, []).startDate, '2020-01-01')
  const custom = readSearchState(q('publishedDateRange=custom&startDate=2020-01-01&durationRange=custom&durationMax=30')).state
  assert.equal(videoSearchInput(custom, NOW, []).startDate, '2020-01-01')
  assert.equal(videoSearchInput(custom, NOW, []).durationMax, '30')
  assert.deepEqual(stateParams(custom), [['startDate', '2020-01-01'], ['durationMax', '30']])
  const preset = readSearchState(q('durationRange=short&durationMinMinutes=5')).state
  assert.deepEqual([videoSearchInput(preset, NOW, []).durationMin, videoSearchInput(preset, NOW, []).durationMax], [undefined, '240'])
})

test('a bare end date includes its whole day, as the panel says', () => {
  const input = videoSearchInput(readSearchState(q('startDate=2024-05-01&endDate=2024-05-31')).state, NOW, [])
  assert.deepEqual([input.startDate, input.endDate], ['2024-05-01', '2024-05-31T23:59:59.999Z'])
  const exact = videoSearchInput(readSearchState(q('endDate=2024-05-31T12:00:00Z')).state, NOW, [])
  assert.equal(exact.endDate, '2024-05-31T12:00:00Z', 'a full timestamp is kept as it is')
})

test('the panel minutes and years become the API seconds and dates; cleared fields clear them', () => {
  const { state, invalid } = readSearchState(q('durationMinMinutes=1.5&durationMaxMinutes=20&originallyPublishedStartYear=1990&originallyPublishedEndYear=1999'))
  assert.deepEqual(invalid, {})
  const input = videoSearchInput(state, NOW, [])
  assert.deepEqual([input.durationMin, input.durationMax], ['90', '1200'])
  assert.deepEqual([input.originallyPublishedStartDate, input.originallyPublishedEndDate], ['1990-01-01', '1999-12-31T23:59:59.999Z'])
  assert.deepEqual(
    stateParams(state),
    [['originallyPublishedStartDate', '1990-01-01'], ['originallyPublishedEndDate', '1999-12-31'], ['durationMin', '90'], ['durationMax', '1200']],
  )
  const cleared = readSearchState(q('durationMin=90&durationMinMinutes=&originallyPublishedStartDate=1990-01-01&originallyPublishedStartYear=')).state
  assert.deepEqual([cleared.durationMin, cleared.originallyPublishedStartDate], ['', ''])
  for (const bad of ['durationMinMinutes=ten', 'durationMaxMinutes=-3', 'originallyPublishedStartYear=90', 'originallyPublishedEndYear=2k20']) {
    assert.equal(Object.keys(readSearchState(q(bad)).invalid).length, 1, bad)
  }
})

test('page turns into start/count, and the site-defined values are checked', () => {
  assert.equal(videoSearchInput(readSearchState(q('search=x&page=3')).state, NOW, []).start, '40')
  for (const bad of ['page=0', 'page=1.5', 'page=51', 'page=abc', 'resultType=users', 'publishedDateRange=week', 'durationRange=tiny']) {
    const { invalid } = readSearchState(q(bad))
    assert.equal(Object.keys(invalid).length, 1, bad)
  }
})

test('channels and playlists get the nearest sort, and only a few of them on an "all" page', () => {
  const all = readSearchState(q('search=x&sort=-publishedAt&page=1')).state
  assert.deepEqual(actorSearchInput(all), { start: '0', count: '3', search: 'x', sort: '-createdAt' })
  const channels = readSearchState(q('search=x&sort=-views&resultType=channels&page=2&host=a.example')).state
  assert.deepEqual(actorSearchInput(channels), { start: '20', count: '20', search: 'x', host: 'a.example', sort: '-match' })
})

test('reset keeps the words and the kind of results, nothing else', () => {
  const { state } = readSearchState(q('search=x&resultType=videos&durationRange=long&languageOneOf=fr&page=4&host=h.example'))
  assert.equal(countFilters(state), 3)
  assert.deepEqual(stateParams(resetState(state)), [['search', 'x'], ['resultType', 'videos']])
})
