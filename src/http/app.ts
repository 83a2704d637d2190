import { Hono } from 'hono'
import { cors } from 'hono/cors'
import { bodyLimit } from 'hono/body-limit'
import type { Config } from '../config/config.ts'
import type { Db } from '../db/open.ts'
import { apiRoutes } from './api/routes.ts'
import { uiRoutes } from './ui/routes.ts'
import { rateLimit } from './rate-limit.ts'
import { securityHeaders } from './security-headers.ts'

/** What the HTTP layer needs; passed explicitly, never imported as globals. */
export type AppDeps = { db: Db; config: Config }

/** Builds the whole HTTP application: the JSON engine under /api and the HTML site everywhere else. */
export function createApp(deps: AppDeps): Hono {
  const { api, listen } = deps.config
  const app = new Hono()
  // Every response, JSON, HTML, static or error, carries the CSP and no-referrer headers.
  app.use('*', securityHeaders({ allowHttpImages: deps.config.crawl.useHttp }))
  // CORS first, so that even a 413 or 429 reaches the browser apps that query us cross-origin.
  app.use('/api/*', cors({ origin: '*', allowMethods: ['GET', 'POST', 'OPTIONS'], maxAge: 86400 }))
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: api.maxBodyBytes,
      onError: (c) =>
        c.json(
          { type: 'about:blank', title: 'Payload Too Large', status: 413, detail: `Request body larger than ${api.maxBodyBytes} bytes.`, error: 'Request body too large.' },
          413,
          { 'Content-Type': 'application/problem+json; charset=utf-8' },
        ),
    }),
  )
  app.use('/api/*', rateLimit({ perMinute: api.rateLimitPerMinute, burst: api.rateLimitBurst, trustProxy: listen.trustProxy }))
  app.route('/api', apiRoutes(deps))
  app.route('/', uiRoutes(deps))
  return app
}
