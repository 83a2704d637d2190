// Images in API results, end to end from instances of three generations (3.2.1 sends one `avatar` without a width,
// 5.2.1 `avatar` + `avatars[]`, 8.2.3 `avatars[]` with fileUrl and height) through the real crawler: what the
// clients that read them do with them. PeerTube's web client (4.2 to 7.x, Actor.GET_ACTOR_AVATAR_URL in
// client/src/app/shared/shared-main/account/actor.model.ts) sorts `avatars` by width and takes the first at least
// as wide as it needs, else shows the default avatar; Grayjay's PeerTube plugin (getAvatarUrl in
// PeerTubeScript.js) takes `avatar.path` first, then the last of `avatars`.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { Hono } from 'hono'
import { createApp } from '../../src/http/app.ts'
import { crawledFederation, type CrawledFederation } from '../helpers/crawled.ts'
import { fakeChannel, fakePlaylist, fakeVideo, type FakeActorRef } from '../fake/federation.ts'
import { call } from './federation.ts'

type Image = { width: number; path: string; fileUrl: string; url: string }
type Actor = { host: string; avatars: Image[]; avatar: Image | null }

let fed: CrawledFederation
let app: Hono
const VERSIONS = ['3.2.1', '5.2.1', '8.2.3']

before(async () => {
  fed = await crawledFederation(
    VERSIONS.map((version, i) => {
      const owner: FakeActorRef = { name: `owner${i}`, displayName: `Owner ${i}` }
      const channel: FakeActorRef = { name: `channel${i}`, displayName: `Channel ${i}` }
      return {
        name: `Tube ${version}`,
        version,
        videos: [fakeVideo({ name: `Picture show ${version}`, account: owner, channel })],
        channels: [fakeChannel({ ...channel, ownerAccount: owner })],
        playlists: [fakePlaylist({ displayName: `Picture list ${version}`, ownerAccount: owner, channel })],
      }
    }),
  )
  app = createApp({ db: fed.db, config: fed.config })
})
after(() => fed.close())

/** What PeerTube's web client (4.2 to 7.x) shows for an actor at `size` px: '' is its default avatar. */
function peertubeClientAvatar(actor: Actor, size: number): string {
  const avatar = [...actor.avatars].sort((a, b) => a.width - b.width).find((a) => a.width >= size)
  return avatar ? (avatar.url ?? avatar.fileUrl) : ''
}

function assertActor(actor: Actor, what: string): void {
  assert.ok(actor.avatars.length > 0, `${what}: has avatars`)
  for (const size of [48, 120]) assert.notEqual(peertubeClientAvatar(actor, size), '', `${what}: PeerTube’s client finds a ${size} px avatar`)
  const widths = actor.avatars.map((a) => a.width)
  assert.ok(widths.every((w) => w > 0), `${what}: widths ${widths.join(',')}`)
  assert.deepEqual(widths, [...widths].sort((a, b) => a - b), `${what}: smallest first`)
  // Grayjay reads avatar.path first: the 120 px avatar older clients were made for, not the 48 px miniature.
  assert.ok(actor.avatar, `${what}: legacy avatar`)
  assert.equal(actor.avatar.width, 120, what)
  assert.ok(actor.avatar.fileUrl.endsWith(actor.avatar.path), what)
}

test('every video, channel and playlist result has avatars that PeerTube’s client and Grayjay pick right, whatever the origin’s version', async () => {
  const videos = (await call(app, '/api/v1/search/videos?search=picture&count=10')).json.data
  const channels = (await call(app, '/api/v1/search/video-channels?search=channel&count=10')).json.data
  const playlists = (await call(app, '/api/v1/search/video-playlists?search=picture&count=10')).json.data
  assert.deepEqual([videos.length, channels.length, playlists.length], [3, 3, 3])
  for (const v of videos) {
    assertActor(v.account, `video account on ${v.account.host}`)
    assertActor(v.channel, `video channel on ${v.channel.host}`)
  }
  for (const c of channels) {
    assertActor(c, `channel on ${c.host}`)
    assertActor(c.ownerAccount, `channel owner on ${c.host}`)
  }
  for (const p of playlists) {
    assertActor(p.ownerAccount, `playlist owner on ${p.ownerAccount.host}`)
    assertActor(p.videoChannel, `playlist channel on ${p.videoChannel.host}`)
  }
})

test('video and playlist results carry thumbnails[], smallest first, on the origin, with the URLs of thumbnailUrl and previewUrl', async () => {
  const videos = (await call(app, '/api/v1/search/videos?search=picture&count=10')).json.data
  for (const v of videos) {
    const what = `video of ${v.account.host}`
    assert.deepEqual(v.thumbnails.map((t: { fileUrl: string }) => t.fileUrl), [v.thumbnailUrl, v.previewUrl], what)
    assert.deepEqual(v.thumbnails.map((t: { width: number; height: number }) => [t.width, t.height]), [[280, 157], [850, 480]], what)
  }
  const playlists = (await call(app, '/api/v1/search/video-playlists?search=picture&count=10')).json.data
  for (const p of playlists) assert.deepEqual(p.thumbnails.map((t: { fileUrl: string }) => t.fileUrl), [p.thumbnailUrl])
})
