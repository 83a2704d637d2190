// The requests' dialects and the answers that are not items: server config, page envelope, the listing guard.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as v from 'valibot'
import { ServerConfigSchema, listingGuard, localDialect, uuidKey, versionBelow } from '../../src/crawler/peertube.ts'
import { realFixture } from '../helpers/fixtures.ts'

test('a real server config gives the version and the local-videos dialect', () => {
  const c = v.parse(ServerConfigSchema, realFixture('fjernsyn__config__1.json'))
  assert.equal(c.serverVersion, '6.2.0')
  assert.equal(c.instance?.name, 'PeerTube')
  assert.equal(localDialect('3.4.1'), 'filter')
  assert.equal(localDialect('2.0.0'), 'filter')
  assert.equal(localDialect('4.0.0'), 'isLocal')
  assert.equal(localDialect('8.2.3'), 'isLocal')
  assert.equal(localDialect('nonsense'), 'isLocal')
  assert.equal(versionBelow('4.3.1', 5), true)
  assert.equal(versionBelow('5.0.0', 5), false)
  assert.equal(versionBelow('weird', 5), false)
})

test('the listing guard stops pages of nothing but invalid items and pages already seen, with bounded memory', () => {
  const guard = listingGuard()
  const page = (from: number) => Array.from({ length: 3 }, (_, i) => uuidKey({ uuid: `00000000-0000-4000-8000-${String(from + i).padStart(12, '0')}` }))
  assert.equal(guard(page(0), []), null)
  assert.equal(guard(page(3), ['x']), null, 'some invalid items are noise')
  assert.match(guard(page(6), ['a', 'b', 'c']) ?? '', /^answered only invalid items \(a\)$/)
  assert.match(guard(page(3), []) ?? '', /already sent/)
  // Only the last pages are remembered: a page from long ago is not "already sent" any more.
  for (let p = 10; p < 40; p++) assert.equal(guard(page(p * 3), []), null)
  assert.equal(guard(page(0), []), null)
  assert.equal(guard([], []), null, 'an empty page ends the listing by itself')
})
