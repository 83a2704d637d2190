import { Hono, type Context } from 'hono'
import type { AppDeps } from '../deps.ts'
import { publicInstanceQueries } from '../../db/instances-public.ts'
import { publicBlocks } from '../../db/moderation.ts'
import { indexCounts } from '../../search/counts.ts'
import { log } from '../../log.ts'
import { imageLinks } from '../../images/links.ts'
import { createImageProxy } from '../../images/proxy.ts'
import { aboutPage } from '../../../views/pages/about.ts'
import { errorPage } from '../../../views/pages/error.ts'
import { homePage } from '../../../views/pages/home.ts'
import { resultsPage } from '../../../views/pages/results.ts'
import { buildLanguages } from '../../../views/i18n/languages.ts'
import { buildAssets, findAsset, readCatalogues } from './assets.ts'
import { imageRoutes } from './images.ts'
import { pageContext, type SiteParts } from './context.ts'
import { boostLanguagesFrom } from './i18n.ts'
import { openSearchResponse, publicOrigin } from './opensearch.ts'
import { runPageSearch } from './run-search.ts'
import { readSearchState, resetState, stateParams } from './search-state.ts'
import { suggestions } from './suggestions.ts'

/** The HTML site, mounted at /: home, results, about, OpenSearch, suggestions, static files, and the 404 page. */
export function uiRoutes(deps: AppDeps): Hono {
  const { db, config } = deps
  const assets = buildAssets(config.site)
  const parts: SiteParts = {
    site: config.site,
    assets: assets.urls,
    languages: buildLanguages(readCatalogues()),
    images: imageLinks(config.site.proxyImages),
  }
  const instances = publicInstanceQueries(db)
  const context = (c: Context) => pageContext(c, parts, Date.now())

  const app = new Hono()
  // Security headers are set once for every response, in createApp (src/http/app.ts).
  app.use(async function pageHeaders(c, next) {
    await next()
    if (c.res.headers.get('Content-Type')?.startsWith('text/html')) {
      // The language follows Accept-Language unless ?lang= says otherwise, so shared caches must key on it.
      c.res.headers.set('Vary', 'Accept-Language')
      if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'private, no-cache')
    }
  })
  app.onError((err, c) => {
    // The path only, never the query string: it holds what the visitor searched for.
    log('error', `site: ${c.req.method} ${c.req.path}: ${err.stack ?? err}`)
    const ctx = context(c)
    return c.html(errorPage(ctx, { title: ctx.t('serverErrorTitle'), message: ctx.t('serverErrorMessage') }), 500, {
      'Content-Language': ctx.locale,
    })
  })

  app.get('/', (c) => {
    const ctx = context(c)
    return c.html(homePage(ctx, { counts: indexCounts(db) }), 200, { 'Content-Language': ctx.locale })
  })

  app.get('/search', (c) => {
    const ctx = context(c)
    const now = Date.now()
    const read = readSearchState(c.req.queries())
    const headers = { 'Content-Language': ctx.locale }
    const href = (s: typeof read.state) => (overrides: Parameters<typeof stateParams>[1]) =>
      ctx.link('/search', stateParams(s, overrides))
    if (Object.keys(read.invalid).length > 0) {
      const page = resultsPage(ctx, {
        state: read.state, sort: read.state.sort, invalid: read.invalid, videos: null, channels: null, playlists: null,
        browsing: false, lastPage: 0, pastEnd: false, relaxed: null,
        href: href(read.state), resetHref: ctx.link('/search', stateParams(resetState(read.state))),
      })
      return c.html(page, 400, headers)
    }
    const r = runPageSearch(db, read.state, now, boostLanguagesFrom(c.req.header('accept-language')))
    const page = resultsPage(ctx, {
      ...r, href: href(r.state), resetHref: ctx.link('/search', stateParams(resetState(r.state))),
    })
    // A page past the last one does not exist: 404, with a page that says so and links to the last one.
    return c.html(page, r.invalid ? 400 : r.pastEnd ? 404 : 200, headers)
  })

  app.get('/about', (c) => {
    const ctx = context(c)
    const page = aboutPage(ctx, {
      instances: instances.instances(),
      listUrl: config.instances.listUrl,
      siteUrl: publicOrigin(c, config.site).origin,
      instanceScheme: config.crawl.useHttp ? 'http' : 'https',
      blocks: config.moderation.publishBlocks ? publicBlocks(db) : null,
    })
    return c.html(page, 200, { 'Content-Language': ctx.locale })
  })

  app.get('/opensearch.xml', (c) => openSearchResponse(c, config.site, assets.urls.logo))

  app.get('/suggestions', (c) => {
    // Suggestions are the same for everyone, so any cache may keep them a little while.
    return c.body(JSON.stringify(suggestions(db, c.req.query('search') ?? '')), 200, {
      'Content-Type': 'application/x-suggestions+json; charset=utf-8',
      'Cache-Control': 'public, max-age=300',
    })
  })

  if (config.site.proxyImages) app.route('/images', imageRoutes(createImageProxy(deps)))

  app.get('/robots.txt', (c) =>
    c.text('User-agent: *\nDisallow: /search\nDisallow: /suggestions\nDisallow: /api/\nDisallow: /images/\n', 200, {
      'Cache-Control': 'public, max-age=86400',
    }),
  )

  app.get('/static/:file', (c) => {
    const found = findAsset(assets, c.req.param('file'))
    if (!found) return notFound(c)
    return c.body(found.asset.body, 200, {
      'Content-Type': found.asset.type,
      'Cache-Control': found.immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=3600',
    })
  })

  // Everything else is the site's 404, except under /api, whose errors the JSON API shapes itself.
  app.all('*', (c) => (c.req.path === '/api' || c.req.path.startsWith('/api/') ? c.notFound() : notFound(c)))

  function notFound(c: Context) {
    const ctx = context(c)
    return c.html(errorPage(ctx, { title: ctx.t('notFoundTitle'), message: ctx.t('notFoundMessage') }), 404, {
      'Content-Language': ctx.locale,
    })
  }

  return app
}
