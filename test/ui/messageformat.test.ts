// The ICU MessageFormat subset of the catalogues (views/i18n/messageformat.ts).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { argumentsOf, formatParts, parseMessage } from '../../views/i18n/messageformat.ts'

const env = (locale: string) => {
  const rules = new Intl.PluralRules(locale)
  const number = new Intl.NumberFormat(locale)
  return { plural: (n: number) => rules.select(n), number: (n: number) => number.format(n) }
}
const format = (source: string, args: Record<string, string | number>, locale = 'en') => formatParts(parseMessage(source), args, env(locale)).join('')

test('arguments, plurals with # and exact values, selects, nested', () => {
  assert.equal(format('Hello {name}!', { name: 'Ada' }), 'Hello Ada!')
  const views = '{count, plural, =0 {no view} one {# view} other {# views}}'
  assert.equal(format(views, { count: 0 }), 'no view')
  assert.equal(format(views, { count: 1 }), '1 view')
  assert.equal(format(views, { count: 1234 }), '1,234 views')
  assert.equal(format(views, { count: 1234 }, 'de'), '1.234 views')
  assert.equal(format('{g, select, f {elle} other {il}} {n, plural, one {vient} other {viennent}}', { g: 'f', n: 2 }, 'fr'), 'elle viennent')
  assert.equal(format('{n, plural, one {{x, select, a {# A} other {# B}}} other {#}}', { n: 1, x: 'a' }), '1 A')
})

test('plural categories follow the language: Polish few and many', () => {
  const msg = '{n, plural, one {# plik} few {# pliki} many {# plików} other {# pliku}}'
  assert.equal(format(msg, { n: 1 }, 'pl'), '1 plik')
  assert.equal(format(msg, { n: 3 }, 'pl'), '3 pliki')
  assert.equal(format(msg, { n: 5 }, 'pl'), '5 plików')
})

test('apostrophes: doubled is one, before a brace it quotes, elsewhere it is itself', () => {
  assert.equal(format("l'orthographe", {}), "l'orthographe")
  assert.equal(format("it''s", {}), "it's")
  assert.equal(format("'{name}' is literal, {name} is not", { name: 'x' }), '{name} is literal, x is not')
  assert.equal(format("{n, plural, other {'#' is # }}", { n: 3 }), '# is 3 ')
})

test('syntax errors name the place; unsupported forms are refused', () => {
  assert.throws(() => parseMessage('{n, plural, one {x}}'), /needs an "other" branch/)
  assert.throws(() => parseMessage('{n, number}'), /unsupported argument type "number"/)
  assert.throws(() => parseMessage('{n, plural, offset:1 other {x}}'), /expected/)
  assert.throws(() => parseMessage('oops }'), /unmatched/)
  assert.throws(() => parseMessage('{n, select, =1 {x} other {y}}'), /belong to plural/)
  assert.throws(() => parseMessage('{ unterminated'), /expected/)
})

test('a missing argument is an error, not a blank', () => {
  assert.throws(() => format('Hi {name}', {}), /missing message argument "name"/)
})

test('argumentsOf lists names, kinds and branch keys', () => {
  const args = argumentsOf(parseMessage('{a} {n, plural, one {x} other {{b}}} {s, select, y {} other {}}'))
  assert.deepEqual([...args.keys()].sort(), ['a', 'b', 'n', 's'])
  assert.equal(args.get('n')!.kind, 'plural')
  assert.deepEqual([...args.get('s')!.keys].sort(), ['other', 'y'])
})
