// /api/v1/search/videos on a crawled fake federation: every parameter and sort, with exact expected results.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { A, B, call, names, queryString, useApiFederation } from './federation.ts'
import { once } from 'node:events'
import { request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { shortUuid } from '../../src/short-uuid.ts'

const f = useApiFederation()
const N = Object.fromEntries(Object.entries({ ...A, ...B }).map(([k, v]) => [k, v.name])) as Record<keyof typeof A | keyof typeof B, string>

async function search(params: Record<string, any>, arrays: 'repeat' | 'brackets' = 'repeat') {
  const res = await call(f.app, `/api/v1/search/videos?${queryString(params, arrays)}`)
  assert.equal(res.status, 200, res.text)
  return res.json as { total: number; data: any[] }
}
const sorted = (xs: (string | undefined)[]) => [...xs].sort()

// Everything but the NSFW video, newest first.
const NEWEST_FIRST = [N.live, N.paris, N.cooking, N.blenderTutorial, N.untitled, N.garden, N.synth, N.peertube]

describe('without search text', () => {
  test('lists every safe video, newest first, with the total', async () => {
    const r = await search({})
    assert.deepEqual(names(r), NEWEST_FIRST)
    assert.equal(r.total, 8)
  })

  test('start and count page through the same order; count=0 returns only the total', async () => {
    assert.deepEqual(names(await search({ start: 2, count: 3 })), NEWEST_FIRST.slice(2, 5))
    assert.deepEqual(names(await search({ start: 7, count: 5 })), NEWEST_FIRST.slice(7))
    assert.deepEqual(names(await search({ start: 50 })), [])
    const none = await search({ count: 0 })
    assert.deepEqual([none.data, none.total], [[], 8])
  })
})

describe('filters', () => {
  test('nsfw: false hides, true keeps only, both shows everything', async () => {
    assert.ok(!names(await search({ nsfw: 'false' })).includes(N.quokka))
    assert.deepEqual(names(await search({ nsfw: 'true' })), [N.quokka])
    const both = await search({ nsfw: 'both' })
    assert.deepEqual(names(both), [N.quokka, ...NEWEST_FIRST])
    assert.equal(both.total, 9)
  })

  test('isLive', async () => {
    assert.deepEqual(names(await search({ isLive: true })), [N.live])
    assert.deepEqual(names(await search({ isLive: false })), NEWEST_FIRST.filter((n) => n !== N.live))
  })

  test('categoryOneOf, licenceOneOf (numbers or numeric strings)', async () => {
    assert.deepEqual(names(await search({ categoryOneOf: [15] })), [N.live, N.blenderTutorial, N.peertube])
    assert.deepEqual(names(await search({ categoryOneOf: ['18', '12'] })), [N.cooking, N.garden])
    assert.deepEqual(names(await search({ licenceOneOf: [2] })), [N.cooking, N.peertube])
    assert.deepEqual(names(await search({ licenceOneOf: [4, 1] })), [N.live, N.blenderTutorial, N.garden, N.synth])
  })

  test('languageOneOf, with _unknown for videos without a language', async () => {
    assert.deepEqual(names(await search({ languageOneOf: ['fr'] })), [N.paris, N.cooking, N.garden])
    assert.deepEqual(names(await search({ languageOneOf: ['de', 'es'] })), [N.untitled, N.synth])
    assert.deepEqual(names(await search({ languageOneOf: ['_unknown'], nsfw: 'both' })), [N.quokka])
    assert.deepEqual(names(await search({ languageOneOf: ['_unknown', 'de'], nsfw: 'both' })), [N.quokka, N.synth])
  })

  test('tagsOneOf and tagsAllOf match whole tags, whatever their case or accents', async () => {
    assert.deepEqual(names(await search({ tagsOneOf: ['blender'] })), [N.blenderTutorial])
    assert.deepEqual(names(await search({ tagsOneOf: ['PEERTUBE'] })), [N.live, N.peertube])
    assert.deepEqual(names(await search({ tagsOneOf: ['ete', 'music'] })), [N.paris, N.synth])
    assert.deepEqual(names(await search({ tagsOneOf: ['peer'] })), [])
    assert.deepEqual(names(await search({ tagsAllOf: ['peertube', 'Fediverse'] })), [N.peertube])
    assert.deepEqual(names(await search({ tagsAllOf: ['peertube', 'music'] })), [])
  })

  test('host is the origin instance', async () => {
    assert.deepEqual(names(await search({ host: f.hostB })), [N.untitled, N.garden, N.synth, N.peertube])
    assert.deepEqual(names(await search({ host: 'elsewhere.example' })), [])
  })

  test('uuids, full or short', async () => {
    const r = await search({ uuids: [A.cooking.uuid, shortUuid(B.garden.uuid)] })
    assert.deepEqual(names(r), [N.cooking, N.garden])
    assert.equal(r.total, 2)
  })

  test('startDate and endDate bound publication, inclusive', async () => {
    assert.deepEqual(names(await search({ startDate: '2024-01-01' })), [N.live, N.paris, N.cooking, N.blenderTutorial])
    assert.deepEqual(names(await search({ endDate: B.synth.publishedAt })), [N.synth, N.peertube])
    assert.deepEqual(names(await search({ startDate: B.synth.publishedAt, endDate: '2023-08-15T00:00:00Z' })), [N.garden, N.synth])
    assert.deepEqual(names(await search({ startDate: '2023-07-01T10:00:00.001Z', endDate: '2023-08-01T10:00:00.000Z' })), [N.garden])
  })

  test('originallyPublishedStartDate and originallyPublishedEndDate use the original date (videos without one are out)', async () => {
    assert.deepEqual(names(await search({ originallyPublishedEndDate: '2019-12-31' })), [N.garden, N.synth])
    assert.deepEqual(names(await search({ originallyPublishedStartDate: '2000-01-01' })), [N.blenderTutorial, N.synth])
  })

  test('durationMin and durationMax, inclusive', async () => {
    assert.deepEqual(names(await search({ durationMin: 900 })), [N.garden, N.synth, N.peertube])
    assert.deepEqual(names(await search({ durationMax: 120 })), [N.live, N.cooking, N.untitled])
    assert.deepEqual(names(await search({ durationMin: '300', durationMax: '900' })), [N.paris, N.blenderTutorial, N.peertube])
  })

  test('blockedAccounts and blockedHosts remove exactly those', async () => {
    const carol = `carol@${f.hostB}`
    assert.deepEqual(names(await search({ blockedAccounts: [carol] })), NEWEST_FIRST.filter((n) => n !== N.synth && n !== N.peertube))
    assert.deepEqual(names(await search({ blockedHosts: [f.hostA] })), [N.untitled, N.garden, N.synth, N.peertube])
    const both = await search({ blockedAccounts: [`BOB@${f.hostA.toUpperCase()}`], blockedHosts: [f.hostB], nsfw: 'both' })
    assert.deepEqual(names(both), [N.live, N.paris, N.blenderTutorial])
    assert.equal(both.total, 3)
    assert.deepEqual(names(await search({ blockedAccounts: ['carol@elsewhere.example', 'not a handle'], blockedHosts: ['elsewhere.example'] })), NEWEST_FIRST)
  })

  test('filters combine', async () => {
    const r = await search({ search: 'blender', languageOneOf: ['en', 'de'], durationMin: 500, startDate: '2023-01-01', categoryOneOf: [15, 1] })
    assert.deepEqual(sorted(names(r)), sorted([N.blenderTutorial, N.synth]))
    assert.equal(r.total, 2)
  })
})

describe('sorts', () => {
  const all = { nsfw: 'both' }
  test('publishedAt, both ways; match without text is newest first', async () => {
    const newest = [N.quokka, ...NEWEST_FIRST]
    assert.deepEqual(names(await search({ ...all, sort: '-publishedAt' })), newest)
    assert.deepEqual(names(await search({ ...all, sort: 'publishedAt' })), [...newest].reverse())
    assert.deepEqual(names(await search({ ...all, sort: '-match' })), newest)
  })

  test('name (case-insensitive), duration, views, likes, createdAt, originallyPublishedAt', async () => {
    const byName = [N.blenderTutorial, N.cooking, N.garden, N.live, N.peertube, N.quokka, N.synth, N.untitled, N.paris]
    assert.deepEqual(names(await search({ ...all, sort: 'name' })), byName)
    assert.deepEqual(names(await search({ ...all, sort: '-name' })), [...byName].reverse())
    const byDuration = [N.live, N.untitled, N.cooking, N.quokka, N.paris, N.blenderTutorial, N.peertube, N.synth, N.garden]
    assert.deepEqual(names(await search({ ...all, sort: 'duration' })), byDuration)
    assert.deepEqual(names(await search({ ...all, sort: '-duration' })), [...byDuration].reverse())
    const byViews = [N.untitled, N.quokka, N.live, N.garden, N.cooking, N.synth, N.blenderTutorial, N.paris, N.peertube]
    assert.deepEqual(names(await search({ ...all, sort: 'views' })), byViews)
    assert.deepEqual(names(await search({ ...all, sort: '-views' })), [...byViews].reverse())
    const byLikes = [N.quokka, N.untitled, N.live, N.cooking, N.garden, N.synth, N.paris, N.blenderTutorial, N.peertube]
    // quokka and untitled both have 0 likes: ties keep index order (internal id), so only compare the rest.
    const likes = names(await search({ ...all, sort: 'likes' }))
    assert.deepEqual(sorted(likes.slice(0, 2)), sorted(byLikes.slice(0, 2)))
    assert.deepEqual(likes.slice(2), byLikes.slice(2))
    assert.deepEqual(names(await search({ ...all, sort: '-likes' })).slice(0, 7), [...byLikes].reverse().slice(0, 7))
    const byCreation = [N.paris, N.peertube, N.synth, N.garden, N.untitled, N.blenderTutorial, N.cooking, N.live, N.quokka]
    assert.deepEqual(names(await search({ ...all, sort: 'createdAt' })), byCreation)
    assert.deepEqual(names(await search({ ...all, sort: '-createdAt' })), [...byCreation].reverse())
    const byOriginal = [N.garden, N.synth, N.blenderTutorial, N.peertube, N.untitled, N.cooking, N.paris, N.live, N.quokka]
    assert.deepEqual(names(await search({ ...all, sort: 'originallyPublishedAt' })), byOriginal)
    assert.deepEqual(names(await search({ ...all, sort: '-originallyPublishedAt' })), [...byOriginal].reverse())
  })

  test("hot follows PeerTube's formula", async () => {
    // PeerTube's hot score (server/core/models/video/sql/video/videos-id-list-query-builder.ts), computed here
    // independently of the index's generated column.
    const hot = (v: typeof A.cooking) =>
      Math.log10(Math.max(1, v.likes - 1)) * 150 - Math.log10(Math.max(1, v.dislikes - 1)) * 150 + Math.log10(v.views + 1) * 16 +
      Math.log10(Math.max(1, v.comments)) * 100 + (Date.parse(v.publishedAt) / 1000 - 1446156582) / 47000
    const expected = Object.values({ ...A, ...B }).sort((a, b) => hot(b) - hot(a)).map((v) => v.name)
    assert.deepEqual(names(await search({ ...all, sort: '-hot' })), expected)
    assert.deepEqual(names(await search({ ...all, sort: 'hot' })), [...expected].reverse())
  })

  test('sorts apply to the matches of a search', async () => {
    // "blender" is in four videos: three titles and one description.
    assert.deepEqual(names(await search({ search: 'blender', sort: '-views' })), [N.blenderTutorial, N.synth, N.cooking, N.untitled])
    assert.deepEqual(names(await search({ search: 'blender', sort: 'publishedAt' })), [N.synth, N.untitled, N.blenderTutorial, N.cooking])
    assert.deepEqual(names(await search({ search: 'blender', sort: '-name', count: 2, start: 1 })), [N.synth, N.cooking])
  })

  test('sorts other routes use fall back sensibly', async () => {
    assert.deepEqual(names(await search({ ...all, sort: '-trending' })), names(await search({ ...all, sort: '-hot' })))
    assert.deepEqual(names(await search({ ...all, sort: '-comments' })), names(await search({ ...all, sort: '-match' })))
  })
})

describe('search text', () => {
  test('finds every video with the word, best fields first, with a total', async () => {
    const r = await search({ search: 'blender' })
    assert.deepEqual(sorted(names(r).slice(0, 3)), sorted([N.blenderTutorial, N.cooking, N.synth]))
    assert.equal(names(r)[3], N.untitled)
    assert.equal(r.total, 4)
    // The score orders results within a tier: title matches score above the description-only match.
    for (const v of r.data.slice(0, 3)) assert.ok(v.score > r.data[3].score, JSON.stringify(v.score))
  })

  test('accents and case do not matter, either way', async () => {
    assert.deepEqual(names(await search({ search: 'ETE a paris' })), [N.paris])
    assert.deepEqual(names(await search({ search: 'jardinage BIO' })), [N.garden])
    assert.deepEqual(names(await search({ search: 'Ete' })), [N.paris])
  })

  test('the last word is a prefix', async () => {
    assert.deepEqual(names(await search({ search: 'decentraliz' })), [N.peertube])
    // "synthesizers" is in the synth video's title, and in the channel name of both of carol's videos.
    assert.deepEqual(names(await search({ search: 'synthes' })), [N.synth, N.peertube])
  })

  test('words found only in the full description (past the listing cut) are searched', async () => {
    assert.deepEqual(names(await search({ search: 'tomates' })), [N.garden])
    assert.deepEqual(names(await search({ search: 'framasoft' })), [N.peertube])
  })

  test('channel and account names are searched', async () => {
    // Both in dave's channel "Dave gardens"; the more viewed first.
    assert.deepEqual(names(await search({ search: 'gardens' })), [N.garden, N.untitled])
  })

  test('a uuid, short uuid or watch URL returns that video first', async () => {
    for (const text of [B.garden.uuid, shortUuid(B.garden.uuid), `http://${f.hostB}/w/${shortUuid(B.garden.uuid)}`, `https://${f.hostB}/videos/watch/${B.garden.uuid}`]) {
      const r = await search({ search: text })
      assert.equal(r.data[0]?.name, N.garden, text)
      assert.equal(r.total, 1, text)
    }
  })

  test("a channel or account handle (or its URL) lists that channel's or account's videos", async () => {
    assert.deepEqual(names(await search({ search: `dave_channel@${f.hostB}` })), [N.untitled, N.garden])
    assert.deepEqual(names(await search({ search: `@carol@${f.hostB}`, sort: 'name' })), [N.peertube, N.synth])
    assert.deepEqual(names(await search({ search: `http://${f.hostA}/c/bob_channel/videos`, nsfw: 'both' })), [N.quokka, N.cooking])
    assert.deepEqual(names(await search({ search: `dave_channel@${f.hostA}` })), [])
  })

  test('hostile text is just words, never an error', async () => {
    for (const text of ['"', 'AND OR NOT', 'blender AND', '(blender', 'blender*', '^blender', '-blender', 'name:blender', 'NEAR(blender cooking)', '🎛️', 'מוזיקה', 'x'.repeat(10_000)]) {
      await search({ search: text })
    }
    assert.deepEqual(sorted(names(await search({ search: '"blender" -cooking*' }))), sorted([N.cooking]))
  })
})

describe('request forms', () => {
  test('arrays as repeated keys, as key[] and as one value are the same', async () => {
    const expected = [N.paris, N.cooking, N.synth, N.garden]
    assert.deepEqual(names(await search({ languageOneOf: ['fr', 'de'] }, 'repeat')).sort(), expected.sort())
    assert.deepEqual(names(await search({ languageOneOf: ['fr', 'de'] }, 'brackets')).sort(), expected.sort())
    assert.deepEqual(names(await search({ languageOneOf: 'de' })), [N.synth])
    const indexed = await call(f.app, '/api/v1/search/videos?languageOneOf[0]=fr&languageOneOf[1]=de')
    assert.deepEqual(names(indexed.json).sort(), expected.sort())
  })

  test('POST JSON gives what GET gives', async () => {
    const params = { search: 'blender', languageOneOf: ['en', 'fr'], sort: '-views' }
    const post = await call(f.app, '/api/v1/search/videos', { method: 'POST', json: params })
    assert.equal(post.status, 200)
    assert.deepEqual(post.json, await search(params))
  })

  test('a forwarded search shaped exactly like a PeerTube 7 instance POST', async () => {
    // What server/core/lib/search.ts sends: the sanitized query (numbers as numbers after pagination, categoryOneOf
    // and durationMin left as strings, booleans real), sort and nsfw always set, and both block lists.
    const body = {
      start: 0,
      count: 10,
      sort: '-match',
      search: 'blender',
      searchTarget: 'search-index',
      nsfw: 'false',
      categoryOneOf: ['15', '18', '1'],
      durationMin: '100',
      isLive: false,
      skipCount: false,
      blockedAccounts: [`bob@${f.hostA}`],
      blockedHosts: [],
    }
    const res = await call(f.app, '/api/v1/search/videos', { method: 'POST', json: body, headers: { 'user-agent': 'PeerTube/7.0.0 (+https://peertube.example)' } })
    assert.equal(res.status, 200, res.text)
    assert.deepEqual(sorted(names(res.json)), sorted([N.blenderTutorial, N.synth]))
    assert.equal(res.json.total, 2)
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/)
  })

  test('an old instance (PeerTube 2.3 to 3.1) sends a GET with a JSON body', async () => {
    // Only a real socket can carry a body on GET (fetch's Request refuses it), so this one goes over HTTP.
    const server = serve({ fetch: f.app.fetch, hostname: '127.0.0.1', port: 0 })
    await once(server, 'listening')
    try {
      const port = (server.address() as AddressInfo).port
      const body = JSON.stringify({ search: 'jardinage', start: 0, count: 10, sort: '-match', nsfw: 'both', blockedAccounts: [], blockedHosts: [] })
      const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, method: 'GET', path: '/api/v1/search/videos', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
          let text = ''
          res.setEncoding('utf8').on('data', (chunk) => (text += chunk)).on('end', () => resolve({ status: res.statusCode ?? 0, text }))
        })
        req.on('error', reject)
        req.end(body)
      })
      assert.equal(answer.status, 200, answer.text)
      assert.deepEqual(names(JSON.parse(answer.text)), [N.garden])
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })

  test("SearXNG's PeerTube engine query", async () => {
    // searx/engines/peertube.py: search, resultType, start, count, sort=-match, nsfw, languageOneOf[] and
    // boostLanguages[] for the user's language, startDate as a bare date for a time range.
    const res = await call(f.app, '/api/v1/search/videos?search=blender&resultType=videos&start=0&count=10&sort=-match&nsfw=false&languageOneOf[]=en&boostLanguages[]=en&startDate=2023-01-01')
    assert.equal(res.status, 200, res.text)
    assert.deepEqual(names(res.json), [N.blenderTutorial])
    const safe = await call(f.app, '/api/v1/search/videos?search=quokka&resultType=videos&start=0&count=10&sort=-match&nsfw=both')
    assert.deepEqual(names(safe.json), [N.quokka, N.untitled])
  })

  test("NewPipe's queries (search with paging; tags only, sorted by creation)", async () => {
    const page = await call(f.app, '/api/v1/search/videos?search=blender&start=0&count=12')
    assert.equal(page.json.total, 4)
    const tags = await call(f.app, '/api/v1/search/videos?start=0&count=8&sort=-createdAt&tagsOneOf=peertube&tagsOneOf=music')
    assert.deepEqual(names(tags.json), [N.live, N.synth, N.peertube])
  })

  test('boostLanguages lifts a language without hiding the others', async () => {
    const plain = names(await search({ search: 'blender' }))
    const fr = names(await search({ search: 'blender', boostLanguages: ['fr'] }))
    const de = names(await search({ search: 'blender', boostLanguages: ['de'] }))
    assert.equal(fr[0], N.cooking)
    assert.equal(de[0], N.synth)
    assert.deepEqual(sorted(fr), sorted(plain))
    assert.deepEqual(sorted(de), sorted(plain))
  })
})

describe('results', () => {
  test('carry what PeerTube clients render, with absolute URLs on the origin and never isLocal', async () => {
    const r = await search({ search: 'jardinage' })
    const v = r.data[0]
    const origin = `http://${f.hostB}`
    assert.equal(v.uuid, B.garden.uuid)
    assert.equal(v.shortUUID, shortUuid(B.garden.uuid))
    assert.equal(v.url, `${origin}/videos/watch/${B.garden.uuid}`)
    assert.ok(v.thumbnailUrl.startsWith(`${origin}/`) && v.thumbnailUrl.endsWith(v.thumbnailPath))
    assert.ok(v.previewUrl.startsWith(`${origin}/`) && v.previewUrl.endsWith(v.previewPath))
    assert.ok(v.embedUrl.startsWith(`${origin}/`) && v.embedUrl.endsWith(v.embedPath))
    assert.equal(v.isLocal, false)
    assert.deepEqual(v.category, { id: 12, label: 'How To' })
    assert.deepEqual(v.privacy, { id: 1, label: 'Public' })
    assert.deepEqual(v.language.id, 'fr')
    assert.equal(v.duration, 2400)
    assert.equal(v.publishedAt, B.garden.publishedAt)
    assert.equal(v.originallyPublishedAt, B.garden.originallyPublishedAt)
    assert.deepEqual(v.tags, ['jardinage'])
    assert.equal(v.description, 'Comment faire pousser des tomates.')
    assert.equal(v.account.name, 'dave')
    assert.equal(v.account.host, f.hostB)
    assert.equal(v.channel.name, 'dave_channel')
    assert.equal(v.channel.displayName, 'Dave gardens')
    assert.equal(v.channel.url, `${origin}/video-channels/dave_channel`)
    for (const image of [...v.account.avatars, ...v.channel.avatars]) {
      assert.ok(image.fileUrl.startsWith('http'), image.fileUrl)
      assert.equal(image.url, image.fileUrl)
    }
    const unknown = (await search({ search: 'untitled' })).data[0]
    assert.deepEqual([unknown.category, unknown.licence], [{ id: null, label: 'Unknown' }, { id: null, label: 'Unknown' }])
  })
})
