import { Hono } from 'hono'
import type { AppDeps } from '../app.ts'

/** The HTML site, mounted at / (placeholder until the site lands). */
export function uiRoutes(deps: AppDeps): Hono {
  const app = new Hono()
  app.get('/', (c) => c.text(`${deps.config.site.name}: PeerTube search gateway`))
  return app
}
