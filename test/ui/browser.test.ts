// The site in a real browser: searching, every filter of the panel, sorts, pagination, tabs, languages, hostile
// text, and the same without JavaScript. Every tab is audited (see browser-harness.ts): with pictures proxied,
// no request leaves the gateway's origin.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import type { FakeVideo } from '../fake/federation.ts'
import { DESKTOP, PHONE, SCREENSHOTS, navigate, startBrowserSite, type BrowserSite } from './browser-harness.ts'
import { BROKEN_THUMBNAIL_VIDEO, HOSTILE_DESCRIPTION, HOSTILE_DESCRIPTION_VIDEO } from './fixture.ts'

let site: BrowserSite
let base: string
/** Every indexed video with the host it lives on. */
let indexed: (FakeVideo & { host: string })[]

before(async () => {
  site = await startBrowserSite()
  base = site.base
  indexed = site.fed.federation.instances.flatMap((i) => i.expected().videos.map((v) => ({ ...v, host: i.host })))
})
after(() => site?.close())

const titles = (page: Page) => page.locator('.result-video .result-title').allTextContents()
const trimmed = async (page: Page) => (await titles(page)).map((s) => s.trim())
async function shownTotal(page: Page): Promise<number> {
  const text = await page.locator('#result-count').textContent()
  return Number((text ?? '').replace(/[\s,.\u202f\u00a0]/g, '').match(/^\d+/)?.[0] ?? NaN)
}
// Waits until every picture of the page has loaded (or failed), so screenshots and audits see them all.
const picturesSettled = (page: Page) =>
  page.locator('img').evaluateAll((imgs) => Promise.all(imgs.map((img) => (img as HTMLImageElement).decode().catch(() => {}))))

test('home, search, and results whose links go straight to the origin instance, pictures from the gateway; screenshots', async () => {
  for (const [viewport, name] of [[DESKTOP, 'desktop'], [PHONE, 'phone']] as const) {
    for (const colorScheme of ['light', 'dark'] as const) {
      const tab = await site.openTab({ viewport, colorScheme })
      const { page } = tab
      await page.goto(base + '/')
      await page.locator('.hero-stats').waitFor()
      await page.screenshot({ path: `${SCREENSHOTS}/home-${name}-${colorScheme}.png` })
      await page.fill('#search-input', 'Blender')
      const url = await navigate(page, () => page.press('#search-input', 'Enter'))
      assert.equal(url.pathname, '/search')
      assert.equal(url.searchParams.get('search'), 'Blender')
      assert.ok((await page.locator('.result-video').count()) > 0)
      await picturesSettled(page)
      // Thumbnails really show: loaded from the gateway, with their pixels.
      const widths = await page.locator('.result-video .thumb img').evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth))
      assert.ok(widths.length > 0 && widths.every((w) => w > 1), `thumbnails loaded: ${widths}`)
      await page.screenshot({ path: `${SCREENSHOTS}/results-${name}-${colorScheme}.png` })

      const links = await page.locator('.result a.go').evaluateAll((as) =>
        as.map((a) => ({ href: (a as HTMLAnchorElement).href, host: a.querySelector('.host')?.textContent, text: a.textContent })),
      )
      assert.ok(links.length > 0)
      const origins = new Set(site.fed.federation.instances.map((i) => i.origin))
      for (const l of links) {
        assert.ok(origins.has(new URL(l.href).origin), `${l.href} is on an indexed instance`)
        assert.equal(l.host, new URL(l.href).host, 'the highlighted host is where the link leads')
        assert.match(l.text ?? '', /Go and (watch|see) this (video|channel|playlist) on/)
      }
      const video = indexed.find((v) => v.name === 'Blender session 2')!
      assert.ok(links.some((l) => l.href === `http://${video.host}/videos/watch/${video.uuid}`), 'a known video links to its origin')
      await tab.audit()
    }
  }
})

test('with proxyImages off, pictures come from the instances, never with a Referer', async () => {
  const direct = await site.variant({ proxyImages: false })
  const tab = await site.openTab({}, { instancePictures: true })
  await tab.page.goto(direct + '/search?search=Blender')
  await picturesSettled(tab.page)
  assert.ok(tab.requests.some((r) => r.resourceType() === 'image' && !r.url().startsWith(direct)), 'pictures from the instances')
  await tab.audit()
})

test('a picture its instance cannot give leaves a neutral placeholder, never a broken-image icon', async () => {
  const direct = await site.variant({ proxyImages: false })
  for (const [origin, instancePictures] of [[base, false], [direct, true]] as const) {
    const tab = await site.openTab({}, { instancePictures })
    const { page } = tab
    await page.goto(`${origin}/search?search=${encodeURIComponent(BROKEN_THUMBNAIL_VIDEO)}`)
    await picturesSettled(page)
    const img = page.locator('.result-video', { hasText: BROKEN_THUMBNAIL_VIDEO }).locator('.thumb img')
    // Proxied: a transparent placeholder that loads; direct: the enhancement script hides the failed picture.
    const state = await img.evaluate((i: HTMLImageElement) => ({ width: i.naturalWidth, visibility: getComputedStyle(i).visibility, broken: i.classList.contains('is-broken') }))
    assert.ok(state.width === 1 || (state.broken && state.visibility === 'hidden'), `${origin}: ${JSON.stringify(state)}`)
    await tab.audit()
  }
})

// Each filter is applied through the form, starting from the bare search page (no words, so the count shown is
// exactly the number of indexed videos that pass the filter) and checked against the fake federation's content.
const now = Date.now()
const DAY = 86_400_000
const visible = (v: FakeVideo) => !v.nsfw
const check = (group: string, value: string) => async (p: Page) => {
  await p.locator(`#${group} > summary`).click()
  await p.check(`#${group} input[value="${value}"]`)
}
const FILTERS: { name: string; set: (page: Page) => Promise<void>; param: () => [string, string]; keep: (v: FakeVideo & { host: string }) => boolean }[] = [
  { name: 'published today', set: (p) => p.selectOption('#f-date', 'today').then(), param: () => ['publishedDateRange', 'today'], keep: (v) => visible(v) && Date.parse(v.publishedAt) >= now - DAY },
  { name: 'published this week', set: (p) => p.selectOption('#f-date', 'last_7days').then(), param: () => ['publishedDateRange', 'last_7days'], keep: (v) => visible(v) && Date.parse(v.publishedAt) >= now - 7 * DAY },
  { name: 'published this month', set: (p) => p.selectOption('#f-date', 'last_30days').then(), param: () => ['publishedDateRange', 'last_30days'], keep: (v) => visible(v) && Date.parse(v.publishedAt) >= now - 30 * DAY },
  { name: 'published this year', set: (p) => p.selectOption('#f-date', 'last_365days').then(), param: () => ['publishedDateRange', 'last_365days'], keep: (v) => visible(v) && Date.parse(v.publishedAt) >= now - 365 * DAY },
  {
    name: 'published between two dates',
    set: async (p) => {
      await p.selectOption('#f-date', 'custom')
      await p.fill('#f-date-from', '2023-01-05')
      await p.fill('#f-date-to', '2023-01-06')
    },
    param: () => ['startDate', '2023-01-05'],
    keep: (v) => visible(v) && v.publishedAt >= '2023-01-05' && v.publishedAt < '2023-01-07',
  },
  { name: 'short', set: (p) => p.selectOption('#f-duration', 'short').then(), param: () => ['durationRange', 'short'], keep: (v) => visible(v) && v.duration <= 240 },
  { name: 'medium', set: (p) => p.selectOption('#f-duration', 'medium').then(), param: () => ['durationRange', 'medium'], keep: (v) => visible(v) && v.duration >= 240 && v.duration <= 600 },
  { name: 'long', set: (p) => p.selectOption('#f-duration', 'long').then(), param: () => ['durationRange', 'long'], keep: (v) => visible(v) && v.duration >= 600 },
  {
    name: 'between two lengths',
    set: async (p) => {
      await p.selectOption('#f-duration', 'custom')
      await p.fill('#f-duration-min', '20')
      await p.fill('#f-duration-max', '30')
    },
    param: () => ['durationMinMinutes', '20'],
    keep: (v) => visible(v) && v.duration >= 1200 && v.duration <= 1800,
  },
  { name: 'category', set: check('f-category', '13'), param: () => ['categoryOneOf', '13'], keep: (v) => visible(v) && v.category === 13 },
  { name: 'licence', set: check('f-licence', '2'), param: () => ['licenceOneOf', '2'], keep: (v) => visible(v) && v.licence === 2 },
  { name: 'language', set: check('f-language', 'es'), param: () => ['languageOneOf', 'es'], keep: (v) => visible(v) && v.language === 'es' },
  { name: 'live only', set: (p) => p.selectOption('#f-live', 'true').then(), param: () => ['isLive', 'true'], keep: (v) => visible(v) && v.isLive },
  { name: 'no lives', set: (p) => p.selectOption('#f-live', 'false').then(), param: () => ['isLive', 'false'], keep: (v) => visible(v) && !v.isLive },
  { name: 'sensitive shown', set: (p) => p.selectOption('#f-nsfw', 'both').then(), param: () => ['nsfw', 'both'], keep: () => true },
  { name: 'sensitive only', set: (p) => p.selectOption('#f-nsfw', 'true').then(), param: () => ['nsfw', 'true'], keep: (v) => v.nsfw },
  { name: 'one of these tags', set: (p) => p.fill('#f-tags-one', 'linux, BLENDER'), param: () => ['tagsOneOf', 'linux, BLENDER'], keep: (v) => visible(v) && v.tags.some((t) => ['linux', 'blender'].includes(t.toLowerCase())) },
  { name: 'all of these tags', set: (p) => p.fill('#f-tags-all', 'linux, vieux-tube'), param: () => ['tagsAllOf', 'linux, vieux-tube'], keep: (v) => visible(v) && ['linux', 'vieux-tube'].every((t) => v.tags.includes(t)) },
  { name: 'host', set: (p) => p.fill('#f-host', site.fed.federation.instances[1]!.host), param: () => ['host', site.fed.federation.instances[1]!.host], keep: (v) => visible(v) && v.host === site.fed.federation.instances[1]!.host },
]

test('each filter, applied from the panel, keeps exactly the matching videos, lives in the URL and shows as a chip', async () => {
  const tab = await site.openTab()
  const { page } = tab
  for (const f of FILTERS) {
    await page.goto(base + '/search')
    const all = await shownTotal(page)
    assert.equal(all, indexed.filter(visible).length, 'the bare search lists every visible video')
    await page.locator('.filters > summary').click()
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
    assert.ok((await page.locator('.chips .chip').count()) >= 1, `${f.name}: shown as a chip`)
    // The filter survives a new search from the header.
    await page.fill('#search-input', 'a')
    const next = await navigate(page, () => page.press('#search-input', 'Enter'))
    assert.equal(next.searchParams.get(key) !== null, true, `${f.name}: kept by a new search (${next.search})`)
  }
  await tab.audit()
})

test('several categories at once, tags as chips, and the original-publication years, from the panel', async () => {
  const tab = await site.openTab()
  const { page } = tab
  await page.goto(base + '/search')
  await page.locator('.filters > summary').click()
  await check('f-category', '13')(page)
  await page.check('#f-category input[value="15"]')
  let url = await navigate(page, () => page.click('.filters-actions button[type=submit]'))
  assert.deepEqual(url.searchParams.getAll('categoryOneOf').sort(), ['13', '15'])
  assert.equal(await shownTotal(page), indexed.filter((v) => visible(v) && (v.category === 13 || v.category === 15)).length)
  assert.equal(await page.locator('.chips .chip').count(), 2, 'one chip per category')
  // A chip removes its own value only.
  url = await navigate(page, () => page.click('.chips .chip:has-text("Education")'))
  assert.deepEqual(url.searchParams.getAll('categoryOneOf'), ['15'])

  await page.goto(base + '/search?tagsOneOf=linux&tagsOneOf=jardinage')
  await page.locator('.filters > summary').click()
  assert.deepEqual(await page.locator('#f-tags-one').locator('xpath=..').locator('.tag-chip').allTextContents(), ['linux', 'jardinage'])
  await page.uncheck('.tag-chip:has-text("jardinage") input')
  await page.fill('#f-tags-one', 'vélo')
  url = await navigate(page, () => page.click('.filters-actions button[type=submit]'))
  assert.deepEqual(url.searchParams.getAll('tagsOneOf').sort(), ['linux', 'vélo'])

  await page.locator('.filters > summary').click()
  await page.fill('#f-original-from', '1990')
  await page.fill('#f-original-to', '1999')
  url = await navigate(page, () => page.click('.filters-actions button[type=submit]'))
  assert.equal(url.searchParams.get('originallyPublishedStartYear'), '1990')
  assert.match(await page.locator('.chips').textContent() ?? '', /Originally published \(year\): from 1990 to 1999/)
  await tab.audit()
})

test('sorts reorder the results, applied by their button only (WCAG 3.2.2)', async () => {
  const tab = await site.openTab()
  const { page } = tab
  const byDate = (names: string[]) => names.map((n) => Date.parse(indexed.find((v) => v.name === n)!.publishedAt))
  await page.goto(base + '/search?search=episode')
  const best = await trimmed(page)
  assert.ok(best.length > 0)
  // Changing the select (arrow keys included) submits nothing: the visitor decides when.
  const submitted = await page.evaluate(() => {
    let count = 0
    document.getElementById('search-form')!.addEventListener('submit', (e) => {
      count++
      e.preventDefault()
    })
    const select = document.getElementById('f-sort') as HTMLSelectElement
    select.value = '-publishedAt'
    select.dispatchEvent(new Event('input', { bubbles: true }))
    select.dispatchEvent(new Event('change', { bubbles: true }))
    return count
  })
  assert.equal(submitted, 0)
  await page.reload()

  const sortBy = async (value: string) => {
    await page.selectOption('#f-sort', value)
    return navigate(page, () => page.click('.sort button'))
  }
  let url = await sortBy('-publishedAt')
  assert.equal(url.searchParams.get('sort'), '-publishedAt')
  const newest = byDate(await trimmed(page))
  assert.deepEqual(newest, [...newest].sort((a, b) => b - a))
  url = await sortBy('publishedAt')
  const oldest = byDate(await trimmed(page))
  assert.deepEqual(oldest, [...oldest].sort((a, b) => a - b))
  assert.notDeepEqual(oldest, newest)
  url = await sortBy('-views')
  const views = (await page.locator('.result-video .views').evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? '')))
    .map((t) => Number(t.replace(/\D/g, '')))
  assert.ok(views.length > 1)
  assert.deepEqual(views, [...views].sort((a, b) => b - a))
  url = await sortBy('')
  assert.equal(url.searchParams.get('sort'), null, 'best match is the default, left out of the URL')
  assert.deepEqual(await trimmed(page), best)
  await tab.audit()
})

test('pagination walks through every result once, in order', async () => {
  const tab = await site.openTab()
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
  assert.match(await page.title(), new RegExp(`\\(page ${last - 1}\\)`), 'each page has its own title')
  await tab.audit()
})

test('the reset control clears every filter but keeps the words', async () => {
  const tab = await site.openTab()
  const { page } = tab
  await page.goto(base + '/search?search=pottery&durationRange=long&languageOneOf=fr&publishedDateRange=last_365days&nsfw=both')
  assert.equal(await page.locator('.filters .count-badge').textContent(), '4')
  await page.locator('.filters > summary').click()
  const url = await navigate(page, () => page.click('.filters-actions a'))
  assert.equal(url.search, '?search=pottery')
  assert.equal(await page.locator('.filters .count-badge').count(), 0)
  await tab.audit()
})

test('channels and playlists have their own tabs, and lead to their instance too', async () => {
  const tab = await site.openTab()
  const { page } = tab
  await page.goto(base + '/search?search=Bob')
  await navigate(page, () => page.click('.tabs a:has-text("Channels")'))
  assert.equal(new URL(page.url()).searchParams.get('resultType'), 'channels')
  const channel = page.locator('.result-channel').first()
  assert.equal((await channel.locator('.result-title').textContent())?.trim(), 'Bob builds things')
  const href = await channel.locator('a.go').getAttribute('href')
  assert.equal(new URL(href!).host, site.fed.federation.instances[1]!.host)
  await page.goto(base + '/search?search=Rust')
  await navigate(page, () => page.click('.tabs a:has-text("Playlists")'))
  assert.equal((await page.locator('.result-playlist .result-title').first().textContent())?.trim(), 'Rust from zero')
  await tab.audit()
})

test('the language switch needs no cookie and follows the visitor through searches and links', async () => {
  const tab = await site.openTab({ locale: 'en-GB' })
  const { page } = tab
  await page.goto(base + '/search?search=Blender')
  assert.equal(await page.getAttribute('html', 'lang'), 'en')
  await page.click('.lang-switch summary')
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
  // A browser in another supported language gets it without asking.
  for (const [locale, lang, button] of [['fr-FR', 'fr', 'Chercher'], ['de-AT', 'de', 'Suchen'], ['pt-BR', 'pt', 'Pesquisar']] as const) {
    const other = await site.openTab({ locale })
    await other.page.goto(base + '/')
    assert.equal(await other.page.getAttribute('html', 'lang'), lang)
    assert.equal((await other.page.locator('.search-button-text').textContent())?.trim(), button)
    await other.audit()
  }
  await tab.audit()
})

test('HTML from instances is shown as text, never run', async () => {
  const tab = await site.openTab()
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

test('without JavaScript, searching, filtering, custom ranges and sorting work the same', async () => {
  const tab = await site.openTab({ javaScriptEnabled: false })
  const { page } = tab
  await page.goto(base + '/')
  await page.fill('#search-input', 'pottery')
  await navigate(page, () => page.press('#search-input', 'Enter'))
  await page.locator('.filters > summary').click()
  await page.selectOption('#f-date', 'last_7days')
  await navigate(page, () => page.click('.filters-actions button[type=submit]'))
  assert.deepEqual((await trimmed(page)).sort(), ['Pottery wheel basics', HOSTILE_DESCRIPTION_VIDEO].sort())
  await page.selectOption('#f-sort', '-publishedAt')
  let url = await navigate(page, () => page.click('.sort button'))
  assert.equal(url.searchParams.get('sort'), '-publishedAt')
  assert.deepEqual(await trimmed(page), ['Pottery wheel basics', HOSTILE_DESCRIPTION_VIDEO])
  // The custom fields are always there without JavaScript, and apply when no preset is chosen.
  await page.locator('.filters > summary').click()
  await page.selectOption('#f-date', '')
  await page.fill('#f-duration-min', '20')
  url = await navigate(page, () => page.click('.filters-actions button[type=submit]'))
  assert.equal(url.searchParams.get('durationMinMinutes'), '20')
  assert.deepEqual(await trimmed(page), ['Pottery kiln firing', 'Histoire de la poterie'])
  await tab.audit()
})
