// The fake federation is what every crawler, search and site test trusts: check that it speaks like the real
// servers recorded in test/fixtures/ and behaves like PeerTube where the crawler depends on it.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startFakeFederation, fakeVideo, fakeChannel, fakePlaylist, type FakeFederation } from './federation.ts'
import { realFixture } from '../helpers/fixtures.ts'

let fed: FakeFederation
const spec = (version: string, extra = {}) => ({
  version,
  videos: [fakeVideo({ name: 'Local' }), fakeVideo({ name: 'Spicy', nsfw: true }), fakeVideo({ name: 'Hidden', privacy: 3 })],
  remoteVideos: [fakeVideo({ name: 'Remote', host: 'elsewhere.example' })],
  channels: [fakeChannel({ name: 'c' })],
  playlists: [fakePlaylist({ displayName: 'p' }), fakePlaylist({ displayName: 'secret', privacy: 3 })],
  ...extra,
})
before(async () => {
  fed = await startFakeFederation([spec('7.2.0'), spec('5.2.1'), spec('3.2.1'), spec('8.2.3', { nsfwPolicy: 'display' })])
})
after(() => fed.close())

const get = async (url: string) => {
  const res = await fetch(url)
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as any }
}
const keys = (o: object) => Object.keys(o).sort()

test('list items, details, channels, playlists and config have the keys of real responses of the same version', async () => {
  const [v7, v5, v3] = fed.instances
  const list7 = (await get(`${v7!.origin}/api/v1/videos?isLocal=true`)).body.data[0]
  const real7 = realFixture('newpipe__videos-trending__1.json').data[0]
  assert.deepEqual(keys(list7), keys(real7))
  assert.deepEqual(keys(list7.account), keys(real7.account))
  assert.deepEqual(keys(list7.account.avatars[0]), keys(real7.account.avatars[0]))
  const details7 = (await get(`${v7!.origin}/api/v1/videos/${list7.uuid}`)).body
  const realDetails7 = realFixture('newpipe__video-details__1.json')
  assert.deepEqual(keys(details7), keys(realDetails7))
  assert.deepEqual(keys(details7.account), keys(realDetails7.account))
  assert.deepEqual(keys(details7.channel), keys(realDetails7.channel))

  const list5 = (await get(`${v5!.origin}/api/v1/videos?isLocal=true`)).body.data[0]
  const details5 = (await get(`${v5!.origin}/api/v1/videos/${list5.uuid}`)).body
  const realDetails5 = realFixture('owntube__video-details__1.json')
  assert.deepEqual(keys(details5), keys(realDetails5))
  assert.deepEqual(keys(details5.channel), keys(realDetails5.channel))
  assert.deepEqual(keys(details5.channel.avatar), keys(realDetails5.channel.avatar))

  // 1.x (the oldest recording) vs the fake's 3.2.1: only the fields that history says changed differ.
  const list3 = (await get(`${v3!.origin}/api/v1/videos?filter=local`)).body.data[0]
  const real1 = realFixture('peertube-index__videos-local-aggregated__1.json')[0]
  assert.deepEqual(keys(list3).filter((k) => !(k in real1)), ['isLive', 'originallyPublishedAt'])
  assert.deepEqual(keys(real1).filter((k) => !(k in list3)), [])
  assert.deepEqual(keys(real1.account).filter((k) => !(k in list3.account)), ['uuid'])

  const channel = (await get(`${v7!.origin}/api/v1/video-channels`)).body.data[0]
  const realChannel = realFixture('newpipe__video-channel__1.json')
  assert.deepEqual(keys(channel), keys(realChannel))
  assert.deepEqual(keys(channel.ownerAccount), keys(realChannel.ownerAccount))
  const playlist = (await get(`${v7!.origin}/api/v1/video-playlists`)).body.data[0]
  const realPlaylist = realFixture('newpipe__video-playlist__1.json')
  assert.deepEqual(keys(playlist), keys(realPlaylist))
  const config = (await get(`${v7!.origin}/api/v1/config`)).body
  assert.deepEqual(keys(config.instance), keys(realFixture('fjernsyn__config__1.json').instance))
  assert.equal(config.serverVersion, '7.2.0')
})

test('count > 100 is a 400 in problem+json, like PeerTube', async () => {
  const res = await get(`${fed.instances[0]!.origin}/api/v1/videos?count=101`)
  assert.equal(res.status, 400)
  assert.match(res.type!, /^application\/problem\+json/)
  assert.deepEqual(keys(res.body), keys(realFixture('fjernsyn__error-400-bad-sort__1.json')))
  assert.ok('count' in res.body['invalid-params'])
})

test('local filters by version: 3.x ignores isLocal, 6.0+ rejects filter', async () => {
  const [v7, v5, v3] = fed.instances
  const names = async (url: string) => (await get(url)).body.data.map((v: any) => v.name).sort()
  assert.deepEqual(await names(`${v3!.origin}/api/v1/videos?isLocal=true&nsfw=both`), ['Local', 'Remote', 'Spicy'])
  assert.deepEqual(await names(`${v3!.origin}/api/v1/videos?filter=local&nsfw=both`), ['Local', 'Spicy'])
  assert.deepEqual(await names(`${v5!.origin}/api/v1/videos?filter=local&nsfw=both`), ['Local', 'Spicy'])
  assert.deepEqual(await names(`${v5!.origin}/api/v1/videos?isLocal=true&nsfw=both`), ['Local', 'Spicy'])
  const rejected = await get(`${v7!.origin}/api/v1/videos?filter=local`)
  assert.equal(rejected.status, 400)
  assert.match(rejected.body.detail, /filter/)
  assert.equal((await get(`${v5!.origin}/api/v1/videos?filter=all-local`)).status, 401)
})

test('NSFW follows nsfw= and otherwise the instance policy; non-public videos and playlists are never listed', async () => {
  const [v7, , , display] = fed.instances
  const names = async (url: string) => (await get(url)).body.data.map((v: any) => v.name).sort()
  assert.deepEqual(await names(`${v7!.origin}/api/v1/videos?isLocal=true`), ['Local'])
  assert.deepEqual(await names(`${v7!.origin}/api/v1/videos?isLocal=true&nsfw=both`), ['Local', 'Spicy'])
  assert.deepEqual(await names(`${v7!.origin}/api/v1/videos?isLocal=true&nsfw=true`), ['Spicy'])
  assert.deepEqual(await names(`${display!.origin}/api/v1/videos?isLocal=true`), ['Local', 'Spicy'])
  const hidden = v7!.spec.videos!.find((v) => v.name === 'Hidden')!
  assert.equal((await get(`${v7!.origin}/api/v1/videos/${hidden.uuid}`)).status, 403)
  assert.deepEqual((await get(`${v7!.origin}/api/v1/video-playlists?playlistType=1`)).body.data.map((p: any) => p.displayName), ['p'])
  assert.deepEqual(v7!.expected().videos.map((v) => v.name).sort(), ['Local', 'Spicy'])
})

test('the hosts list pages with start/count and can be edited', async () => {
  fed.list.pageSize = 2
  const page1 = (await get(`${fed.listUrl}?start=0&count=1000`)).body
  assert.equal(page1.total, 4)
  assert.equal(page1.data.length, 2)
  assert.deepEqual(keys(page1.data[0]), ['createdAt', 'host'])
  assert.equal((await get(`${fed.listUrl}?start=2&count=1000`)).body.data[1].host, fed.instances[3]!.host)
  fed.list.pageSize = 1000
})

test('the standard federation is deterministic and has what the crawler tests need', async () => {
  const { standardFederation } = await import('./federation.ts')
  const a = standardFederation()
  const b = standardFederation()
  assert.deepEqual(a, b)
  assert.deepEqual(a.map((s) => s.version), ['3.2.1', '5.2.1', '8.2.3'])
  assert.ok(a[0]!.videos!.filter((v) => v.privacy === 1).length > 100, 'pagination')
  for (const s of a) {
    assert.ok(s.remoteVideos!.length > 0)
    assert.ok(s.videos!.some((v) => v.nsfw && v.privacy === 1))
    assert.ok(s.videos!.some((v) => v.privacy !== 1))
    assert.ok(s.channels!.some((c) => c.host) && s.channels!.some((c) => !c.host))
    assert.ok(s.playlists!.some((p) => p.privacy !== 1) && s.playlists!.some((p) => p.host))
  }
})
