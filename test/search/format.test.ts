// Rows to PeerTube JSON: the image fields clients choose by. `thumbnails[]` in PeerTube 8.1's shape (as the
// current search index sends it: fixture fjernsyn__search-videos-sepiasearch__1.json), avatars with a width even
// from origins that gave none, and the legacy single `avatar` that older clients and Grayjay read first.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { formatChannel, formatPlaylist, formatVideo, type ChannelRow, type PlaylistRow, type VideoRow } from '../../src/search/format.ts'
import type { ActorImage } from '../../src/types.ts'
import { realFixture } from '../helpers/fixtures.ts'

const ORIGIN = 'https://video.example.org'
const image = (width: number, name = `${width}`): ActorImage => ({
  width, height: width === 0 ? null : width, path: `/lazy-static/avatars/${name}.png`, fileUrl: `${ORIGIN}/lazy-static/avatars/${name}.png`,
  createdAt: null, updatedAt: null,
})
const json = (images: ActorImage[]) => JSON.stringify(images)

function videoRow(overrides: Partial<VideoRow> = {}): VideoRow {
  return {
    id: 1, uuid: '9c9de5e8-0a1e-484a-b099-e80766180a6d', short_uuid: 'kkGMgK9ZtnKfYAgnEtQxbv', remote_id: 7, url: `${ORIGIN}/videos/watch/9c9de5e8-0a1e-484a-b099-e80766180a6d`,
    name: 'A video', truncated_description: null, description_start: 'Described.', tags: '["tag"]', category_id: 15, category_label: null,
    licence_id: 1, licence_label: null, language_id: 'en', language_label: 'English', duration: 60, is_live: 0, nsfw: 0, nsfw_flags: 0,
    nsfw_summary: null, aspect_ratio: 1.7778, views: 1, likes: 0, dislikes: 0, comments: 0, viewers: 0,
    thumbnail_url: `${ORIGIN}/lazy-static/thumbnails/t.jpg`, preview_url: `${ORIGIN}/lazy-static/previews/p.jpg`, embed_url: `${ORIGIN}/videos/embed/x`,
    created_at: 0, updated_at: 0, published_at: 0, originally_published_at: null,
    account_remote_id: 2, account_name: 'alice', account_display_name: 'Alice', account_host: 'video.example.org', account_url: `${ORIGIN}/accounts/alice`,
    account_avatars: json([image(1500), image(48), image(600), image(120)]),
    channel_remote_id: 3, channel_name: 'alice_channel', channel_display_name: 'Alice’s', channel_host: 'video.example.org',
    channel_url: `${ORIGIN}/video-channels/alice_channel`, channel_avatars: json([image(0, 'old')]),
    ...overrides,
  }
}

test('videos carry PeerTube 8.1’s thumbnails[]: every image the index knows, smallest first, in the index’s shape', () => {
  const v = formatVideo(videoRow(), 1)
  assert.deepEqual(v.thumbnails, [
    { width: 280, height: 157, fileUrl: `${ORIGIN}/lazy-static/thumbnails/t.jpg` },
    { width: 850, height: 480, fileUrl: `${ORIGIN}/lazy-static/previews/p.jpg` },
  ])
  // Every key we send is one the current search index sends for the same array.
  const real = realFixture('fjernsyn__search-videos-sepiasearch__1.json').data[0].thumbnails[0]
  for (const key of Object.keys(v.thumbnails[0]!)) assert.ok(key in real, key)
  assert.deepEqual(formatVideo(videoRow({ preview_url: null }), 1).thumbnails.map((t) => t.fileUrl), [`${ORIGIN}/lazy-static/thumbnails/t.jpg`])
  assert.deepEqual(formatVideo(videoRow({ preview_url: `${ORIGIN}/lazy-static/thumbnails/t.jpg` }), 1).thumbnails.length, 1)
  assert.deepEqual(formatVideo(videoRow({ thumbnail_url: null, preview_url: null }), 1).thumbnails, [])
})

test('avatars: smallest first, and the single legacy avatar is the 120 px one (never the 48 px miniature)', () => {
  const { account } = formatVideo(videoRow(), 1)
  assert.deepEqual(account.avatars.map((a) => a.width), [48, 120, 600, 1500])
  assert.equal(account.avatar?.width, 120)
  assert.equal(account.avatar?.path, '/lazy-static/avatars/120.png', 'Grayjay builds its URL from avatar.path')
  const only = (images: ActorImage[]) => formatVideo(videoRow({ account_avatars: json(images) }), 1).account.avatar?.width
  assert.equal(only([image(48), image(600)]), 600, 'the next size up when there is no 120')
  assert.equal(only([image(48), image(64)]), 64, 'the largest when all are small')
  assert.equal(only([image(48)]), 48)
  assert.equal(only([]), undefined)
})

test('images from origins that gave no width get the size PeerTube made them in, never 0', () => {
  const { channel } = formatVideo(videoRow(), 1)
  assert.deepEqual(channel.avatars.map((a) => [a.width, a.fileUrl]), [[120, `${ORIGIN}/lazy-static/avatars/old.png`]])
  assert.equal(channel.avatar?.width, 120)
  const c = formatChannel(channelRow({ avatars: json([image(0, 'a')]), banners: json([{ ...image(0, 'b'), path: '/lazy-static/banners/b.jpg' }]) }), 1)
  assert.deepEqual([c.avatars[0]?.width, c.avatar?.width, c.banners[0]?.width], [120, 120, 1920])
})

test('channels and playlists: the same avatar rule; playlists carry thumbnails[] too', () => {
  const c = formatChannel(channelRow({ avatars: json([image(600), image(48), image(120)]) }), 1)
  assert.deepEqual([c.avatars.map((a) => a.width), c.avatar?.width, c.ownerAccount.avatar?.width], [[48, 120, 600], 120, 120])
  const p = formatPlaylist(playlistRow(), 1)
  assert.deepEqual(p.thumbnails, [{ width: 280, height: 157, fileUrl: `${ORIGIN}/lazy-static/thumbnails/playlist.jpg` }])
  assert.equal(p.ownerAccount.avatar?.width, 120)
  assert.equal(formatPlaylist(playlistRow({ thumbnail_url: null }), 1).thumbnails.length, 0)
})

function channelRow(overrides: Partial<ChannelRow> = {}): ChannelRow {
  return {
    id: 1, remote_id: 3, name: 'alice_channel', host: 'video.example.org', url: `${ORIGIN}/video-channels/alice_channel`, display_name: 'Alice’s',
    description: null, support: null, avatars: '[]', banners: '[]', followers_count: 0, following_count: 0, created_at: 0, updated_at: 0,
    owner_remote_id: 2, owner_name: 'alice', owner_display_name: 'Alice', owner_host: 'video.example.org', owner_url: `${ORIGIN}/accounts/alice`,
    owner_avatars: json([image(48), image(120)]), videos_count: 0,
    ...overrides,
  }
}

function playlistRow(overrides: Partial<PlaylistRow> = {}): PlaylistRow {
  return {
    id: 1, uuid: '96b0ee2b-a5a7-4794-8769-58d8ccb79ab7', short_uuid: 'k3q6pGJbhwqX8jL1yYmeHP', remote_id: 4, url: `${ORIGIN}/video-playlists/96b0ee2b-a5a7-4794-8769-58d8ccb79ab7`,
    display_name: 'A playlist', description: null, type_id: 1, videos_length: 3, thumbnail_url: `${ORIGIN}/lazy-static/thumbnails/playlist.jpg`,
    embed_url: null, created_at: 0, updated_at: 0, owner_remote_id: 2, owner_name: 'alice', owner_display_name: 'Alice', owner_host: 'video.example.org',
    owner_url: `${ORIGIN}/accounts/alice`, owner_avatars: json([image(120), image(48)]), channel_remote_id: null, channel_name: null,
    channel_display_name: null, channel_host: null, channel_url: null, channel_avatars: null,
    ...overrides,
  }
}
