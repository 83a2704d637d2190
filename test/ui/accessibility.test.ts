// Accessibility in a real browser: axe-core (WCAG 2.2 A and AA, plus best practices) on every page type, desktop
// and phone, light and dark; what keyboard-only and screen-reader visitors get; and the phone layout at 390×844.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'
import { DESKTOP, PHONE, SCREENSHOTS, startBrowserSite, type BrowserSite } from './browser-harness.ts'

let site: BrowserSite
let base: string
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

before(async () => {
  site = await startBrowserSite()
  base = site.base
})
after(() => site?.close())

type Violation = { id: string; impact: string; help: string; nodes: { target: string[] }[] }

/** Runs axe on the page as it is; returns its violations in a readable form. */
async function axe(page: Page): Promise<string[]> {
  const { violations, passes } = (await page.evaluate(async () => {
    const w = window as unknown as { axe: { run(ctx: Document, options: object): Promise<{ violations: Violation[]; passes: unknown[] }> } }
    const r = await w.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } })
    return { violations: r.violations, passes: r.passes.length }
  })) as { violations: Violation[]; passes: number }
  // A run that checked nothing would pass too: make sure the rules ran (contrast, names, landmarks…).
  assert.ok(passes > 15, `axe ran ${passes} rules`)
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`)
}

// Every kind of page the site has, with what makes it that kind; `open` unfolds what a visitor would unfold.
const PAGES: { name: string; path: string; status?: number; open?: string[] }[] = [
  { name: 'home', path: '/' },
  { name: 'home in French', path: '/?lang=fr' },
  { name: 'results, all kinds', path: '/search?search=cuisine' },
  { name: 'results, videos, filters open', path: '/search?search=pottery&resultType=videos&languageOneOf=en&tagsOneOf=pottery', open: ['.filters > summary', '#f-language > summary', '.lang-switch summary'] },
  { name: 'results, channels', path: '/search?search=bob&resultType=channels' },
  { name: 'results, playlists', path: '/search?search=rust&resultType=playlists' },
  { name: 'latest videos, page 2', path: '/search?page=2' },
  { name: 'sensitive videos', path: '/search?nsfw=true' },
  { name: 'live videos', path: '/search?isLive=true' },
  { name: 'no match', path: '/search?search=zzyzx' },
  { name: 'filters left nothing', path: '/search?search=pottery&languageOneOf=de&durationRange=long' },
  { name: 'past the last page', path: '/search?search=Blender&page=9', status: 404 },
  { name: 'invalid parameters', path: '/search?search=x&page=0&startDate=hier', status: 400 },
  { name: 'about', path: '/about' },
  { name: 'not found', path: '/nowhere', status: 404 },
]

test('axe-core finds no violation on any page type, desktop and phone, light and dark', async () => {
  const failures: string[] = []
  for (const [viewport, device] of [[DESKTOP, 'desktop'], [PHONE, 'phone']] as const) {
    for (const colorScheme of ['light', 'dark'] as const) {
      const tab = await site.openTab({ viewport, colorScheme })
      // Injected by the browser itself, outside the page's CSP, which rightly forbids any inline script.
      await tab.context.addInitScript({ content: AXE })
      for (const p of PAGES) {
        const res = await tab.page.goto(base + p.path)
        assert.equal(res?.status(), p.status ?? 200, p.path)
        for (const selector of p.open ?? []) await tab.page.click(selector)
        for (const v of await axe(tab.page)) failures.push(`${p.name} (${device}, ${colorScheme}): ${v}`)
      }
      await tab.audit()
    }
  }
  assert.deepEqual(failures, [])
})

test('keyboard: no autofocus; the skip link and the language switch come before the search box', async () => {
  const tab = await site.openTab()
  const { page } = tab
  await page.goto(base + '/')
  assert.equal(await page.evaluate(() => document.activeElement === document.body), true, 'nothing is focused on arrival')
  const order: string[] = []
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('Tab')
    order.push(await page.evaluate(() => {
      const el = document.activeElement as HTMLElement
      return el.id || el.className || el.tagName.toLowerCase()
    }))
  }
  // (The home page shows the site's name in its hero, so the header's copy is hidden there.)
  assert.deepEqual(order, ['skip-link', 'summary', 'search-input', 'search-button'])
  for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+Tab')
  assert.equal(await page.evaluate(() => document.activeElement?.className), 'skip-link')
  await page.keyboard.press('Enter')
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'main', 'the skip link lands on the content')
  await tab.audit()
})

test('keyboard: focus is always visible, on the search box too', async () => {
  const tab = await site.openTab()
  const { page } = tab
  await page.goto(base + '/search?search=Blender')
  await page.focus('#search-input')
  const outline = await page.locator('#search-form').evaluate((f) => {
    const s = getComputedStyle(f)
    return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) }
  })
  assert.notEqual(outline.style, 'none')
  assert.ok(outline.width >= 2, `outline ${outline.width}px`)
  await tab.audit()
})

test('keyboard: changing the sort with the arrow keys submits nothing until the Sort button', async () => {
  const tab = await site.openTab()
  const { page } = tab
  await page.goto(base + '/search?search=episode')
  await page.evaluate(() => {
    const w = window as unknown as { submits: number }
    w.submits = 0
    document.getElementById('search-form')!.addEventListener('submit', (e) => {
      w.submits++
      e.preventDefault()
    })
  })
  await page.focus('#f-sort')
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('ArrowDown')
  assert.equal(await page.evaluate(() => (window as unknown as { submits: number }).submits), 0)
  assert.equal(new URL(page.url()).searchParams.get('sort'), null)
  await page.keyboard.press('Tab')
  assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Sort', 'the button comes next')
  await tab.audit()
})

test('keyboard and touch reveal a sensitive thumbnail; a passing mouse does not', async () => {
  const blurred = (page: Page) => page.locator('.is-sensitive .thumb img').first().evaluate((i) => getComputedStyle(i).filter.includes('blur'))
  for (const hasTouch of [false, true]) {
    const tab = await site.openTab({ hasTouch })
    const { page } = tab
    await page.goto(base + '/search?nsfw=true')
    assert.equal(await blurred(page), true)
    if (hasTouch) {
      await page.locator('.is-sensitive .reveal').first().tap()
    } else {
      await page.locator('.is-sensitive .thumb').first().hover()
      assert.equal(await blurred(page), true, 'hovering reveals nothing')
      await page.locator('.is-sensitive .reveal-input').first().focus()
      await page.keyboard.press('Space')
    }
    assert.equal(await blurred(page), false, hasTouch ? 'a tap reveals it' : 'Space on the control reveals it')
    await tab.audit()
  }
})

test('screen readers get the duration, live state and video count, facts apart, and a heading outline without gaps', async () => {
  const tab = await site.openTab()
  const { page } = tab
  await page.goto(base + '/search?search=cuisine')
  const card = page.locator('.result-video').first()
  const tree = await card.ariaSnapshot()
  assert.match(tree, /Duration \d+:\d\d,/, tree)
  assert.match(tree, / · \d[\d,.]* views · /, 'real separators between facts')
  assert.doesNotMatch(tree, /img/, 'the thumbnail link, a duplicate of the title link, is hidden')
  const facts = await card.locator('.result-facts').innerText()
  assert.match(facts, /\d{4} · [\d,.]+ views · /, 'copy-paste keeps the separators too')
  assert.match(await page.locator('.result-playlist').first().ariaSnapshot(), /12 videos,/)
  await page.goto(base + '/search?isLive=true')
  assert.match(await page.locator('.result-video').first().ariaSnapshot(), /Live,/)

  for (const path of ['/search?search=cuisine', '/search?search=Blender', '/search?search=Bob&resultType=channels', '/', '/about']) {
    await page.goto(base + path)
    const levels = await page.locator('h1, h2, h3, h4').evaluateAll((hs) => hs.map((h) => Number(h.tagName[1])))
    assert.equal(levels[0], 1, `${path}: one h1 first`)
    levels.forEach((level, i) => assert.ok(i === 0 || level <= levels[i - 1]! + 1, `${path}: h${levels[i - 1]} then h${level}`))
  }
  await tab.audit()
})

test('text from instances carries dir=auto, and each title the language of its video', async () => {
  const tab = await site.openTab()
  const { page } = tab
  await page.goto(base + '/search?search=poterie')
  const title = page.locator('.result-video .result-title').first()
  assert.equal(await title.getAttribute('dir'), 'auto')
  assert.equal(await title.getAttribute('lang'), 'fr')
  assert.equal(await page.locator('.result-video .result-description').first().getAttribute('lang'), 'fr')
  await tab.audit()
})

test('phone, 390×844: the first result shows on the first screen, nothing is cut, nothing overflows', async () => {
  const tab = await site.openTab({ viewport: PHONE, hasTouch: true, isMobile: true })
  const { page } = tab
  await page.goto(base + '/search?search=Blender')
  const first = (await page.locator('.result-video').first().boundingBox())!
  assert.ok(first.y < PHONE.height * 0.4, `the first result starts ${Math.round((first.y / PHONE.height) * 100)} % down`)
  await page.goto(base + '/search?search=cuisine')
  const firstVideo = (await page.locator('.result-video .result-title').first().boundingBox())!
  assert.ok(firstVideo.y + firstVideo.height < PHONE.height, `with channels and playlists above, the first video title is at ${Math.round(firstVideo.y)} px`)
  await page.screenshot({ path: `${SCREENSHOTS}/all-tab-phone.png` })

  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  assert.ok(overflow <= 0, `the page is ${overflow} px too wide`)
  const tabs = await page.locator('.tabs a').evaluateAll((as) => as.map((a) => a.getBoundingClientRect().right))
  assert.ok(tabs.every((right) => right <= PHONE.width), `every tab is visible: ${tabs}`)

  await page.click('.filters > summary')
  // Each select is wide enough for its longest choice (the sensitive-content one was cut).
  const cut = await page.locator('.filters select').evaluateAll((selects) => {
    const ctx = document.createElement('canvas').getContext('2d')!
    return selects.flatMap((s) => {
      const select = s as HTMLSelectElement
      const style = getComputedStyle(select)
      ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`
      const widest = Math.max(...[...select.options].map((o) => ctx.measureText(o.text).width))
      const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20
      return widest > room ? [`${select.id}: ${Math.round(widest)} > ${Math.round(room)}`] : []
    })
  })
  assert.deepEqual(cut, [])
  // The "↗" of every "go and watch" link sits beside its text, never on a line of its own, in the main list and
  // in the narrow cards of channels and playlists.
  const arrowsBeside = (p: Page) => p.locator('a.go').evaluateAll((links) =>
    links.filter((a) => a.getClientRects().length > 0).map((a) => {
      const text = a.firstElementChild!.getBoundingClientRect()
      const arrow = a.querySelector('.go-arrow')!.getBoundingClientRect()
      return arrow.left >= text.right - 1 && arrow.top < text.bottom
    }),
  )
  await page.goto(base + '/search?search=pottery')
  const onPhone = await arrowsBeside(page)
  assert.ok(onPhone.length > 0 && onPhone.every(Boolean))
  const desktop = await site.openTab()
  await desktop.page.goto(base + '/search?search=cuisine')
  const onDesktop = await arrowsBeside(desktop.page)
  assert.ok(onDesktop.length > 2 && onDesktop.every(Boolean), JSON.stringify(onDesktop))
  await desktop.audit()
  await tab.audit()
})

test('filter fields stay aligned when a label wraps', async () => {
  const tab = await site.openTab({ viewport: { width: 900, height: 900 }, locale: 'de-DE' })
  const { page } = tab
  await page.goto(base + '/search?search=pottery&lang=de')
  await page.click('.filters > summary')
  const rows = await page.locator('.filters-grid > .field:not(.choices), .filters-grid > .field-group').evaluateAll((items) => {
    let wrapped = false
    // Grid rows never overlap: items whose boxes overlap vertically are in the same row.
    const boxes = items.map((item) => {
      const control = [...item.querySelectorAll('select, input')].filter((c) => c.getClientRects().length > 0).at(-1)!
      const label = item.querySelector('label, legend')!
      if (label.getBoundingClientRect().height > 30) wrapped = true
      const box = item.getBoundingClientRect()
      return { top: box.top, bottom: box.bottom, control: Math.round(control.getBoundingClientRect().bottom) }
    }).sort((a, b) => a.top - b.top)
    const rows: { bottom: number; controls: number[] }[] = []
    for (const b of boxes) {
      const row = rows.at(-1)
      if (row && b.top < row.bottom) {
        row.controls.push(b.control)
        row.bottom = Math.max(row.bottom, b.bottom)
      } else {
        rows.push({ bottom: b.bottom, controls: [b.control] })
      }
    }
    return { wrapped, rows: rows.map((r) => r.controls) }
  })
  assert.ok(rows.wrapped, 'a German label wraps at this width')
  for (const bottoms of rows.rows) assert.equal(new Set(bottoms).size, 1, `controls of a row end together: ${bottoms}`)
  await tab.audit()
})

test('the home page stays light: few requests, a few kilobytes on the wire', async () => {
  const tab = await site.openTab()
  const { page } = tab
  await page.goto(base + '/')
  await page.waitForLoadState('networkidle')
  const sizes = await Promise.all(tab.requests.map(async (r) => (await r.sizes()).responseBodySize))
  const bytes = sizes.reduce((a, b) => a + b, 0)
  assert.ok(tab.requests.length <= 5, `${tab.requests.length} requests: ${tab.requests.map((r) => r.url()).join(', ')}`)
  assert.ok(bytes < 12 * 1024, `${bytes} bytes on the wire`)
  console.log(`home page: ${tab.requests.length} requests, ${bytes} bytes on the wire`)
  await tab.audit()
})
