import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as v from 'valibot'
import {
  normalizeVideo, normalizeChannel, normalizePlaylist, normalizeTags, images, cap, LIMITS, type InstanceRef,
} from '../../src/crawler/normalize.ts'
import { PageSchema, ServerConfigSchema, VideoDetailsSchema, localDialect, versionBelow } from '../../src/crawler/peertube.ts'
import { realFixture } from '../helpers/fixtures.ts'

const framatube: InstanceRef = { host: 'framatube.org', origin: 'https://framatube.org' }

test('a real 7.x listing: local items become records, remote ones are ignored', () => {
  const page = v.parse(PageSchema, realFixture('newpipe__videos-trending__1.json'))
  const out = page.data.map((item) => normalizeVideo(item, framatube))
  const ok = out.filter((o) => o.kind === 'ok')
  assert.equal(ok.length, 3)
  assert.equal(out.filter((o) => o.kind === 'ignored').length, 9)
  assert.equal(out.filter((o) => o.kind === 'malformed').length, 0)
  for (const o of ok) {
    const r = o.record
    assert.equal(r.account.host, 'framatube.org')
    assert.match(r.url, /^https:\/\/framatube\.org\/videos\/watch\//)
    assert.match(r.thumbnailUrl!, /^https:\/\/framatube\.org\/lazy-static\/thumbnails\//)
    assert.match(r.embedUrl!, /^https:\/\/framatube\.org\/videos\/embed\//)
    for (const a of [...r.account.avatars, ...r.channel.avatars]) assert.match(a.fileUrl, /^https:\/\/framatube\.org\//)
  }
})

test('a real 1.x-era listing (no url, no shortUUID, single avatar without width) is understood', () => {
  const inst = { host: 'peertube.cpy.re', origin: 'https://peertube.cpy.re' }
  const items = realFixture('peertube-index__videos-local-aggregated__1.json') as unknown[]
  const out = items.map((i) => normalizeVideo(i, inst))
  assert.equal(out.filter((o) => o.kind === 'ok').length, 15)
  const first = out.find((o) => o.kind === 'ok' && o.record.uuid === 'f78a97f8-a142-4ce1-a5bd-154bf9386504')
  assert.ok(first?.kind === 'ok')
  assert.equal(first.record.url, 'https://peertube.cpy.re/videos/watch/f78a97f8-a142-4ce1-a5bd-154bf9386504')
  assert.equal(first.record.shortUuid.length, 22)
  assert.equal(first.record.thumbnailUrl, 'https://peertube.cpy.re/static/thumbnails/f78a97f8-a142-4ce1-a5bd-154bf9386504.jpg')
  const withAvatar = out.flatMap((o) => (o.kind === 'ok' ? [o.record] : [])).find((r) => r.account.avatars.length > 0)
  assert.ok(withAvatar, 'some account has the old single avatar')
  assert.match(withAvatar.account.avatars[0]!.fileUrl, /^https:\/\/peertube\.cpy\.re\/static\/avatars\//)
  assert.equal(withAvatar.account.avatars[0]!.width, 0)
})

test('real video details: full description and tags; 4.x details with avatar + avatars, null widths', () => {
  const d = v.parse(VideoDetailsSchema, realFixture('newpipe__video-details__1.json'))
  assert.deepEqual(normalizeTags(d.tags), ['framasoft', 'peertube'])
  assert.match(d.description!, /Video sources/)
  const old = realFixture('owntube__video-details__1.json')
  const n = normalizeVideo(old, { host: 'tube.rebellion.global', origin: 'https://tube.rebellion.global' })
  assert.ok(n.kind === 'ok')
  assert.equal(n.record.account.avatars.length, 1, 'avatars[] wins over the duplicate avatar')
  assert.equal(n.record.account.avatars[0]!.fileUrl, 'https://tube.rebellion.global/lazy-static/avatars/d7581c5e-bdb8-4f0e-a712-6b35824a6bbe.png')
  assert.equal(n.record.channel.avatars.length, 2)
})

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

function hostileVideo(overrides: Record<string, unknown>) {
  const base = realFixture('newpipe__videos-trending__1.json').data.find((d: any) => d.isLocal)
  return { ...base, ...overrides }
}

test('hostile values are capped, off-host URLs dropped or rebuilt, nothing trusted', () => {
  const huge = 'é'.repeat(100_000)
  const n = normalizeVideo(
    hostileVideo({
      name: huge,
      description: huge,
      truncatedDescription: huge,
      thumbnailPath: '//evil.example/x.jpg',
      previewPath: 'https://evil.example/p.jpg',
      url: 'https://evil.example/videos/watch/x',
      shortUUID: 'forged',
      views: -5,
      likes: 1e308,
      duration: Number.MAX_VALUE,
      originallyPublishedAt: '1970-01-01T00:00:00.000Z',
    }),
    framatube,
  )
  assert.ok(n.kind === 'ok')
  assert.equal(n.record.name.length, LIMITS.name)
  assert.equal(n.record.truncatedDescription!.length, LIMITS.description)
  assert.equal(n.record.thumbnailUrl, null)
  assert.equal(n.record.previewUrl, null)
  assert.match(n.record.url, /^https:\/\/framatube\.org\/videos\/watch\//)
  assert.notEqual(n.record.shortUuid, 'forged')
  assert.equal(n.record.views, 0)
  assert.equal(n.record.likes, Number.MAX_SAFE_INTEGER)
  assert.equal(n.record.originallyPublishedAt, null)
  const tags = normalizeTags([' ok ', 'x'.repeat(100), 42, null, 'ok', ...Array.from({ length: 50 }, (_, i) => `t${i}`)])
  assert.equal(tags.length, LIMITS.tags)
  assert.equal(tags[0], 'ok')
  assert.equal(tags[1], 'x'.repeat(30))
  assert.equal(cap('a😀b', 2), 'a', 'never half a surrogate pair')
  const avatars = images([{ width: 1, path: '/a.png', fileUrl: 'https://evil.example/a.png' }, { width: 2, path: '//evil.example/b.png' }, 'junk'], null, framatube)
  assert.deepEqual(avatars.map((a) => a.fileUrl), ['https://framatube.org/a.png'])
})

test('malformed items are reported as such, not thrown', () => {
  for (const bad of [null, 42, {}, hostileVideo({ uuid: 'not-a-uuid' }), hostileVideo({ createdAt: 'yesterday' }), hostileVideo({ account: null })]) {
    assert.equal(normalizeVideo(bad, framatube).kind, 'malformed')
  }
  assert.equal(normalizeVideo(hostileVideo({ privacy: { id: 2, label: 'Unlisted' } }), framatube).kind, 'ignored')
  assert.equal(normalizeVideo(hostileVideo({ isLocal: false }), framatube).kind, 'ignored')
  assert.equal(normalizeVideo(hostileVideo({ channel: { name: 'x', host: 'evil.example' } }), framatube).kind, 'ignored')
})
