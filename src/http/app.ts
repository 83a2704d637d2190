import { Hono } from 'hono'
import type { Config } from '../config/config.ts'
import type { Db } from '../db/open.ts'
import { apiRoutes } from './api/routes.ts'
import { uiRoutes } from './ui/routes.ts'

/** What the HTTP layer needs; passed explicitly, never imported as globals. */
export type AppDeps = { db: Db; config: Config }

/** Builds the whole HTTP application: the JSON engine under /api and the HTML site everywhere else. */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono()
  app.route('/api', apiRoutes(deps))
  app.route('/', uiRoutes(deps))
  return app
}
