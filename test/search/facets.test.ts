import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { dateRangeTokens, dateTokens, durationTokens, exactTitleToken, tagToken, titleToken } from '../../src/search/facets.ts'

const at = (iso: string) => Date.parse(iso)
const endOf = (iso: string) => Date.parse(iso) - 1

test('a date range is covered by the coarsest tokens: whole years, whole months, then days', () => {
  const exactly = (tokens: string[]) => ({ tokens, widerStart: false, widerEnd: false })
  assert.deepEqual(dateRangeTokens(at('2022-01-01'), endOf('2024-01-01')), exactly(['zy2022', 'zy2023']))
  assert.deepEqual(dateRangeTokens(at('2023-11-01'), endOf('2024-03-01')), exactly(['zm202311', 'zm202312', 'zm202401', 'zm202402']))
  assert.deepEqual(dateRangeTokens(at('2024-05-28'), endOf('2024-06-03')),
    exactly(['zd20240528', 'zd20240529', 'zd20240530', 'zd20240531', 'zd20240601', 'zd20240602']))
  // A partial month of many days is its month, which reaches past the range on that side.
  assert.deepEqual(dateRangeTokens(at('2024-05-03'), endOf('2024-06-01')), { tokens: ['zm202405'], widerStart: true, widerEnd: false })
  assert.deepEqual(dateRangeTokens(at('2024-04-01'), at('2024-05-20')), { tokens: ['zm202404', 'zm202405'], widerStart: false, widerEnd: true })
  // Whole days: a time of day is the caller's to check.
  assert.deepEqual(dateRangeTokens(at('2024-05-28T12:00:00Z'), at('2024-05-29T01:00:00Z')), exactly(['zd20240528', 'zd20240529']))
  assert.deepEqual(dateRangeTokens(at('2024-05-30'), at('2024-05-01')), exactly([]), 'an empty range')
  assert.equal(dateRangeTokens(at('1900-01-01'), at('2024-06-01')), null, 'too many tokens: a row check instead')
})

test('every publication time is under its year, month and day tokens', () => {
  assert.deepEqual(dateTokens(at('2024-02-29T23:59:59Z')), ['zy2024', 'zm202402', 'zd20240229'])
  assert.deepEqual(dateTokens(8.64e15), [], 'outside 4-digit years')
})

test('a duration holds a token for every threshold it reaches', () => {
  assert.deepEqual(durationTokens(29), [])
  assert.deepEqual(durationTokens(60), ['zu30', 'zu60'])
  assert.deepEqual(durationTokens(239), ['zu30', 'zu60', 'zu120'])
  assert.equal(durationTokens(1e9).length, 14)
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

test('any range of days, in any year from 1 to 9999, is covered by the tokens of exactly its days, or of whole months where it says so', () => {
  const DAY = 86_400_000
  const first = Date.parse('0001-01-01') / DAY
  const last = Date.parse('9999-12-31') / DAY
  const month = (day: number) => new Date(day * DAY).toISOString().slice(0, 7)
  fc.assert(
    fc.property(fc.integer({ min: first, max: last - 400 }), fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: DAY - 1 }), (from, days, time) => {
      const to = from + days
      const cover = dateRangeTokens(from * DAY + time, to * DAY + time)
      if (!cover) return
      const tokens = new Set(cover.tokens)
      for (let d = Math.max(first, from - 40); d <= Math.min(last, to + 40); d++) {
        const covered = dateTokens(d * DAY).some((t) => tokens.has(t))
        const what = `${new Date(d * DAY).toISOString().slice(0, 10)} in ${JSON.stringify(cover)}`
        if (d >= from && d <= to) assert.ok(covered, `not covered: ${what}`)
        else if (covered) assert.ok((d < from && cover.widerStart && month(d) === month(from)) || (d > to && cover.widerEnd && month(d) === month(to)), `covered: ${what}`)
      }
    }),
    { numRuns: 300, includeErrorInReport: true },
  )
})
