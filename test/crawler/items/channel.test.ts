// A channel as listed: an instance's own kept with absolute images, remote ones ignored.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as v from 'valibot'
import { normalizeChannel } from '../../../src/crawler/items/channel.ts'
import type { InstanceRef } from '../../../src/crawler/items/common.ts'
import { PageSchema } from '../../../src/crawler/peertube.ts'
import { realFixture } from '../../helpers/fixtures.ts'

const framatube: InstanceRef = { host: 'framatube.org', origin: 'https://framatube.org' }

test('real channels: a local one is kept with absolute images; a list page of them parses', () => {
  const kolektiva = { host: 'kolektiva.media', origin: 'https://kolektiva.media' }
  const c = normalizeChannel(realFixture('newpipe__video-channel__1.json'), kolektiva)
  assert.ok(c.kind === 'ok')
  assert.equal(c.record.name, 'documentary_channel')
  assert.equal(c.record.banners[0]!.fileUrl, 'https://kolektiva.media/lazy-static/banners/f7a78615-9117-48e7-8356-bcaeaa52209e.jpg')
  assert.equal(c.record.owner.avatars.length, 3, 'an avatar with width null is kept')
  assert.equal(normalizeChannel(realFixture('newpipe__video-channel__1.json'), framatube).kind, 'ignored')
  const list = v.parse(PageSchema, realFixture('newpipe__account-video-channels__1.json'))
  const all = list.data.map((x) => normalizeChannel(x, framatube))
  assert.ok(all.length > 5 && all.every((x) => x.kind === 'ok'), JSON.stringify(all.find((x) => x.kind !== 'ok')))
})
