// What every item kind shares: capped strings, images kept only on the instance's origin.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cap, images, type InstanceRef } from '../../../src/crawler/items/common.ts'

const framatube: InstanceRef = { host: 'framatube.org', origin: 'https://framatube.org' }

test('strings are capped without splitting a character; images off the instance\'s origin are dropped or rebuilt', () => {
  assert.equal(cap('a😀b', 2), 'a', 'never half a surrogate pair')
  const avatars = images([{ width: 1, path: '/a.png', fileUrl: 'https://evil.example/a.png' }, { width: 2, path: '//evil.example/b.png' }, 'junk'], null, framatube)
  assert.deepEqual(avatars.map((a) => a.fileUrl), ['https://framatube.org/a.png'])
})
