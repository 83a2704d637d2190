import { Hono } from 'hono'
import { cors } from 'hono/cors'
import { bodyLimit } from 'hono/body-limit'
import type { AppDeps } from './deps.ts'
import { apiRoutes } from './api/routes.ts'
import { problem } from './api/problem.ts'
import { uiRoutes } from './ui/routes.ts'
import { fairShare } from './fair-share.ts'
import { securityHeaders, securityOptions } from './security-headers.ts'
import { compression } from './compress.ts'

/** Builds the whole HTTP application: the JSON engine under /api and the HTML site everywhere else. */
export function createApp(deps: AppDeps): Hono {
  const { api, listen } = deps.config
  const app = new Hono()
  // Outermost, so that it compresses every response as finally built, errors included.
  app.use('*', compression())
  // Every response, JSON, HTML, static or error, carries the CSP and no-referrer headers.
  app.use('*', securityHeaders(securityOptions(deps.config)))
  // CORS first, so that even a 413 or 429 reaches the browser apps that query us cross-origin.
  app.use('/api/*', cors({ origin: '*', allowMethods: ['GET', 'POST', 'OPTIONS'], maxAge: 86400 }))
  app.use(
    '/api/*',
    bodyLimit({ maxSize: api.maxBodyBytes, onError: (c) => problem(c, 413, `Request body larger than ${api.maxBodyBytes} bytes.`) }),
  )
  // One queue for every route that searches, API and site alike, so that flooding one of them cannot starve the
  // other; static files and pages that do not search skip it.
  const share = fairShare({ perClientConcurrency: api.perClientConcurrency, perClientQueue: api.perClientQueue, trustProxy: listen.trustProxy })
  for (const path of ['/api/*', '/search', '/suggestions']) app.use(path, share)
  app.route('/api', apiRoutes(deps))
  app.route('/', uiRoutes(deps))
  return app
}
