import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import { shortUuid, isUuid } from '../../src/short-uuid.ts'
import { realFixture } from '../helpers/fixtures.ts'

// Every (uuid, shortUUID) pair PeerTube itself wrote in the real recorded responses.
function pairs(x: unknown, out: [string, string][] = []): [string, string][] {
  if (Array.isArray(x)) for (const item of x) pairs(item, out)
  else if (x && typeof x === 'object') {
    const o = x as Record<string, unknown>
    if (typeof o.uuid === 'string' && typeof o.shortUUID === 'string') out.push([o.uuid, o.shortUUID])
    for (const value of Object.values(o)) pairs(value, out)
  }
  return out
}

test('shortUuid matches what PeerTube computed for every uuid in the real fixtures', () => {
  const files = readdirSync(new URL('../fixtures/', import.meta.url)).filter((f) => f.endsWith('.json'))
  const all = files.flatMap((f) => pairs(realFixture(f)))
  assert.ok(all.length >= 15, `expected many pairs, found ${all.length}`)
  for (const [uuid, short] of all) assert.equal(shortUuid(uuid), short, uuid)
})

test('shortUuid pads to 22 characters like the short-uuid package, and is case-insensitive', () => {
  assert.equal(shortUuid('00000000-0000-0000-0000-000000000000'), '1'.repeat(22))
  assert.equal(shortUuid('00000000-0000-0000-0000-000000000039'), '1'.repeat(21) + 'Z')
  assert.equal(shortUuid('00000000-0000-0000-0000-00000000003a'), '1'.repeat(20) + '21')
  assert.equal(shortUuid('9C9DE5E8-0A1E-484A-B099-E80766180A6D'), 'kkGMgK9ZtnKfYAgnEtQxbv')
  assert.equal(shortUuid('ffffffff-ffff-ffff-ffff-ffffffffffff').length, 22)
})

test('shortUuid refuses anything that is not a uuid', () => {
  for (const bad of ['', 'kkGMgK9ZtnKfYAgnEtQxbv', '9c9de5e80a1e484ab099e80766180a6d', '9c9de5e8-0a1e-484a-b099-e80766180a6dz']) {
    assert.equal(isUuid(bad), false, bad)
    assert.throws(() => shortUuid(bad))
  }
})
