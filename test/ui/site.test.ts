// The HTML site in process (app.request), on a crawled fake federation: pages, headers, languages, escaping.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { Hono } from 'hono'
import { createApp } from '../../src/http/app.ts'
import { openDb } from '../../src/db/open.ts'
import type { CrawledFederation } from '../helpers/crawled.ts'
import { HOSTILE_DESCRIPTION_VIDEO, siteFederation } from './fixture.ts'

let fed: CrawledFederation
let app: Hono

before(async () => {
  fed = await siteFederation()
  app = createApp({ db: fed.db, config: fed.config })
})
after(() => fed.close())

const get = (path: string, headers: Record<string, string> = {}) => app.request(path, { headers })

function assertSafeHeaders(res: Response, path: string) {
  const csp = res.headers.get('Content-Security-Policy') ?? ''
  assert.match(csp, /default-src 'none'/, path)
  assert.match(csp, /script-src 'self'(;|$)/, path)
  assert.match(csp, /style-src 'self'(;|$)/, path)
  assert.match(csp, /img-src 'self' data:(;|$)/, `${path}: pictures come from the gateway only (site.proxyImages)`)
  assert.match(csp, /frame-ancestors 'none'/, path)
  assert.equal(res.headers.get('Referrer-Policy'), 'no-referrer', path)
  assert.equal(res.headers.get('X-Content-Type-Options'), 'nosniff', path)
  assert.equal(res.headers.get('X-Frame-Options'), 'DENY', path)
  assert.ok(res.headers.get('Permissions-Policy'), path)
  assert.equal(res.headers.get('Set-Cookie'), null, `${path} sets no cookie`)
}

test('every page and file of the site carries the security headers and no cookie', async () => {
  const home = await (await get('/')).text()
  const css = /<link rel="stylesheet" href="([^"]+)"/.exec(home)![1]!
  const js = /<script src="([^"]+)" defer><\/script>/.exec(home)![1]!
  for (const path of ['/', '/search?search=blender', '/search?page=0', '/about', '/opensearch.xml', '/suggestions?search=bl', css, js, '/robots.txt', '/nowhere']) {
    assertSafeHeaders(await get(path), path)
  }
})

test('the home page says what this is and how much is indexed, and links the OpenSearch description', async () => {
  const res = await get('/')
  assert.equal(res.status, 200)
  assert.match(res.headers.get('Content-Type') ?? '', /^text\/html/)
  const page = await res.text()
  const videos = fed.federation.instances.reduce((n, i) => n + i.expected().videos.length, 0)
  assert.ok(page.includes(`${videos.toLocaleString('en')} videos from 3 PeerTube sites`), 'counts')
  assert.ok(page.includes(`<link rel="search" type="application/opensearchdescription+xml" title="${fed.config.site.name}" href="/opensearch.xml">`))
  assert.match(page, /<form class="search-form search-form-large" id="search-form" role="search" action="\/search" method="get">/)
  assert.match(page, /<a class="skip-link" href="#main">/)
  assert.match(page, /<main id="main"/)
  // No inline script or style: the CSP forbids them, so none may be relied on.
  assert.ok(!/<script(?![^>]*\bsrc=)/.test(page) && !/<style/.test(page) && !/\sstyle="/.test(page) && !/\son\w+="/.test(page))
})

test('results lead straight to the origin instance, naming its host', async () => {
  const res = await get('/search?search=Blender&resultType=videos')
  assert.equal(res.status, 200)
  const page = await res.text()
  const middle = fed.federation.instances[1]!
  const expected = middle.expected().videos.filter((v) => v.name.startsWith('Blender') && !v.nsfw)
  assert.ok(expected.length > 0)
  for (const v of expected) {
    const url = `${middle.origin}/videos/watch/${v.uuid}`
    const go = new RegExp(`<a class="go" href="${url.replace(/[.?]/g, '\\$&')}" rel="noreferrer">\\s*<span>Go and watch this video on <strong class="host">${middle.host}</strong>`)
    assert.match(page, go, v.name)
  }
})

test('hostile titles and descriptions from an instance are shown as text', async () => {
  const script = await (await get('/search?search=owned')).text()
  assert.ok(script.includes('&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt; &quot;quotes&quot;'))
  assert.ok(!script.includes('<script>alert'))
  const img = await (await get(`/search?search=${encodeURIComponent(HOSTILE_DESCRIPTION_VIDEO)}`)).text()
  assert.ok(img.includes('&lt;img src=x onerror=alert(1)&gt;'))
  assert.ok(!img.includes('<img src=x'))
})

test('a search text is echoed escaped, in the heading, the box and the links', async () => {
  const page = await (await get('/search?search=%22%3E%3Cscript%3Ex()%3C%2Fscript%3E')).text()
  assert.ok(!page.includes('"><script>x()'))
  assert.ok(page.includes('value="&quot;&gt;&lt;script&gt;x()&lt;/script&gt;"'))
})

test('sensitive videos are hidden unless asked for', async () => {
  const nsfw = fed.federation.instances[2]!.expected().videos.find((v) => v.nsfw)!
  const q = encodeURIComponent(nsfw.name)
  assert.ok(!(await (await get(`/search?search=${q}`)).text()).includes(`>${nsfw.name}</a>`))
  const shown = await (await get(`/search?search=${q}&nsfw=both`)).text()
  assert.ok(shown.includes(`>${nsfw.name}</a>`))
  assert.ok(shown.includes('result result-video is-sensitive'))
})

test('the interface language follows Accept-Language, and ?lang= overrides it in every link', async () => {
  const fr = await get('/', { 'Accept-Language': 'fr-FR,fr;q=0.9,en;q=0.5' })
  assert.equal(fr.headers.get('Content-Language'), 'fr')
  assert.match(fr.headers.get('Vary') ?? '', /Accept-Language/)
  const frPage = await fr.text()
  assert.match(frPage, /<html lang="fr"/)
  assert.ok(frPage.includes('Chercher'))
  assert.ok(frPage.includes('<a href="/?lang=en" hreflang="en" lang="en">English</a>'))

  const en = await (await get('/search?search=Blender&lang=en', { 'Accept-Language': 'fr' })).text()
  assert.match(en, /<html lang="en"/)
  assert.ok(en.includes('Results for “Blender”'))
  assert.ok(en.includes('<input type="hidden" name="lang" value="en">'), 'the search form keeps the language')
  assert.ok(en.includes('href="/about?lang=en"'), 'links keep the language')
  assert.ok(en.includes('href="/search?search=Blender&amp;lang=fr" hreflang="fr"'), 'the switch keeps the search')
})

test('category and language labels are translated', async () => {
  const page = await (await get('/search?search=Woodworking&resultType=videos&lang=fr')).text()
  assert.ok(page.includes('<span>Anglais</span>'))
  assert.ok(page.includes('<span>Tutoriels</span>'), 'category 12 (How To) in French')
})

test('bad parameters get a clear 400 page that says which ones', async () => {
  for (const [path, name] of [
    ['/search?search=x&page=0', 'page'],
    ['/search?search=x&durationMin=long', 'durationMin'],
    ['/search?search=x&startDate=yesterday', 'startDate'],
    ['/search?search=x&resultType=people', 'resultType'],
  ] as const) {
    const res = await get(path)
    assert.equal(res.status, 400, path)
    const page = await res.text()
    assert.ok(page.includes('This search address is not quite right'), path)
    assert.ok(page.includes(`<code>${name}</code>`), path)
  }
})

test('unknown pages get a 404 page in the visitor language; /api keeps its own', async () => {
  const res = await get('/no/such/page', { 'Accept-Language': 'fr' })
  assert.equal(res.status, 404)
  const page = await res.text()
  assert.ok(page.includes('Page introuvable'))
  assert.ok(page.includes('<form class="search-form search-form-compact"'))
  const api = await get('/api/v1/nothing-here')
  assert.equal(api.status, 404)
  assert.ok(!(await api.text()).includes('<html'))
})

test('the about page lists every indexed instance with its status, the list and the source', async () => {
  const page = await (await get('/about')).text()
  for (const i of fed.federation.instances) {
    assert.ok(page.includes(`<a href="${i.origin}/" rel="noreferrer">${i.host}</a>`), i.host)
  }
  assert.equal((page.match(/class="status status-ok"/g) ?? []).length, 3)
  assert.ok(page.includes(`href="${fed.config.instances.listUrl}"`))
  assert.ok(page.includes(`href="${fed.config.site.sourceUrl}"`))
})

test('OpenSearch description and suggestions', async () => {
  const res = await get('/opensearch.xml')
  assert.match(res.headers.get('Content-Type') ?? '', /^application\/opensearchdescription\+xml/)
  const xml = await res.text()
  assert.ok(xml.includes(`<ShortName>${fed.config.site.name}</ShortName>`))
  assert.ok(xml.includes('template="http://localhost/search?search={searchTerms}"'))
  assert.ok(xml.includes('type="application/x-suggestions+json"'))

  const s = await get('/suggestions?search=Blender')
  assert.match(s.headers.get('Content-Type') ?? '', /^application\/x-suggestions\+json/)
  const [query, list] = (await s.json()) as [string, string[]]
  assert.equal(query, 'Blender')
  assert.ok(list.length > 0 && list.every((name) => /blender/i.test(name)), JSON.stringify(list))
  assert.deepEqual(await (await get('/suggestions?search=')).json(), ['', []])
})

test('static files are served with long cache lifetimes under hashed names', async () => {
  const home = await (await get('/')).text()
  const css = /<link rel="stylesheet" href="(\/static\/style\.[0-9a-f]{12}\.css)"/.exec(home)![1]!
  const res = await get(css)
  assert.equal(res.status, 200)
  assert.match(res.headers.get('Content-Type') ?? '', /^text\/css/)
  assert.match(res.headers.get('Cache-Control') ?? '', /immutable/)
  assert.ok((await res.text()).startsWith(`:root{--accent:${fed.config.site.themeColor}}`))
  assert.equal((await get('/static/nothing.css')).status, 404)
  assert.equal((await get('/static/..%2Fsepia.config.json')).status, 404)
})

test('the bare search page lists the latest videos, newest first', async () => {
  const page = await (await get('/search')).text()
  assert.ok(page.includes('Latest videos'))
  const dates = [...page.matchAll(/<time datetime="([^"]+)"/g)].map((m) => Date.parse(m[1]!))
  assert.ok(dates.length === 20)
  assert.deepEqual(dates, [...dates].sort((a, b) => b - a))
})

test('a failure of ours gets a plain 500 page, and the log keeps the path but never the query', async () => {
  const broken = openDb(fed.config.database.path)
  const brokenApp = createApp({ db: broken, config: fed.config })
  broken.close()
  const logged: string[] = []
  const write = process.stderr.write
  process.stderr.write = ((chunk: string) => logged.push(String(chunk)) > 0) as typeof process.stderr.write
  let res: Response
  try {
    res = await brokenApp.request('/search?search=secret-words', { headers: { 'Accept-Language': 'fr' } })
  } finally {
    process.stderr.write = write
  }
  assert.equal(res.status, 500)
  const page = await res.text()
  assert.ok(page.includes('Un problème est survenu'))
  assert.ok(!page.includes('database'), 'no internal detail on the page')
  assertSafeHeaders(res, '500 page')
  assert.ok(logged.some((l) => l.includes('GET /search')))
  assert.ok(!logged.some((l) => l.includes('secret-words')))
})
