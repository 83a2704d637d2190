// A playlist as listed: an instance's own, public and regular ones kept, with URLs rebuilt on its origin.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as v from 'valibot'
import { normalizePlaylist } from '../../../src/crawler/items/playlist.ts'
import type { InstanceRef } from '../../../src/crawler/items/common.ts'
import { PageSchema } from '../../../src/crawler/peertube.ts'
import { realFixture } from '../../helpers/fixtures.ts'

const framatube: InstanceRef = { host: 'framatube.org', origin: 'https://framatube.org' }

test('real playlists: a remote one is ignored; seen from its origin, cached fileUrls elsewhere are rebuilt on it', () => {
  const raw = realFixture('newpipe__video-playlist__1.json')
  assert.equal(normalizePlaylist(raw, framatube).kind, 'ignored')
  const skeptikon = { host: 'skeptikon.fr', origin: 'https://skeptikon.fr' }
  const p = normalizePlaylist({ ...raw, isLocal: true }, skeptikon)
  assert.ok(p.kind === 'ok')
  assert.equal(p.record.shortUuid, 'jBgfUTRfgk6cfMY8wbT1mp')
  assert.equal(p.record.videosLength, 39)
  assert.equal(p.record.embedUrl, 'https://skeptikon.fr/video-playlists/embed/jBgfUTRfgk6cfMY8wbT1mp')
  // The fileUrl points at framatube.org's cache: replaced by origin + path.
  assert.equal(p.record.owner.avatars[0]!.fileUrl, 'https://skeptikon.fr/lazy-static/avatars/c6801ff9-cb49-42e6-b2db-3db623248115.jpg')
  assert.equal(p.record.channel?.name, 'metadechoc_channel')
  const list = v.parse(PageSchema, realFixture('newpipe__video-channel-playlists__1.json'))
  assert.ok(list.data.every((x) => normalizePlaylist(x, framatube).kind !== 'malformed'))
})
