// Our responses validate against PeerTube's OpenAPI schemas (with the spec's documented disagreements with its own
// server patched, each checked against the current search index's real answers).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { call, useApiFederation } from './federation.ts'
import { loadSchemas, validate, type Schema } from './openapi.ts'
import { realFixture } from '../helpers/fixtures.ts'

const f = useApiFederation()

// Where PeerTube's server (and the current search index) sends values its own spec does not allow
// (shared/docs/peertube-api-contract.md §2 and §6): trust the server.
function patchedSchemas(): Record<string, Schema> {
  const s = loadSchemas()
  // {id: null, label: "Unknown"} when a video has no category, licence or language (fixtures: sepiasearch answers).
  for (const name of ['VideoConstantNumber-Category', 'VideoConstantNumber-Licence', 'VideoConstantString-Language']) {
    s[name]!.properties.id = { ...s[name]!.properties.id, nullable: true }
  }
  // A playlist may have no description and no channel (PeerTube's VideoPlaylist model: `description: string | null`,
  // `videoChannel?: VideoChannelSummary | null`).
  s.VideoPlaylist!.properties.description = { ...s.VideoPlaylist!.properties.description, nullable: true }
  s.VideoPlaylist!.properties.videoChannel = { allOf: [s.VideoPlaylist!.properties.videoChannel], nullable: true }
  return s
}

const schemas = patchedSchemas()
const check = (value: unknown, root: string) => {
  const errors = validate(value, schemas[root]!, schemas)
  assert.deepEqual(errors, [], errors.join('\n'))
}

test('the validator accepts the current search index’s real answers, and rejects broken ones', () => {
  check(realFixture('newpipe__search-videos-sepiasearch__1.json'), 'VideoListResponse')
  check(realFixture('fjernsyn__search-videos-sepiasearch__1.json'), 'VideoListResponse')
  check(realFixture('fjernsyn__search-video-channels-sepiasearch__1.json'), 'VideoChannelList')
  const broken = structuredClone(realFixture('fjernsyn__search-videos-sepiasearch__1.json'))
  broken.data[0].uuid = 'not-a-uuid'
  broken.data[1].duration = '70'
  broken.data[2].account.avatars = {}
  broken.total = null
  const paths = new Set(validate(broken, schemas.VideoListResponse!, schemas).map((e) => e.split(':')[0]))
  assert.deepEqual([...paths].sort(), ['$.data[0].uuid', '$.data[1].duration', '$.data[2].account.avatars', '$.total'])
})

test('video results validate against VideoListResponse, for text, filters and sorts', async () => {
  for (const q of ['search=blender', 'nsfw=both', 'search=peertube&sort=-views', 'isLive=true', 'languageOneOf=_unknown&nsfw=both', 'search=untitled', 'count=100&sort=-hot']) {
    const res = await call(f.app, `/api/v1/search/videos?${q}`)
    assert.equal(res.status, 200)
    assert.ok(res.json.data.length > 0, q)
    check(res.json, 'VideoListResponse')
  }
})

test('channel results validate against VideoChannelList', async () => {
  for (const q of ['', 'search=blender', `search=carol_channel@${f.hostB}`, 'search=dave']) {
    const res = await call(f.app, `/api/v1/search/video-channels?${q}`)
    assert.equal(res.status, 200)
    assert.ok(res.json.data.length > 0, q)
    check(res.json, 'VideoChannelList')
  }
})

test('playlist results validate against the playlist search response, with and without a channel', async () => {
  const res = await call(f.app, '/api/v1/search/video-playlists')
  assert.equal(res.status, 200)
  assert.equal(res.json.data.length, 3)
  assert.ok(res.json.data.some((p: { videoChannel: unknown }) => p.videoChannel === null))
  check(res.json, 'SearchPlaylistsResponse')
})
