// /api/v1/search/video-channels and /video-playlists on a crawled fake federation, with exact expected results.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { call, names, PLAYLISTS, queryString, useApiFederation } from './federation.ts'
import { shortUuid } from '../../src/short-uuid.ts'

const f = useApiFederation()

async function get(route: 'video-channels' | 'video-playlists', params: Record<string, any> = {}) {
  const res = await call(f.app, `/api/v1/search/${route}?${queryString(params)}`)
  assert.equal(res.status, 200, res.text)
  return res.json as { total: number; data: any[] }
}
const channels = (params?: Record<string, any>) => get('video-channels', params)
const playlists = (params?: Record<string, any>) => get('video-playlists', params)
const handles = (json: { data: { name: string; host: string }[] }) => json.data.map((c) => c.name)

describe('channels', () => {
  test('without text: newest first, with the total; both sorts both ways', async () => {
    const all = await channels()
    assert.deepEqual(handles(all), ['dave_channel', 'bob_channel', 'alice_channel', 'carol_channel'])
    assert.equal(all.total, 4)
    assert.deepEqual(handles(await channels({ sort: 'displayName' })), ['alice_channel', 'bob_channel', 'carol_channel', 'dave_channel'])
    assert.deepEqual(handles(await channels({ sort: '-displayName' })), ['dave_channel', 'carol_channel', 'bob_channel', 'alice_channel'])
    assert.deepEqual(handles(await channels({ sort: 'createdAt' })), ['carol_channel', 'alice_channel', 'bob_channel', 'dave_channel'])
    assert.deepEqual(handles(await channels({ sort: '-createdAt', start: 1, count: 2 })), ['bob_channel', 'alice_channel'])
  })

  test('text: display name first, then names, then description', async () => {
    assert.deepEqual(handles(await channels({ search: 'synthes' })), ['carol_channel'])
    // Both only in descriptions; the one with more followers first.
    const blender = await channels({ search: 'blender' })
    assert.deepEqual(handles(blender), ['carol_channel', 'bob_channel'])
    assert.equal(blender.total, 2)
    // "bob" is bob_channel's own name and its owner's: display name tier is empty, names tier has it.
    assert.deepEqual(handles(await channels({ search: 'bob' })), ['bob_channel'])
    assert.deepEqual(handles(await channels({ search: 'cooks', sort: '-createdAt' })), ['bob_channel'])
  })

  test('a handle or channel URL returns that channel first', async () => {
    for (const text of [`carol_channel@${f.hostB}`, `@carol_channel@${f.hostB}`, `http://${f.hostB}/video-channels/carol_channel`, `http://${f.hostB}/c/carol_channel/videos`]) {
      const r = await channels({ search: text })
      assert.equal(r.data[0]?.name, 'carol_channel', text)
      assert.equal(r.data[0]?.host, f.hostB, text)
    }
    assert.deepEqual(handles(await channels({ search: `carol_channel@elsewhere.example` })), [])
  })

  test('host, handles, blockedAccounts and blockedHosts', async () => {
    assert.deepEqual(handles(await channels({ host: f.hostA })), ['bob_channel', 'alice_channel'])
    assert.deepEqual(handles(await channels({ handles: [`alice_channel@${f.hostA}`, `@DAVE_CHANNEL@${f.hostB}`] })), ['dave_channel', 'alice_channel'])
    assert.deepEqual(handles(await channels({ blockedAccounts: [`carol@${f.hostB}`] })), ['dave_channel', 'bob_channel', 'alice_channel'])
    assert.deepEqual(handles(await channels({ blockedHosts: [f.hostA] })), ['dave_channel', 'carol_channel'])
    const post = await call(f.app, '/api/v1/search/video-channels', {
      method: 'POST',
      json: { search: 'blender', start: 0, count: 10, sort: '-match', searchTarget: 'search-index', blockedAccounts: [`carol@${f.hostB}`], blockedHosts: [] },
    })
    assert.deepEqual(handles(post.json), ['bob_channel'])
    assert.equal(post.json.total, 1)
  })

  test('results carry host, avatars, owner, counts and never isLocal', async () => {
    const c = (await channels({ search: `alice_channel@${f.hostA}` })).data[0]
    assert.equal(c.url, `http://${f.hostA}/video-channels/alice_channel`)
    assert.equal(c.displayName, 'Alice makes things')
    assert.equal(c.description, 'Tutorials about 3D.')
    assert.equal(c.followersCount, 40)
    assert.equal(c.videosCount, 3)
    assert.equal(c.isLocal, false)
    assert.equal(c.ownerAccount.name, 'alice')
    assert.equal(c.ownerAccount.host, f.hostA)
    assert.ok(c.avatars.length > 0)
    for (const image of [...c.avatars, ...c.ownerAccount.avatars]) assert.ok(image.fileUrl.startsWith(`http://${f.hostA}/`), image.fileUrl)
  })
})

describe('playlists', () => {
  test('without text: newest first; both sorts', async () => {
    const all = await playlists()
    assert.deepEqual(names(all), ['Road trips', 'Blender course', 'Synth mix'])
    assert.equal(all.total, 3)
    assert.deepEqual(names(await playlists({ sort: 'displayName' })), ['Blender course', 'Road trips', 'Synth mix'])
    assert.deepEqual(names(await playlists({ sort: '-displayName' })), ['Synth mix', 'Road trips', 'Blender course'])
    assert.deepEqual(names(await playlists({ sort: 'createdAt' })), ['Synth mix', 'Blender course', 'Road trips'])
  })

  test('text, owner names and descriptions', async () => {
    assert.deepEqual(names(await playlists({ search: 'blender' })), ['Blender course'])
    assert.deepEqual(names(await playlists({ search: 'synth' })), ['Synth mix'])
    assert.deepEqual(names(await playlists({ search: 'carol' })), ['Synth mix'])
    assert.deepEqual(names(await playlists({ search: 'lesson' })), ['Blender course'])
  })

  test('uuids (full or short), host and blocks', async () => {
    assert.deepEqual(names(await playlists({ uuids: [PLAYLISTS.course.uuid, shortUuid(PLAYLISTS.mix.uuid)] })), ['Blender course', 'Synth mix'])
    assert.deepEqual(names(await playlists({ host: f.hostB })), ['Synth mix'])
    assert.deepEqual(names(await playlists({ blockedAccounts: [`alice@${f.hostA}`] })), ['Synth mix'])
    assert.deepEqual(names(await playlists({ blockedHosts: [f.hostB], search: 'mix' })), [])
  })

  test('a playlist uuid, short uuid or URL returns that playlist first', async () => {
    const short = shortUuid(PLAYLISTS.trips.uuid)
    for (const text of [PLAYLISTS.trips.uuid, short, `http://${f.hostA}/w/p/${short}`, `http://${f.hostA}/videos/watch/playlist/${PLAYLISTS.trips.uuid}`]) {
      const r = await playlists({ search: text })
      assert.deepEqual(names(r), ['Road trips'], text)
      assert.equal(r.total, 1)
    }
  })

  test('results: owner, channel (or null), type, privacy, absolute URLs, never isLocal', async () => {
    const [trips, course] = (await playlists({ host: f.hostA })).data
    assert.equal(trips.videoChannel, null)
    assert.equal(trips.description, null)
    assert.equal(course.videoChannel.name, 'alice_channel')
    assert.equal(course.videoChannel.host, f.hostA)
    assert.equal(course.ownerAccount.name, 'alice')
    assert.deepEqual(course.type, { id: 1, label: 'Regular' })
    assert.deepEqual(course.privacy, { id: 1, label: 'Public' })
    assert.equal(course.uuid, PLAYLISTS.course.uuid)
    assert.equal(course.shortUUID, shortUuid(PLAYLISTS.course.uuid))
    assert.ok(course.url.startsWith(`http://${f.hostA}/`))
    assert.equal(course.isLocal, false)
    assert.equal(course.videosLength, PLAYLISTS.course.videosLength)
  })
})
