// Errors in PeerTube's format, CORS, and /api/v1/config.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createApp } from '../../src/http/app.ts'
import { call, useApiFederation } from './federation.ts'
import { realFixture } from '../helpers/fixtures.ts'

const f = useApiFederation()

test('an invalid parameter is a 400 in the shape PeerTube answers (application/problem+json)', async () => {
  const res = await call(f.app, '/api/v1/search/videos?search=blender&count=500&sort=-match')
  assert.equal(res.status, 400)
  assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8')
  assert.deepEqual(res.json, {
    type: 'about:blank',
    title: 'Bad Request',
    detail: 'Incorrect request parameters: count',
    instance: '/api/v1/search/videos?search=blender&count=500&sort=-match',
    status: 400,
    'invalid-params': { count: { type: 'field', value: '500', msg: 'Should be at most 100', path: 'count', location: 'query' } },
    docs: 'https://docs.joinpeertube.org/api-rest-reference.html#operation/searchVideos',
    error: 'Incorrect request parameters: count',
  })
  // Same keys, in the same order, as a real PeerTube 400 (fixture fjernsyn__error-400-bad-sort__1.json).
  assert.deepEqual(Object.keys(res.json), Object.keys(realFixture('fjernsyn__error-400-bad-sort__1.json')))
  assert.deepEqual(Object.keys(res.json['invalid-params'].count).sort(), Object.keys(realFixture('fjernsyn__error-400-bad-sort__1.json')['invalid-params'].sort).sort())
})

test('every invalid parameter is named, on each route, from the query string or a POST body', async () => {
  const cases: [string, string][] = [
    ['/api/v1/search/videos?start=-1', 'start'],
    ['/api/v1/search/videos?nsfw=maybe', 'nsfw'],
    ['/api/v1/search/videos?startDate=yesterday', 'startDate'],
    ['/api/v1/search/videos?isLive=perhaps', 'isLive'],
    ['/api/v1/search/videos?durationMax=long', 'durationMax'],
    ['/api/v1/search/videos?uuids=nope', 'uuids'],
    ['/api/v1/search/videos?sort=%2Bviews', 'sort'],
    ['/api/v1/search/video-channels?count=101', 'count'],
    ['/api/v1/search/video-playlists?uuids=x', 'uuids'],
  ]
  for (const [path, param] of cases) {
    const res = await call(f.app, path)
    assert.equal(res.status, 400, path)
    assert.deepEqual(Object.keys(res.json['invalid-params']), [param], path)
  }
  const post = await call(f.app, '/api/v1/search/video-channels', { method: 'POST', json: { count: 1000, start: 'x' } })
  assert.equal(post.status, 400)
  assert.deepEqual(Object.keys(post.json['invalid-params']).sort(), ['count', 'start'])
  assert.equal(post.json['invalid-params'].count.location, 'body')
  assert.equal(post.json.docs, 'https://docs.joinpeertube.org/api-rest-reference.html#operation/searchChannels')
})

test('a body that is not a JSON object is a 400; an empty POST searches with the defaults', async () => {
  for (const body of ['{"search":', '[1,2]', '"text"', 'null']) {
    const res = await call(f.app, '/api/v1/search/videos', { method: 'POST', body, headers: { 'content-type': 'application/json' } })
    assert.equal(res.status, 400, body)
    assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8')
  }
  const empty = await call(f.app, '/api/v1/search/videos', { method: 'POST' })
  assert.equal(empty.status, 200)
})

test('unknown API routes are a 404 in the same format; other methods too', async () => {
  for (const [method, path] of [['GET', '/api/v1/videos'], ['GET', '/api/v2/search/videos'], ['PUT', '/api/v1/search/videos'], ['DELETE', '/api/v1/config']]) {
    const res = await call(f.app, path!, { method })
    assert.equal(res.status, 404, `${method} ${path}`)
    assert.equal(res.json.status, 404)
    assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8')
  }
})

test('CORS: every API answer, errors included, is readable from any origin; preflights pass', async () => {
  for (const path of ['/api/v1/search/videos?search=x', '/api/v1/search/videos?count=500', '/api/v1/config']) {
    const res = await call(f.app, path, { headers: { origin: 'https://app.example' } })
    assert.equal(res.headers.get('access-control-allow-origin'), '*', path)
  }
  const pre = await f.app.request('/api/v1/search/videos', {
    method: 'OPTIONS',
    headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  })
  assert.ok(pre.status === 204 || pre.status === 200)
  assert.equal(pre.headers.get('access-control-allow-origin'), '*')
  assert.match(pre.headers.get('access-control-allow-methods') ?? '', /POST/)
})

test('/api/v1/config tells apps what the index is', async () => {
  const res = await call(f.app, '/api/v1/config')
  assert.equal(res.status, 200)
  assert.equal(res.json.searchInstanceName, f.fed.config.site.name)
  assert.equal(res.json.indexedHostsCount, 2)
  assert.equal(res.json.legalNoticesUrl, f.fed.config.site.legalNoticesUrl)
  assert.equal(res.json.searchInstanceNameImage, f.fed.config.site.logoUrl)
  assert.deepEqual([res.json.indexedVideosCount, res.json.indexedChannelsCount, res.json.indexedPlaylistsCount], [9, 4, 3])
})

test('/api/v1/config: indexedInstancesUrl is the about page listing the instances, absolute when site.url is set', async () => {
  const relative = (await call(f.app, '/api/v1/config')).json.indexedInstancesUrl
  assert.equal(relative, '/about#instances')
  const page = await f.app.request(relative)
  assert.equal(page.status, 200)
  assert.match(page.headers.get('content-type') ?? '', /^text\/html/)
  const html = await page.text()
  assert.ok(html.includes('id="instances"'))
  for (const host of [f.hostA, f.hostB]) assert.ok(html.includes(`>${host}</a>`), host)
  const withUrl = createApp({ db: f.fed.db, config: f.fed.federation.config({ site: { url: 'https://search.example.org/' } }) })
  assert.equal((await call(withUrl, '/api/v1/config')).json.indexedInstancesUrl, 'https://search.example.org/about#instances')
})
