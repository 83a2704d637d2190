// JSON is measured before it is built (issue 9, item 3): deep nesting and swarms of tiny values are refused in one
// pass over the bytes, ordinary answers parse as JSON.parse would.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { JSON_LIMITS, JsonRefused, parseBoundedJson } from '../../src/crawler/bounded-json.ts'
import { realFixture } from '../helpers/fixtures.ts'

const bytes = (s: string) => Buffer.from(s, 'utf8')

test('real PeerTube answers parse exactly as JSON.parse parses them', () => {
  for (const name of ['newpipe__videos-trending__1.json', 'newpipe__video-details__1.json', 'fjernsyn__config__1.json', 'newpipe__account-video-channels__1.json']) {
    const body = JSON.stringify(realFixture(name))
    assert.deepEqual(parseBoundedJson(bytes(body)), JSON.parse(body), name)
  }
})

test('brackets, braces, commas and escaped quotes inside strings are text, not structure', () => {
  const tricky = { a: '[[[[{{{{,,,,::::', b: 'quote \\" and \\\\ backslash ]]]]', c: ['é', '😀', '\u0000'] }
  const deep = '['.repeat(60) + ']'.repeat(60)
  assert.deepEqual(parseBoundedJson(bytes(JSON.stringify(tricky)), { depth: 2, values: 20 }), tricky)
  assert.deepEqual(parseBoundedJson(bytes(JSON.stringify({ s: deep }))), { s: deep })
  // A string ending in backslashes ends at its quote: an even run escapes itself, not the quote.
  for (const end of ['\\', '\\\\', '\\\\\\']) {
    const value = ['a' + end, '[[[[[[', 'b\\"' + end, '{{{{']
    assert.deepEqual(parseBoundedJson(bytes(JSON.stringify(value)), { depth: 2, values: 20 }), value, end)
  }
})

test('nesting deeper than the limit is refused before anything is built', () => {
  const depth = JSON_LIMITS.depth
  assert.doesNotThrow(() => parseBoundedJson(bytes('['.repeat(depth) + ']'.repeat(depth))))
  assert.throws(() => parseBoundedJson(bytes('['.repeat(depth + 1) + ']'.repeat(depth + 1))), new JsonRefused(`answered JSON nested deeper than ${depth} levels`))
  // 6 MB of opening brackets, never closed: refused at the 65th byte.
  const started = performance.now()
  assert.throws(() => parseBoundedJson(Buffer.alloc(6 * 1024 * 1024, '[')), JsonRefused)
  assert.ok(performance.now() - started < 1000)
  assert.throws(() => parseBoundedJson(bytes('{"a":'.repeat(100) + '1' + '}'.repeat(100))), /nested deeper/)
})

test('more values than the limit is refused, however flat', () => {
  const many = (n: number) => bytes(`[${Array.from({ length: n }, () => '{}').join(',')}]`)
  assert.doesNotThrow(() => parseBoundedJson(many(1000), { depth: 8, values: 3000 }))
  assert.throws(() => parseBoundedJson(many(2000), { depth: 8, values: 3000 }), new JsonRefused('answered JSON of more than 3000 values'))
  assert.throws(() => parseBoundedJson(many(1_000_000)), /more than 250000 values/)
})

test('what is not JSON says so', () => {
  assert.throws(() => parseBoundedJson(bytes('<html>')), new JsonRefused('answered something that is not JSON'))
  assert.throws(() => parseBoundedJson(bytes('{"total": 3, "data": [{"id": 1, "uuid": "')), /not JSON/)
})
