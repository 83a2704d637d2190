// The site in a real browser (Debian's Chromium through playwright-core), served over real HTTP on 127.0.0.1,
// searching a crawled fake federation. Every page visited is audited: no cookie, no script dialog, no CSP
// violation, and no request to another origin except the thumbnails and avatars of results (sent without Referer).
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { serve, type ServerType } from '@hono/node-server'
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page, type Request } from 'playwright-core'
import { createApp } from '../../src/http/app.ts'
import type { CrawledFederation } from '../helpers/crawled.ts'
import type { FakeVideo } from '../fake/federation.ts'
import { HOSTILE_DESCRIPTION, HOSTILE_DESCRIPTION_VIDEO, siteFederation } from './fixture.ts'

const SCREENSHOTS = 'test-output/screenshots'
const DESKTOP = { width: 1280, height: 800 }
const PHONE = { width: 390, height: 844 }

let fed: CrawledFederation
let server: ServerType
let base: string
let browser: Browser
/** Every indexed video with the host it lives on. */
let indexed: (FakeVideo & { host: string })[]

before(async () => {
  fed = await siteFederation()
  indexed = fed.federation.instances.flatMap((i) => i.expected().videos.map((v) => ({ ...v, host: i.host })))
  const app = createApp({ db: fed.db, config: fed.config })
  server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 })
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  mkdirSync(SCREENSHOTS, { recursive: true })
})

after(async () => {
  await browser?.close()
  await new Promise((resolve) => server?.close(resolve))
  await fed?.close()
})

/** A browser tab whose every request and incident is recorded, for audit() once the test is done. */
type Tab = { page: Page; context: BrowserContext; requests: Request[]; incidents: string[]; audit(): Promise<void> }

async function openTab(options: BrowserContextOptions = {}): Promise<Tab> {
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB', ...options })
  const page = await context.newPage()
  page.setDefaultTimeout(10_000)
  const requests: Request[] = []
  const incidents: string[] = []
  page.on('request', (r) => requests.push(r))
  page.on('dialog', (d) => {
    incidents.push(`dialog: ${d.message()}`)
    void d.dismiss()
  })
  page.on('pageerror', (e) => incidents.push(`page error: ${e.message}`))
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) incidents.push(`console: ${m.text()}`)
  })
  page.on('response', (r) => {
    if (r.headers()['set-cookie']) incidents.push(`cookie set by ${r.url()}`)
  })
  const instanceOrigins = new Set(fed.federation.instances.map((i) => i.origin))
  return {
    page, context, requests, incidents,
    async audit() {
      assert.deepEqual(incidents, [])
      assert.deepEqual(await context.cookies(), [], 'no cookie')
      for (const r of requests) {
        const origin = new URL(r.url()).origin
        if (origin === base) continue
        assert.equal(r.resourceType(), 'image', `only images load from elsewhere: ${r.url()}`)
        assert.ok(instanceOrigins.has(origin), `images come from the instances: ${r.url()}`)
        assert.match(new URL(r.url()).pathname, /^\/(lazy-)?static\/(thumbnails|previews|avatars)\//, r.url())
        // Chromium reports a suppressed Referer as absent or as "" depending on timing; neither reaches the wire.
        assert.ok(!(await r.allHeaders()).referer, `no Referer sent to ${origin}`)
      }
      await context.close()
    },
  }
}

async function navigate(page: Page, action: () => Promise<unknown>): Promise<URL> {
  const before = page.url()
  await Promise.all([page.waitForURL((u) => u.href !== before), action()])
  await page.waitForLoadState('load')
  return new URL(page.url())
}

const titles = (page: Page) => page.locator('.result-video .result-title').allTextContents()
const trimmed = async (page: Page) => (await titles(page)).map((s) => s.trim())
async function shownTotal(page: Page): Promise<number> {
  const text = await page.locator('#result-count').textContent()
  return Number((text ?? '').replace(/[\s,.\u202f\u00a0]/g, '').match(/^\d+/)?.[0] ?? NaN)
}

test('home, search, and results whose links go straight to the origin instance; screenshots', async () => {
  for (const [viewport, name] of [[DESKTOP, 'desktop'], [PHONE, 'phone']] as const) {
    const tab = await openTab({ viewport })
    const { page } = tab
    await page.goto(base + '/')
    await page.locator('.hero-stats').waitFor()
    await page.screenshot({ path: `${SCREENSHOTS}/home-${name}.png` })
    await page.fill('#search-input', 'Blender')
    const url = await navigate(page, () => page.press('#search-input', 'Enter'))
    assert.equal(url.pathname, '/search')
    assert.equal(url.searchParams.get('search'), 'Blender')
    assert.ok((await page.locator('.result-video').count()) > 0)
    await page.locator('.result-video img').first().evaluate((img: HTMLImageElement) => img.decode().catch(() => {}))
    await page.screenshot({ path: `${SCREENSHOTS}/results-${name}.png` })

    const links = await page.locator('.result a.go').evaluateAll((as) =>
      as.map((a) => ({ href: (a as HTMLAnchorElement).href, host: a.querySelector('.host')?.textContent, text: a.textContent })),
    )
    assert.ok(links.length > 0)
    const origins = new Set(fed.federation.instances.map((i) => i.origin))
    for (const l of links) {
      assert.ok(origins.has(new URL(l.href).origin), `${l.href} is on an indexed instance`)
      assert.equal(l.host, new URL(l.href).host, 'the highlighted host is where the link leads')
      assert.match(l.text ?? '', /Go and (watch|see) this (video|channel|playlist) on/)
    }
    const video = indexed.find((v) => v.name === 'Blender session 2')!
    assert.ok(links.some((l) => l.href === `http://${video.host}/videos/watch/${video.uuid}`), 'a known video links to its origin')
    await tab.audit()
  }
})

// Each filter is applied through the form, starting from the bare search page (no words, so the count shown is
// exactly the number of indexed videos that pass the filter) and checked against the fake federation's content.
const now = Date.now()
const DAY = 86_400_000
const visible = (v: FakeVideo) => !v.nsfw
const FILTERS: { name: string; set: (page: Page) => Promise<void>; param: () => [string, string]; keep: (v: FakeVideo & { host: string }) => boolean }[] = [
  { name: 'published today', set: (p) => p.selectOption('#f-date', 'today').then(), param: () => ['publishedDateRange', 'today'], keep: (v) => visible(v) && Date.parse(v.publishedAt) >= now - DAY },
  { name: 'published this week', set: (p) => p.selectOption('#f-date', 'last_7days').then(), param: () => ['publishedDateRange', 'last_7days'], keep: (v) => visible(v) && Date.parse(v.publishedAt) >= now - 7 * DAY },
  { name: 'published this month', set: (p) => p.selectOption('#f-date', 'last_30days').then(), param: () => ['publishedDateRange', 'last_30days'], keep: (v) => visible(v) && Date.parse(v.publishedAt) >= now - 30 * DAY },
  { name: 'published this year', set: (p) => p.selectOption('#f-date', 'last_365days').then(), param: () => ['publishedDateRange', 'last_365days'], keep: (v) => visible(v) && Date.parse(v.publishedAt) >= now - 365 * DAY },
  { name: 'short', set: (p) => p.selectOption('#f-duration', 'short').then(), param: () => ['durationRange', 'short'], keep: (v) => visible(v) && v.duration <= 240 },
  { name: 'medium', set: (p) => p.selectOption('#f-duration', 'medium').then(), param: () => ['durationRange', 'medium'], keep: (v) => visible(v) && v.duration >= 240 && v.duration <= 600 },
  { name: 'long', set: (p) => p.selectOption('#f-duration', 'long').then(), param: () => ['durationRange', 'long'], keep: (v) => visible(v) && v.duration >= 600 },
  { name: 'category', set: (p) => p.selectOption('#f-category', '13').then(), param: () => ['categoryOneOf', '13'], keep: (v) => visible(v) && v.category === 13 },
  { name: 'licence', set: (p) => p.selectOption('#f-licence', '2').then(), param: () => ['licenceOneOf', '2'], keep: (v) => visible(v) && v.licence === 2 },
  { name: 'language', set: (p) => p.selectOption('#f-language', 'es').then(), param: () => ['languageOneOf', 'es'], keep: (v) => visible(v) && v.language === 'es' },
  { name: 'live only', set: (p) => p.selectOption('#f-live', 'true').then(), param: () => ['isLive', 'true'], keep: (v) => visible(v) && v.isLive },
  { name: 'no lives', set: (p) => p.selectOption('#f-live', 'false').then(), param: () => ['isLive', 'false'], keep: (v) => visible(v) && !v.isLive },
  { name: 'sensitive shown', set: (p) => p.selectOption('#f-nsfw', 'both').then(), param: () => ['nsfw', 'both'], keep: () => true },
  { name: 'sensitive only', set: (p) => p.selectOption('#f-nsfw', 'true').then(), param: () => ['nsfw', 'true'], keep: (v) => v.nsfw },
  { name: 'one of these tags', set: (p) => p.fill('#f-tags-one', 'linux, BLENDER'), param: () => ['tagsOneOf', 'linux, BLENDER'], keep: (v) => visible(v) && v.tags.some((t) => ['linux', 'blender'].includes(t.toLowerCase())) },
  { name: 'all of these tags', set: (p) => p.fill('#f-tags-all', 'linux, vieux-tube'), param: () => ['tagsAllOf', 'linux, vieux-tube'], keep: (v) => visible(v) && ['linux', 'vieux-tube'].every((t) => v.tags.includes(t)) },
  { name: 'host', set: (p) => p.fill('#f-host', fed.federation.instances[1]!.host), param: () => ['host', fed.federation.instances[1]!.host], keep: (v) => visible(v) && v.host === fed.federation.instances[1]!.host },
]

test('each filter, applied from the form, keeps exactly the matching videos and lives in the URL', async () => {
  const tab = await openTab()
  const { page } = tab
  for (const f of FILTERS) {
    await page.goto(base + '/search')
    const all = await shownTotal(page)
    assert.equal(all, indexed.filter(visible).length, 'the bare search lists every visible video')
    await page.locator('.filters summary').click()
    await f.set(page)
    const url = await navigate(page, () => page.click('.filters-actions button[type=submit]'))
    const [key, value] = f.param()
    assert.equal(url.searchParams.get(key), value, `${f.name}: in the URL`)
    assert.ok(![...url.searchParams.values()].includes(''), `${f.name}: empty fields stay out of the URL (${url.search})`)
    const expected = indexed.filter(f.keep)
    assert.ok(expected.length > 0 && expected.length !== all, `${f.name}: a filter that changes the results`)
    assert.equal(await shownTotal(page), expected.length, `${f.name}: count`)
    const names = new Set(expected.map((v) => v.name))
    for (const t of await trimmed(page)) assert.ok(names.has(t), `${f.name}: ${t} matches`)
    assert.equal(await page.locator('.filters .count-badge').textContent(), '1', `${f.name}: shown as one active filter`)
    // The filter survives a new search from the header.
    await page.fill('#search-input', 'a')
    const next = await navigate(page, () => page.press('#search-input', 'Enter'))
    assert.equal(next.searchParams.get(key), url.searchParams.get(key), `${f.name}: kept by a new search`)
  }
  await tab.audit()
})

test('sorts reorder the results, and the sort select applies itself', async () => {
  const tab = await openTab()
  const { page } = tab
  const byDate = (names: string[]) => names.map((n) => Date.parse(indexed.find((v) => v.name === n)!.publishedAt))
  await page.goto(base + '/search?search=episode')
  const best = await trimmed(page)
  assert.ok(best.length > 0)

  let url = await navigate(page, () => page.selectOption('#f-sort', '-publishedAt'))
  assert.equal(url.searchParams.get('sort'), '-publishedAt')
  const newest = byDate(await trimmed(page))
  assert.deepEqual(newest, [...newest].sort((a, b) => b - a))

  url = await navigate(page, () => page.selectOption('#f-sort', 'publishedAt'))
  assert.equal(url.searchParams.get('sort'), 'publishedAt')
  const oldest = byDate(await trimmed(page))
  assert.deepEqual(oldest, [...oldest].sort((a, b) => a - b))
  assert.notDeepEqual(oldest, newest)

  url = await navigate(page, () => page.selectOption('#f-sort', '-views'))
  assert.equal(url.searchParams.get('sort'), '-views')
  const views = (await page.locator('.result-video .views').evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? '')))
    .map((t) => Number(t.replace(/\D/g, '')))
  assert.ok(views.length > 1)
  assert.deepEqual(views, [...views].sort((a, b) => b - a))

  url = await navigate(page, () => page.selectOption('#f-sort', ''))
  assert.equal(url.searchParams.get('sort'), null, 'best match is the default, left out of the URL')
  assert.deepEqual(await trimmed(page), best)
  await tab.audit()
})

test('pagination walks through every result once, in order', async () => {
  const tab = await openTab()
  const { page } = tab
  const expected = indexed.filter(visible).sort((a, b) => Date.parse(b.publishedAt) - Date.parse(a.publishedAt)).map((v) => v.name)
  await page.goto(base + '/search')
  assert.deepEqual(await trimmed(page), expected.slice(0, 20))
  let url = await navigate(page, () => page.click('.pagination a[rel=next]'))
  assert.equal(url.searchParams.get('page'), '2')
  assert.deepEqual(await trimmed(page), expected.slice(20, 40))
  url = await navigate(page, () => page.click('.pagination a[aria-label="Page 3"]'))
  assert.equal(url.searchParams.get('page'), '3')
  assert.equal(await page.locator('.pagination [aria-current=page]').textContent(), '3')
  assert.deepEqual(await trimmed(page), expected.slice(40, 60))
  const last = Math.ceil(expected.length / 20)
  url = await navigate(page, () => page.click(`.pagination a[aria-label="Page ${last}"]`))
  assert.deepEqual(await trimmed(page), expected.slice((last - 1) * 20))
  assert.equal(await page.locator('.pagination a[rel=next]').count(), 0)
  url = await navigate(page, () => page.click('.pagination a[rel=prev]'))
  assert.equal(url.searchParams.get('page'), String(last - 1))
  await tab.audit()
})

test('the reset control clears every filter but keeps the words', async () => {
  const tab = await openTab()
  const { page } = tab
  await page.goto(base + '/search?search=pottery&durationRange=long&languageOneOf=fr&publishedDateRange=last_365days&nsfw=both')
  assert.equal(await page.locator('.filters .count-badge').textContent(), '4')
  const url = await navigate(page, () => page.click('.filters-actions a'))
  assert.equal(url.search, '?search=pottery')
  assert.equal(await page.locator('.filters .count-badge').count(), 0)
  await tab.audit()
})

test('channels and playlists have their own tabs, and lead to their instance too', async () => {
  const tab = await openTab()
  const { page } = tab
  await page.goto(base + '/search?search=Bob')
  await navigate(page, () => page.click('.tabs a:has-text("Channels")'))
  assert.equal(new URL(page.url()).searchParams.get('resultType'), 'channels')
  const channel = page.locator('.result-channel').first()
  assert.equal((await channel.locator('.result-title').textContent())?.trim(), 'Bob builds things')
  const href = await channel.locator('a.go').getAttribute('href')
  assert.equal(new URL(href!).host, fed.federation.instances[1]!.host)
  await page.goto(base + '/search?search=Rust')
  await navigate(page, () => page.click('.tabs a:has-text("Playlists")'))
  assert.equal((await page.locator('.result-playlist .result-title').first().textContent())?.trim(), 'Rust from zero')
  await tab.audit()
})

test('the language switch needs no cookie and follows the visitor through searches and links', async () => {
  const tab = await openTab({ locale: 'en-GB' })
  const { page } = tab
  await page.goto(base + '/search?search=Blender')
  assert.equal(await page.getAttribute('html', 'lang'), 'en')
  let url = await navigate(page, () => page.click('.lang-switch a[hreflang=fr]'))
  assert.equal(url.searchParams.get('lang'), 'fr')
  assert.equal(url.searchParams.get('search'), 'Blender')
  assert.equal(await page.getAttribute('html', 'lang'), 'fr')
  assert.match((await page.locator('.results-heading').textContent()) ?? '', /^Résultats pour «\sBlender\s»$/)
  assert.match((await page.locator('a.go').first().textContent()) ?? '', /Aller voir cette (vidéo|chaîne|liste de lecture) sur/)
  await page.fill('#search-input', 'Linux')
  url = await navigate(page, () => page.press('#search-input', 'Enter'))
  assert.equal(url.searchParams.get('lang'), 'fr')
  assert.match((await page.locator('#result-count').textContent()) ?? '', /vidéos/)
  url = await navigate(page, () => page.click('.tabs a:has-text("Vidéos")'))
  assert.equal(url.searchParams.get('lang'), 'fr')
  assert.equal(url.searchParams.get('resultType'), 'videos')
  url = await navigate(page, () => page.click('.footer-links a[href^="/about"]'))
  assert.equal(url.pathname, '/about')
  assert.equal(await page.getAttribute('html', 'lang'), 'fr')
  // A French browser gets French without asking.
  const fr = await openTab({ locale: 'fr-FR' })
  await fr.page.goto(base + '/')
  assert.equal(await fr.page.getAttribute('html', 'lang'), 'fr')
  await fr.audit()
  await tab.audit()
})

test('HTML from instances is shown as text, never run', async () => {
  const tab = await openTab()
  const { page } = tab
  await page.goto(base + '/search?search=owned')
  const title = await page.locator('.result-video .result-title').first().textContent()
  assert.equal(title?.trim(), '<script>alert("owned")</script> & <b>bold</b> "quotes"')
  assert.equal(await page.locator('.result-title b').count(), 0)
  await page.goto(`${base}/search?search=${encodeURIComponent(HOSTILE_DESCRIPTION_VIDEO)}`)
  const card = page.locator('.result-video', { hasText: HOSTILE_DESCRIPTION_VIDEO })
  assert.equal((await card.locator('.result-description').textContent())?.trim(), HOSTILE_DESCRIPTION)
  assert.equal(await card.locator('.result-description img').count(), 0)
  assert.ok(!tab.requests.some((r) => new URL(r.url()).pathname === '/x'), 'the injected image was never requested')
  await tab.audit()
})

test('keyboard: the skip link comes first and lands on the content', async () => {
  const tab = await openTab()
  const { page } = tab
  await page.goto(base + '/search?search=Blender')
  await page.keyboard.press('Tab')
  assert.equal(await page.evaluate(() => document.activeElement?.className), 'skip-link')
  await page.keyboard.press('Enter')
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'main')
  await tab.audit()
})

test('without JavaScript, searching and filtering work the same', async () => {
  const tab = await openTab({ javaScriptEnabled: false })
  const { page } = tab
  await page.goto(base + '/')
  await page.fill('#search-input', 'pottery')
  await navigate(page, () => page.press('#search-input', 'Enter'))
  await page.locator('.filters summary').click()
  await page.selectOption('#f-date', 'last_7days')
  await navigate(page, () => page.click('.filters-actions button[type=submit]'))
  assert.deepEqual((await trimmed(page)).sort(), ['Pottery wheel basics', HOSTILE_DESCRIPTION_VIDEO].sort())
  await page.selectOption('#f-sort', '-publishedAt')
  const url = await navigate(page, () => page.click('.sort button'))
  assert.equal(url.searchParams.get('sort'), '-publishedAt')
  assert.deepEqual(await trimmed(page), ['Pottery wheel basics', HOSTILE_DESCRIPTION_VIDEO])
  await tab.audit()
})
