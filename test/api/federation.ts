// The federation the API tests search: two fake instances of different PeerTube generations, crawled by the real
// crawler into a temporary database, with the HTTP app in front of it. Every video differs from the others in
// each filterable field, so that each filter and sort has one exact expected answer.
import { after, before } from 'node:test'
import type { Hono } from 'hono'
import { createApp } from '../../src/http/app.ts'
import { crawledFederation, type CrawledFederation } from '../helpers/crawled.ts'
import { fakeChannel, fakePlaylist, fakeVideo, type FakeActorRef, type FakeVideo } from '../fake/federation.ts'

const alice: FakeActorRef = { name: 'alice', displayName: 'Alice' }
const bob: FakeActorRef = { name: 'bob', displayName: 'Bob' }
const carol: FakeActorRef = { name: 'carol', displayName: 'Carol' }
const dave: FakeActorRef = { name: 'dave', displayName: 'Dave' }
const aliceChannel: FakeActorRef = { name: 'alice_channel', displayName: 'Alice makes things' }
const bobChannel: FakeActorRef = { name: 'bob_channel', displayName: 'Bob cooks' }
const carolChannel: FakeActorRef = { name: 'carol_channel', displayName: 'Carol plays synthesizers' }
const daveChannel: FakeActorRef = { name: 'dave_channel', displayName: 'Dave gardens' }

const day = (iso: string) => `${iso}T10:00:00.000Z`
const video = (v: Partial<FakeVideo> & { name: string; publishedAt: string }) =>
  fakeVideo({ createdAt: v.publishedAt, updatedAt: v.publishedAt, originallyPublishedAt: null, comments: 0, dislikes: 0, ...v })

/** The videos of instance A (PeerTube 7.0): alice and bob. */
export const A = {
  blenderTutorial: video({
    name: 'Blender tutorial for beginners', description: 'Learn modelling, step by step.', tags: ['Blender', '3D'], category: 15, licence: 1,
    language: 'en', duration: 600, views: 500, likes: 50, publishedAt: day('2024-01-10'), originallyPublishedAt: day('2020-05-01'),
    account: alice, channel: aliceChannel,
  }),
  cooking: video({
    name: 'Cooking with a blender', description: 'Soupe et smoothies.', tags: ['cooking'], category: 18, licence: 2, language: 'fr',
    duration: 120, views: 50, likes: 2, publishedAt: day('2024-02-10'), account: bob, channel: bobChannel,
  }),
  paris: video({
    name: 'Été à Paris', description: 'Balade le long de la Seine.', tags: ['voyage', 'Été'], category: 6, licence: null, language: 'fr',
    duration: 300, views: 900, likes: 10, publishedAt: day('2024-03-10'), createdAt: day('2022-01-01'), account: alice, channel: aliceChannel,
  }),
  live: video({
    name: 'PeerTube release party', description: 'Live stream.', tags: ['peertube'], category: 15, licence: 1, language: 'en',
    duration: 0, views: 10, likes: 1, isLive: true, publishedAt: day('2024-04-10'), account: alice, channel: aliceChannel,
  }),
  quokka: video({
    name: 'Quokka facts', description: 'Cute.', tags: ['animals'], category: 16, licence: 3, language: null, duration: 200,
    views: 5, likes: 0, nsfw: true, publishedAt: day('2024-05-10'), account: bob, channel: bobChannel,
  }),
}

/** The videos of instance B (PeerTube 8.2): carol and dave. */
export const B = {
  peertube: video({
    name: 'PeerTube: the decentralized video platform', description: 'What is PeerTube? A free software by Framasoft.',
    tags: ['PeerTube', 'fediverse'], category: 15, licence: 2, language: 'en', duration: 900, views: 2000, likes: 300,
    publishedAt: day('2023-06-01'), account: carol, channel: carolChannel,
  }),
  synth: video({
    name: 'Synthesizers and Blender', description: 'Sound design.', tags: ['music'], category: 1, licence: 1, language: 'de',
    duration: 1500, views: 120, likes: 7, publishedAt: day('2023-07-01'), originallyPublishedAt: day('2019-01-01'),
    account: carol, channel: carolChannel,
  }),
  garden: video({
    name: 'Jardinage bio', description: 'Comment faire pousser des tomates.', tags: ['jardinage'], category: 12, licence: 4,
    language: 'fr', duration: 2400, views: 30, likes: 3, publishedAt: day('2023-08-01'), originallyPublishedAt: day('1999-01-01'),
    account: dave, channel: daveChannel,
  }),
  untitled: video({
    name: 'Untitled', description: 'Un quokka y una licuadora blender.', tags: [], category: null, licence: null, language: 'es',
    duration: 45, views: 0, likes: 0, publishedAt: day('2023-09-01'), account: dave, channel: daveChannel,
  }),
}

/** Channels of both instances. */
export const CHANNELS = {
  alice: fakeChannel({ ...aliceChannel, description: 'Tutorials about 3D.', followersCount: 40, createdAt: day('2020-01-01'), ownerAccount: alice }),
  bob: fakeChannel({ ...bobChannel, description: 'Recipes with a blender.', followersCount: 3, createdAt: day('2021-01-01'), ownerAccount: bob }),
  carol: fakeChannel({ ...carolChannel, description: 'Music made with Blender and synthesizers.', followersCount: 120, createdAt: day('2019-01-01'), ownerAccount: carol }),
  dave: fakeChannel({ ...daveChannel, description: null, followersCount: 0, createdAt: day('2022-01-01'), ownerAccount: dave }),
}

/** Playlists of both instances. */
export const PLAYLISTS = {
  course: fakePlaylist({ displayName: 'Blender course', description: 'Every lesson in order.', createdAt: day('2024-01-01'), ownerAccount: alice, channel: aliceChannel }),
  trips: fakePlaylist({ displayName: 'Road trips', description: null, createdAt: day('2024-02-01'), ownerAccount: alice, channel: null }),
  mix: fakePlaylist({ displayName: 'Synth mix', description: 'Carol’s favourite synthesizer pieces.', createdAt: day('2023-01-01'), ownerAccount: carol, channel: carolChannel }),
}

/** The crawled federation and the app in front of it, set up once per test file. */
export type ApiFixture = {
  fed: CrawledFederation
  app: Hono
  /** Host of instance A and of instance B (127.0.0.1:port). */
  hostA: string
  hostB: string
}

/** Registers before/after hooks that crawl the federation and build the app; read the fixture inside tests. */
export function useApiFederation(): ApiFixture {
  const fixture = {} as ApiFixture
  before(async () => {
    const fed = await crawledFederation([
      { name: 'A', version: '7.0.0', videos: Object.values(A), channels: [CHANNELS.alice, CHANNELS.bob], playlists: [PLAYLISTS.course, PLAYLISTS.trips] },
      { name: 'B', version: '8.2.3', videos: Object.values(B), channels: [CHANNELS.carol, CHANNELS.dave], playlists: [PLAYLISTS.mix] },
    ])
    fixture.fed = fed
    fixture.app = createApp({ db: fed.db, config: fed.config })
    fixture.hostA = fed.federation.instances[0]!.host
    fixture.hostB = fed.federation.instances[1]!.host
  })
  after(() => fixture.fed?.close())
  return fixture
}

type Query = Record<string, string | number | boolean | (string | number)[]>

/** A GET with repeated keys for arrays (as NewPipe and the PeerTube spec write them). */
export function queryString(params: Query, arrays: 'repeat' | 'brackets' = 'repeat'): string {
  const qs = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) {
    if (Array.isArray(v)) for (const item of v) qs.append(arrays === 'brackets' ? `${k}[]` : k, String(item))
    else qs.append(k, String(v))
  }
  return qs.toString()
}

/** Runs one request against the app and returns status, headers and parsed JSON. */
export async function call(app: Hono, path: string, init?: { method?: string; json?: unknown; body?: string; headers?: Record<string, string> }) {
  const body = init?.json !== undefined ? JSON.stringify(init.json) : init?.body
  const headers = { ...(init?.json !== undefined ? { 'content-type': 'application/json' } : {}), ...init?.headers }
  const res = await app.request(path, { method: init?.method ?? 'GET', body, headers })
  const text = await res.text()
  let json: any = null
  try {
    json = JSON.parse(text)
  } catch {
    // Left null: the caller asserts on the status.
  }
  return { status: res.status, headers: res.headers, json, text }
}

/** Names of the results, in order. */
export const names = (json: { data: { name?: string; displayName?: string }[] }) => json.data.map((d) => d.name ?? d.displayName)
