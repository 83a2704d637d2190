// The views rendered directly from result objects: escaping, safe links, and the page-weight budget.
import { test } from 'node:test'
import { gzipSync } from 'node:zlib'
import assert from 'node:assert/strict'
import { Hono } from 'hono'
import { parseConfig } from '../../src/config/config.ts'
import { buildAssets, readCatalogues } from '../../src/http/ui/assets.ts'
import { pageContext, type SiteParts } from '../../src/http/ui/context.ts'
import { readSearchState, resetState, stateParams } from '../../src/http/ui/search-state.ts'
import { imageLinks } from '../../src/images/links.ts'
import { buildLanguages } from '../../views/i18n/languages.ts'
import type { ApiChannel, ApiPlaylist, ApiVideo, ResultList } from '../../src/search/types.ts'
import { resultsPage } from '../../views/pages/results.ts'
import { sampleChannel, samplePlaylist, sampleVideo } from './samples.ts'

const config = parseConfig({})
const assets = buildAssets(config.site)
const parts: SiteParts = { site: config.site, assets: assets.urls, languages: buildLanguages(readCatalogues()), images: imageLinks(false) }

async function renderResults(
  lists: { videos: ResultList<ApiVideo>; channels?: ResultList<ApiChannel>; playlists?: ResultList<ApiPlaylist> },
  url = '/search?search=x',
): Promise<string> {
  const app = new Hono()
  app.get('/search', (c) => {
    const ctx = pageContext(c, parts, Date.parse('2025-06-15T12:00:00Z'))
    const { state } = readSearchState(c.req.queries())
    return c.html(
      resultsPage(ctx, {
        state, sort: '', invalid: null, browsing: false, lastPage: 50, pastEnd: false, relaxed: null,
        videos: lists.videos, channels: lists.channels ?? null, playlists: lists.playlists ?? null,
        href: (o) => ctx.link('/search', stateParams(state, o)),
        resetHref: ctx.link('/search', stateParams(resetState(state))),
      }),
    )
  })
  return (await app.request(url)).text()
}

test('hostile titles, descriptions, tags and names render as text', async () => {
  const video = sampleVideo({
    name: '<script>alert("t")</script>',
    truncatedDescription: '<img src=x onerror=alert(1)> and "quotes" & ampersands',
    tags: ['"><svg onload=alert(2)>'],
  })
  video.channel.displayName = '<b>channel</b>'
  video.account.displayName = "<i onmouseover='x'>"
  const page = await renderResults({ videos: { total: 1, data: [video] } })
  assert.ok(!page.includes('<script>alert'), 'script tag escaped')
  assert.ok(!page.includes('<img src=x'), 'img tag escaped')
  assert.ok(!page.includes('<svg onload'), 'tag in a tag escaped')
  assert.ok(!page.includes('<b>channel'))
  assert.ok(!page.includes("<i onmouseover"))
  assert.ok(page.includes('&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;'))
  assert.ok(page.includes('&lt;img src=x onerror=alert(1)&gt; and &quot;quotes&quot; &amp; ampersands'))
  assert.equal((page.match(/<script/g) ?? []).length, 1, 'only our own external script')
})

test('only http(s) URLs from instances become links or images', async () => {
  const video = sampleVideo({ name: 'Evil links', url: 'javascript:alert(1)', thumbnailUrl: 'data:image/svg+xml,<svg/>' })
  video.channel.url = 'javascript:alert(2)'
  video.channel.avatars = [{ ...video.channel.avatars[0]!, fileUrl: 'javascript:alert(3)', url: 'vbscript:x' }]
  const page = await renderResults({ videos: { total: 1, data: [video] } })
  assert.ok(!/javascript:|vbscript:|data:image/.test(page))
  assert.ok(page.includes('Evil links'))
  assert.ok(!page.includes('Go and watch this video'), 'no call to action without a safe destination')
})

test('"go and watch" names and highlights the host the link leads to', async () => {
  const video = sampleVideo({ name: 'Somewhere', url: 'https://tube.example.net/w/abc' })
  const page = await renderResults({ videos: { total: 1, data: [video] } })
  assert.match(page, /<a class="go" href="https:\/\/tube\.example\.net\/w\/abc" rel="noreferrer">\s*<span>Go and watch this video on <strong class="host">tube\.example\.net<\/strong><\/span>/)
})

test('a full results page with the longest fields stays under 100 KB of HTML, and 25 KB of HTML and CSS as sent', async () => {
  const long = (n: number, word: string) => Array.from({ length: n }, () => word).join(' ').slice(0, n)
  const videos = Array.from({ length: 20 }, (_, i) =>
    sampleVideo({
      name: long(120, `Title${i}`),
      truncatedDescription: long(250, 'description'),
      tags: Array.from({ length: 5 }, (_, j) => `tag${j}${'x'.repeat(25)}`),
      url: `https://a-rather-long-instance-name-for-testing.example.org/videos/watch/${'0'.repeat(36)}`,
    }),
  )
  const channels = Array.from({ length: 3 }, (_, i) => sampleChannel({ name: `channel_${i}`, description: long(500, 'about') }))
  const playlists = Array.from({ length: 3 }, (_, i) => samplePlaylist({ displayName: long(120, `Playlist${i}`), description: long(1000, 'list') }))
  const page = await renderResults(
    { videos: { total: 9999, data: videos }, channels: { total: 50, data: channels }, playlists: { total: 50, data: playlists } },
    '/search?search=x&durationRange=long&languageOneOf=fr&languageOneOf=en&tagsOneOf=a,b&host=h.example&lang=fr',
  )
  const css = assets.files.get('style.css')!.body
  assert.ok(Buffer.byteLength(page) < 100 * 1024, `results page weighs ${Buffer.byteLength(page)} bytes`)
  // What travels: the server compresses both (the stylesheet once, then from the browser's cache for a year).
  const sent = gzipSync(page).length + gzipSync(css).length
  assert.ok(sent < 25 * 1024, `results page and stylesheet weigh ${sent} bytes compressed`)
})

test('a channel named like its account is said once ("X", not "X by X")', async () => {
  const same = sampleVideo({ name: 'Same names' })
  same.channel.displayName = 'Ada Lovelace'
  same.account.displayName = ' ada lovelace '
  const other = sampleVideo({ name: 'Other names' })
  other.channel.displayName = 'Engines'
  other.account.displayName = 'Ada Lovelace'
  const page = await renderResults({ videos: { total: 2, data: [same, other] } })
  assert.equal((page.match(/by <bdi>/g) ?? []).length, 1)
  assert.ok(page.includes('by <bdi>Ada Lovelace</bdi>'), 'the other video names its account')
})
