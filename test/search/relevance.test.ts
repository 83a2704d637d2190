// Relevance rules (issue 3, item 4), each on its own small index written directly.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { addChannel, addPlaylist, addVideo, actorOf, testDb } from './seed.ts'
import { parseChannelsParams, parsePlaylistsParams, parseVideosParams } from '../../src/search/params.ts'
import { searchVideos } from '../../src/search/videos.ts'
import { searchChannels } from '../../src/search/channels.ts'
import { searchPlaylists } from '../../src/search/playlists.ts'
import { playlistRank } from '../../src/search/rank.ts'
import type { Db } from '../../src/db/open.ts'

function videos(db: Db, params: Record<string, unknown>): string[] {
  const p = parseVideosParams(params)
  assert.ok(p.ok)
  return searchVideos(db, p.query).data.map((v) => v.name)
}

test('a title match beats a tag match beats a channel/account name match beats a description match', () => {
  const db = testDb()
  // Inserted best last, so that recency (newer first) would give the opposite order.
  addVideo(db, { name: 'Nothing here', description: 'All about the quokka' })
  addVideo(db, { name: 'Nothing either', channel: actorOf('tube.example.org', 'quokka_fans', 'video-channels', 'Quokka fans') })
  addVideo(db, { name: 'Still nothing', tags: ['quokka'] })
  addVideo(db, { name: 'The quokka' })
  assert.deepEqual(videos(db, { search: 'quokka' }), ['The quokka', 'Still nothing', 'Nothing either', 'Nothing here'])
})

test('documents with all the words beat those with some; partial matches are still found', () => {
  const db = testDb()
  addVideo(db, { name: 'Blender tips', views: 1000 })
  addVideo(db, { name: 'Tutorial about everything', views: 1000 })
  addVideo(db, { name: 'Modelling', description: 'A blender tutorial in the description only' })
  // Both words (in the description) first; then, relaxing the query to one word, that word in a title.
  assert.deepEqual(videos(db, { search: 'blender tutorial' }), ['Modelling', 'Blender tips'])
  // No document has both words: the best partial matches come back rather than nothing ("zebra" is nowhere).
  assert.deepEqual(videos(db, { search: 'blender zebra' }), ['Blender tips', 'Modelling'])
})

test('the most common word is dropped first when relaxing', () => {
  const db = testDb()
  for (let i = 0; i < 5; i++) addVideo(db, { name: `The show number ${i}` })
  addVideo(db, { name: 'Blender basics' })
  // "the" is in five documents, "blender" in one: relaxing "the blender" keeps "blender".
  assert.deepEqual(videos(db, { search: 'the blender' }), ['Blender basics'])
})

test('the last word matches as a prefix, earlier words do not', () => {
  const db = testDb()
  addVideo(db, { name: 'PeerTube explained' })
  addVideo(db, { name: 'Peer review' })
  addVideo(db, { name: 'PeerTube intro' })
  assert.deepEqual(videos(db, { search: 'peertub' }), ['PeerTube intro', 'PeerTube explained'])
  assert.deepEqual(videos(db, { search: 'peer' }).sort(), ['Peer review', 'PeerTube explained', 'PeerTube intro'])
  assert.deepEqual(videos(db, { search: 'peertube explai' }), ['PeerTube explained'])
  // "explai" is not last, so it is a whole word, found nowhere: the query relaxes to "peertube" and the two
  // videos tie (newest first) instead of "PeerTube explained" matching every word.
  assert.deepEqual(videos(db, { search: 'explai peertube' }), ['PeerTube intro', 'PeerTube explained'])
})

test('accents and case do not matter, in either direction', () => {
  const db = testDb()
  addVideo(db, { name: 'Café crème à Noël' })
  addVideo(db, { name: 'CAFE SOCIETY' })
  assert.deepEqual(videos(db, { search: 'cafe' }).sort(), ['CAFE SOCIETY', 'Café crème à Noël'])
  assert.deepEqual(videos(db, { search: 'CAFÉ' }).sort(), ['CAFE SOCIETY', 'Café crème à Noël'])
  assert.deepEqual(videos(db, { search: 'noel creme' }), ['Café crème à Noël'])
})

test('the exact phrase ranks higher', () => {
  const db = testDb()
  addVideo(db, { name: 'Free software song', views: 0 })
  addVideo(db, { name: 'Software that is free of charge', views: 100_000 })
  assert.deepEqual(videos(db, { search: 'free software' }), ['Free software song', 'Software that is free of charge'])
})

test('boostLanguages lifts those languages without hiding the others', () => {
  const db = testDb()
  addVideo(db, { name: 'Cooking pasta', language: { id: 'en', label: 'English' }, views: 5000 })
  addVideo(db, { name: 'Cooking pasta, in French', language: { id: 'fr', label: 'French' } })
  addVideo(db, { name: 'Cooking pasta auf Deutsch', language: { id: 'de', label: 'German' } })
  assert.equal(videos(db, { search: 'cooking pasta' })[0], 'Cooking pasta')
  const fr = videos(db, { search: 'cooking pasta', boostLanguages: ['fr'] })
  assert.equal(fr[0], 'Cooking pasta, in French')
  assert.equal(fr.length, 3)
  assert.equal(videos(db, { search: 'cooking pasta', boostLanguages: ['de', 'it'] })[0], 'Cooking pasta auf Deutsch')
})

test('a uuid, short uuid or watch URL returns that video first, even above videos that mention it', () => {
  const db = testDb()
  const target = addVideo(db, { name: 'Target video' })
  addVideo(db, { name: 'Mentions it', description: `See https://tube.example.org/videos/watch/${target.uuid}` })
  for (const text of [target.uuid, target.shortUuid, `https://tube.example.org/w/${target.shortUuid}`, `https://other.example/videos/watch/${target.uuid}`]) {
    assert.equal(videos(db, { search: text })[0], 'Target video', text)
  }
  assert.deepEqual(videos(db, { search: target.uuid }), ['Target video', 'Mentions it'])
  // The filters still apply to it.
  assert.deepEqual(videos(db, { search: target.uuid, languageOneOf: ['fr'] }), [])
})

test('a channel handle returns that channel first', () => {
  const db = testDb()
  addChannel(db, { name: 'blender_studio', displayName: 'Blender Studio', host: 'video.blender.org' })
  addChannel(db, { name: 'blender_fans', displayName: 'Blender fans', host: 'tube.example.org', followersCount: 9999 })
  const search = (text: string) => {
    const p = parseChannelsParams({ search: text })
    assert.ok(p.ok)
    return searchChannels(db, p.query).data.map((c) => `${c.name}@${c.host}`)
  }
  assert.deepEqual(search('blender_studio@video.blender.org'), ['blender_studio@video.blender.org'])
  assert.equal(search('blender')[0], 'blender_fans@tube.example.org')
})

test('playlists: title before owner before description', () => {
  const db = testDb()
  addPlaylist(db, { displayName: 'Various', description: 'some jazz' })
  addPlaylist(db, { displayName: 'Other', owner: actorOf('tube.example.org', 'jazzman', 'accounts', 'Jazz Man') })
  addPlaylist(db, { displayName: 'Jazz standards' })
  const p = parsePlaylistsParams({ search: 'jazz' })
  assert.ok(p.ok)
  assert.deepEqual(searchPlaylists(db, p.query).data.map((x) => x.displayName), ['Jazz standards', 'Other', 'Various'])
})

test('playlists without videos are never found, however well they match (rank 0 is exactly "no video")', () => {
  const db = testDb()
  addPlaylist(db, { displayName: 'Jazz empty', videosLength: 0 })
  addPlaylist(db, { displayName: 'Jazz full', videosLength: 1 })
  for (const params of [{ search: 'jazz' }, {}, { search: 'jazz', sort: 'displayName' }]) {
    const p = parsePlaylistsParams(params)
    assert.ok(p.ok)
    const found = searchPlaylists(db, p.query)
    assert.deepEqual(found.data.map((x) => x.displayName), ['Jazz full'], JSON.stringify(params))
    assert.equal(found.total, 1)
  }
  assert.equal(playlistRank(0), 0)
  assert.ok(playlistRank(1) >= 1)
})

test('a handle is matched as typed: its last word ("org") is not completed ("organisations")', () => {
  const db = testDb()
  addChannel(db, { name: 'news', displayName: 'The news', host: 'tube.example.org' })
  addChannel(db, { name: 'other', displayName: 'News about the tube of example organisations', host: 'elsewhere.example.net' })
  addChannel(db, { name: 'mirror', displayName: 'News from tube.example.org', host: 'elsewhere.example.net' })
  const p = parseChannelsParams({ search: 'news@tube.example.org' })
  assert.ok(p.ok)
  assert.deepEqual(searchChannels(db, p.query).data.map((c) => `${c.name}@${c.host}`), ['news@tube.example.org', 'mirror@elsewhere.example.net'])
})
