// The site in a real browser (Debian's Chromium through playwright-core), served over real HTTP on 127.0.0.1 from
// a crawled fake federation. Every tab records its requests and incidents; audit() then checks that nothing went
// wrong: no cookie, no script dialog, no page error, no CSP violation, and no request leaving the gateway's
// origin (pictures are proxied), or, with site.proxyImages off, none but pictures from the instances, sent
// without Referer.
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { serve, type ServerType } from '@hono/node-server'
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page, type Request } from 'playwright-core'
import type { Config } from '../../src/config/config.ts'
import { createApp } from '../../src/http/app.ts'
import type { CrawledFederation } from '../helpers/crawled.ts'
import { siteFederation } from './fixture.ts'

/** Where screenshots go, for people to look at (not compared). */
export const SCREENSHOTS = 'test-output/screenshots'
export const DESKTOP = { width: 1280, height: 800 }
export const PHONE = { width: 390, height: 844 }

/** A browser tab whose every request and incident is recorded, for audit() once the test is done. */
export type Tab = { page: Page; context: BrowserContext; requests: Request[]; incidents: string[]; audit(): Promise<void> }

/** A running site and a browser to visit it. */
export type BrowserSite = {
  fed: CrawledFederation
  base: string
  browser: Browser
  /** A tab; `instancePictures` lets pictures come from the instances (a variant with proxyImages off). */
  openTab(options?: BrowserContextOptions, audit?: { instancePictures?: boolean }): Promise<Tab>
  /** Serves the same index with other site settings on another port (closed with the site). */
  variant(site: Partial<Config['site']>): Promise<string>
  close(): Promise<void>
}

/** Crawls the site federation, serves it, and launches Chromium. */
export async function startBrowserSite(): Promise<BrowserSite> {
  const fed = await siteFederation()
  const servers: ServerType[] = []
  const listen = async (config: Config) => {
    const server = serve({ fetch: createApp({ db: fed.db, config }).fetch, hostname: '127.0.0.1', port: 0 })
    servers.push(server)
    await new Promise<void>((resolve) => server.once('listening', () => resolve()))
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  }
  const base = await listen(fed.config)
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  mkdirSync(SCREENSHOTS, { recursive: true })
  const instanceOrigins = new Set(fed.federation.instances.map((i) => i.origin))

  async function openTab(options: BrowserContextOptions = {}, rules: { instancePictures?: boolean } = {}): Promise<Tab> {
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
    // Failed loads are judged from the responses below, where it is known what failed.
    page.on('console', (m) => {
      if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) incidents.push(`console: ${m.text()}`)
    })
    page.on('response', (r) => {
      if (r.headers()['set-cookie']) incidents.push(`cookie set by ${r.url()}`)
      // Error pages are visited on purpose; a proxied picture its instance could not give is a 502 placeholder.
      const expected = r.request().resourceType() === 'document' || (r.status() === 502 && new URL(r.url()).pathname.startsWith('/images/'))
      if (r.status() >= 400 && !expected) incidents.push(`HTTP ${r.status()} for ${r.url()}`)
    })
    return {
      page, context, requests, incidents,
      async audit() {
        assert.deepEqual(incidents, [])
        assert.deepEqual(await context.cookies(), [], 'no cookie')
        const gateway = new URL(requests.find((r) => r.resourceType() === 'document')?.url() ?? page.url()).origin
        for (const r of requests) {
          const url = new URL(r.url())
          if (url.origin === gateway || url.protocol === 'data:') continue
          // With pictures proxied, nothing at all leaves the gateway's origin until the visitor follows a result.
          assert.ok(rules.instancePictures, `a request left the gateway's origin: ${r.url()}`)
          assert.equal(r.resourceType(), 'image', `only pictures load from elsewhere: ${r.url()}`)
          assert.ok(instanceOrigins.has(url.origin), `pictures come from the instances: ${r.url()}`)
          assert.match(url.pathname, /^\/(lazy-)?static\/(thumbnails|previews|avatars)\//, r.url())
          // Chromium reports a suppressed Referer as absent or as "" depending on timing; neither reaches the wire.
          assert.ok(!(await r.allHeaders()).referer, `no Referer sent to ${url.origin}`)
        }
        await context.close()
      },
    }
  }

  return {
    fed,
    base,
    browser,
    openTab,
    variant: (site) => listen({ ...fed.config, site: { ...fed.config.site, ...site } }),
    close: async () => {
      await browser.close()
      await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))))
      await fed.close()
    },
  }
}

/** Runs `action` and waits for the navigation it causes to load; resolves with the new URL. */
export async function navigate(page: Page, action: () => Promise<unknown>): Promise<URL> {
  const before = page.url()
  await Promise.all([page.waitForURL((u) => u.href !== before), action()])
  await page.waitForLoadState('load')
  return new URL(page.url())
}
