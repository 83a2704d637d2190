// A video as listed and as its details add to it: every API generation read, hostile values capped.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as v from 'valibot'
import { normalizeVideo, normalizeTags, VideoDetailsSchema } from '../../../src/crawler/items/video.ts'
import { LIMITS, type InstanceRef } from '../../../src/crawler/items/common.ts'
import { PageSchema } from '../../../src/crawler/peertube.ts'
import { realFixture } from '../../helpers/fixtures.ts'

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

function hostileVideo(overrides: Record<string, unknown>) {
  const base = realFixture('newpipe__videos-trending__1.json').data.find((d: any) => d.isLocal)
  return { ...base, ...overrides }
}

test('hostile video values are capped, off-host URLs dropped or rebuilt, nothing trusted', () => {
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
      publishedAt: '+275760-09-13T00:00:00.000Z',
      createdAt: '9999-12-31T00:00:00.000Z',
      updatedAt: '3000-01-01T00:00:00.000Z',
    }),
    framatube,
  )
  assert.ok(n.kind === 'ok')
  // A far-future date would outrank everything (rank.ts): nothing is dated after it was fetched.
  for (const d of [n.record.publishedAt, n.record.createdAt, n.record.updatedAt]) assert.ok(d <= Date.now() && d > Date.now() - 60_000, String(d))
  assert.equal(n.record.name.length, LIMITS.name)
  assert.equal(n.record.truncatedDescription!.length, LIMITS.description)
  assert.equal(n.record.thumbnailUrl, null)
  assert.equal(n.record.previewUrl, null)
  assert.match(n.record.url, /^https:\/\/framatube\.org\/videos\/watch\//)
  assert.notEqual(n.record.shortUuid, 'forged')
  assert.equal(n.record.views, 0)
  assert.equal(n.record.likes, Number.MAX_SAFE_INTEGER)
  assert.equal(n.record.originallyPublishedAt, null)
  assert.equal(n.record.tags.length, 0, 'tags come with the details')
})

test('tags are trimmed, capped and deduplicated', () => {
  const tags = normalizeTags([' ok ', 'x'.repeat(100), 42, null, 'ok', ...Array.from({ length: 50 }, (_, i) => `t${i}`)])
  assert.equal(tags.length, LIMITS.tags)
  assert.equal(tags[0], 'ok')
  assert.equal(tags[1], 'x'.repeat(30))
})

test('malformed items are reported as such, not thrown', () => {
  for (const bad of [null, 42, {}, hostileVideo({ uuid: 'not-a-uuid' }), hostileVideo({ createdAt: 'yesterday' }), hostileVideo({ account: null })]) {
    assert.equal(normalizeVideo(bad, framatube).kind, 'malformed')
  }
  assert.equal(normalizeVideo(hostileVideo({ privacy: { id: 2, label: 'Unlisted' } }), framatube).kind, 'ignored')
  assert.equal(normalizeVideo(hostileVideo({ isLocal: false }), framatube).kind, 'ignored')
  assert.equal(normalizeVideo(hostileVideo({ channel: { name: 'x', host: 'evil.example' } }), framatube).kind, 'ignored')
})
