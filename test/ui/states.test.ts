// Every state of the results page tells the truth (issue 10), in process on the crawled site federation: a page
// past the end, filters that empty a search, lists without words, sorts, empty playlists, live videos, names,
// titles, dates, active filters, and errors in the visitor's language.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { Hono } from 'hono'
import { createApp } from '../../src/http/app.ts'
import type { CrawledFederation } from '../helpers/crawled.ts'
import { siteFederation } from './fixture.ts'

let fed: CrawledFederation
let app: Hono

before(async () => {
  fed = await siteFederation()
  app = createApp({ db: fed.db, config: fed.config })
})
after(() => fed.close())

async function page(path: string, status = 200): Promise<string> {
  const res = await app.request(path)
  const body = await res.text()
  assert.equal(res.status, status, `${path}: ${body.slice(0, 200)}`)
  return body
}
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&nbsp;|\s+/g, ' ')
const title = (html: string) => /<title>([^<]*)<\/title>/.exec(html)![1]!

test('a page past the last one is a 404 that says how many pages there are, and offers the last one', async () => {
  const html = await page('/search?search=Blender&page=9', 404)
  assert.match(text(html), /There is no page 9/)
  assert.match(text(html), /This search has only one page of results\./)
  assert.ok(html.includes('href="/search?search=Blender"'), 'a link to the last (only) page')
  assert.doesNotMatch(text(html), /Nothing matches|Remove the filters|spelling/)
  const many = await page('/search?page=50', 404)
  assert.match(text(many), /This search has \d+ pages of results\./)
})

test('filters that empty a search are named, each with what removing it gives; the words are not blamed', async () => {
  const html = await page('/search?search=pottery&languageOneOf=de&durationRange=long')
  const t = text(html)
  assert.match(t, /No result passes all these filters/)
  assert.match(t, /Without the filters, your words match 5 results\./)
  assert.match(t, /Remove “Duration: Long \(over 10 min\)” \(still nothing: other filters remain\)/)
  assert.match(t, /Remove “Language: German” \(2 results\)/)
  assert.ok(html.includes('href="/search?search=pottery&amp;durationRange=long"'), 'removing the language keeps the duration')
  assert.doesNotMatch(t, /Check the spelling/)
  // Words that match nothing even without filters: then the words are the problem.
  const words = text(await page('/search?search=zzyzx&languageOneOf=de'))
  assert.match(words, /Nothing matches “zzyzx”/)
  assert.match(words, /Check the spelling/)
  assert.match(words, /Remove the filters/)
  // And with no filter at all, no "remove the filters" link.
  assert.doesNotMatch(text(await page('/search?search=zzyzx')), /Remove the filters/)
})

test('without words, each tab says what it lists', async () => {
  assert.match(title(await page('/search')), /^Latest videos – /)
  assert.match(title(await page('/search?resultType=videos')), /^Latest videos – /)
  assert.match(title(await page('/search?resultType=channels')), /^Latest channels – /)
  assert.match(title(await page('/search?resultType=playlists')), /^Latest playlists – /)
})

test('sorts: each kind offers its own, an API sort in the URL is named, one the API does not know shows what applies', async () => {
  const videos = await page('/search?search=episode')
  for (const label of ['Best match', 'Most recent', 'Most viewed', 'Trending', 'Longest']) assert.ok(videos.includes(`>${label}</option>`), label)
  const channels = await page('/search?search=bob&resultType=channels&sort=-views')
  assert.ok(!channels.includes('>Most viewed</option>'), 'channels have no views to sort by')
  assert.match(channels, /<option value="" selected>Best match<\/option>/, 'what applies to channels: best match')
  assert.ok(channels.includes('>Name, A to Z</option>'))
  assert.match(await page('/search?search=episode&sort=-trending'), /<option value="-hot" selected>Trending<\/option>/)
  assert.match(await page('/search?search=episode&sort=-comments'), /<option value="" selected>Best match<\/option>/)
  assert.match(await page('/search?search=episode&sort=name'), /<option value="name" selected>Title, A to Z<\/option>/)
  assert.doesNotMatch(await page('/search?search=episode&sort=-trending'), />-trending</)
  assert.doesNotMatch(videos, /data-autosubmit/)
})

test('playlists without videos are not listed', async () => {
  const row = fed.db.prepare("SELECT videos_length FROM playlists WHERE display_name = 'Empty pottery shelf'").get() as { videos_length: number }
  assert.equal(row.videos_length, 0, 'the fixture indexes an empty playlist')
  const html = await page('/search?search=pottery%20shelf&resultType=playlists')
  assert.ok(!html.includes('Empty pottery shelf'))
  assert.ok(!(await page('/search?resultType=playlists')).includes('Empty pottery shelf'))
})

test('a live video says it is live, not an hours-old viewer count', async () => {
  const html = await page('/search?search=episode&isLive=true&nsfw=both')
  assert.ok(html.includes('badge-live'))
  assert.doesNotMatch(text(html), /watching/)
  assert.match(html, /<span class="visually-hidden">Live, <\/span>/)
})

test('each page of a search has its own title; the about page names the site once', async () => {
  assert.equal(title(await page('/search?search=episode')), 'Results for “episode” – Sepia (test)')
  assert.equal(title(await page('/search?search=episode&page=2')), 'Results for “episode” (page 2) – Sepia (test)')
  assert.equal(title(await page('/about')), 'About Sepia (test)')
  assert.equal(title(await page('/nowhere', 404)), 'Page not found – Sepia (test)')
})

test('dates are shown as dates, recent ones with how long ago', async () => {
  const html = await page('/search?search=pottery&sort=-publishedAt')
  assert.match(html, /<time datetime="[^"]+">[A-Z][a-z]{2} \d{1,2}, \d{4} \((\d+ )?\w+ ago\)<\/time>/, 'a recent one')
  const old = await page('/search?search=Blender')
  assert.match(old, /<time datetime="2023-[^"]+">[A-Z][a-z]{2} \d{1,2}, 2023<\/time>/, 'an old one')
})

test('active filters are chips above the results, each removing itself, with one removing them all', async () => {
  const html = await page('/search?search=pottery&languageOneOf=fr&languageOneOf=en&nsfw=both')
  const chips = [...html.matchAll(/<a class="chip" href="([^"]+)" aria-label="([^"]+)">/g)].map((m) => [m[1]!.replace(/&amp;/g, '&'), m[2]!])
  assert.deepEqual(chips, [
    ['/search?search=pottery&nsfw=both&languageOneOf=en', 'Remove the filter Language: French'],
    ['/search?search=pottery&nsfw=both&languageOneOf=fr', 'Remove the filter Language: English'],
    ['/search?search=pottery&languageOneOf=fr&languageOneOf=en', 'Remove the filter Sensitive content: Shown'],
  ])
  assert.ok(html.includes('<a class="chips-clear" href="/search?search=pottery">Remove all filters</a>'))
  assert.ok(html.indexOf('class="chips"') < html.indexOf('id="result-count"'), 'above the results')
})

test('the first results load their pictures at once, the others when scrolled to', async () => {
  const html = await page('/search')
  const loading = [...html.matchAll(/<div class="thumb">\s*<a [^>]*><img [^>]*loading="(\w+)"/g)].map((m) => m[1])
  assert.equal(loading.length, 20)
  assert.deepEqual(loading.slice(0, 3), ['eager', 'eager', 'eager'])
  assert.ok(loading.slice(3).every((l) => l === 'lazy'))
})

test('a sensitive thumbnail is revealed by a real control, not by hovering', async () => {
  const html = await page('/search?nsfw=true')
  assert.match(html, /<label class="reveal"><input type="checkbox" class="reveal-input"><span>Show the picture<\/span><\/label>/)
  const css = await (await app.request(/<link rel="stylesheet" href="([^"]+)"/.exec(html)![1]!)).text()
  assert.doesNotMatch(css, /:hover img \{ filter: none/)
})

test('invalid parameters are explained in the visitor language, named for what they are', async () => {
  const fr = text(await page('/search?search=x&page=0&startDate=hier&lang=fr', 400))
  assert.match(fr, /page : doit être un nombre entier entre 1 et 50/)
  const dates = text(await page('/search?search=x&startDate=hier&durationMax=long&lang=fr', 400))
  assert.match(dates, /startDate : doit être une date, par exemple 2024-05-31/)
  assert.match(dates, /durationMax : doit être un nombre entier de secondes/)
  assert.doesNotMatch(dates, /Should be|Invalid value/, 'no English from the API')
})
