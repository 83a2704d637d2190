import { test } from 'node:test'
import assert from 'node:assert/strict'
import { dateRangeTokens, dateTokens, durationBucket, exactTitleToken, tagToken, titleToken } from '../../src/search/facets.ts'

const at = (iso: string) => Date.parse(iso)
const endOf = (iso: string) => Date.parse(iso) - 1

test('a date range is covered by the coarsest tokens: whole years, whole months, then days', () => {
  assert.deepEqual(dateRangeTokens(at('2022-01-01'), endOf('2024-01-01')), { tokens: ['zy2022', 'zy2023'], exact: true })
  assert.deepEqual(dateRangeTokens(at('2023-11-01'), endOf('2024-03-01')), { tokens: ['zm202311', 'zm202312', 'zm202401', 'zm202402'], exact: true })
  assert.deepEqual(dateRangeTokens(at('2024-05-28'), endOf('2024-06-03')), {
    tokens: ['zd20240528', 'zd20240529', 'zd20240530', 'zd20240531', 'zd20240601', 'zd20240602'],
    exact: true,
  })
  // A partial month of many days is its month, trimmed by a row check (not exact).
  assert.deepEqual(dateRangeTokens(at('2024-05-03'), endOf('2024-06-01')), { tokens: ['zm202405'], exact: false })
  // A time of day is never exact.
  assert.equal(dateRangeTokens(at('2024-05-28T12:00:00Z'), endOf('2024-05-30'))!.exact, false)
  assert.deepEqual(dateRangeTokens(at('2024-05-30'), at('2024-05-01')), { tokens: [], exact: true }, 'an empty range')
  assert.equal(dateRangeTokens(at('1900-01-01'), at('2024-06-01')), null, 'too many tokens: a row check instead')
})

test('every publication time is under its year, month and day tokens', () => {
  assert.deepEqual(dateTokens(at('2024-02-29T23:59:59Z')), ['zy2024', 'zm202402', 'zd20240229'])
  assert.deepEqual(dateTokens(8.64e15), [], 'outside 4-digit years')
})

test('durations fall in one bucket each', () => {
  assert.deepEqual([0, 9, 10, 59, 60, 239, 240, 7199, 7200, 10_799, 10_800, 1e9].map(durationBucket), [0, 0, 1, 2, 3, 4, 5, 13, 14, 14, 15, 15])
})

test('tags match whatever their case, accents, spaces and common punctuation', () => {
  assert.equal(tagToken('KDE Gear'), tagToken('kde-gear'))
  assert.equal(tagToken('Été'), tagToken('ete'))
  assert.notEqual(tagToken('kde'), tagToken('gnome'))
})

test('the exact-title token is the title words, folded, in order; long titles have none', () => {
  assert.equal(titleToken('Linux: the Basics!'), exactTitleToken(['linux', 'the', 'basics']))
  assert.notEqual(titleToken('Basics of Linux'), titleToken('Linux of Basics'))
  assert.equal(titleToken('one two three four five six seven eight nine'), null)
})
