import { Hono } from 'hono'
import type { AppDeps } from '../app.ts'

/** The JSON API, mounted at /api (placeholder until the search API lands). */
export function apiRoutes(_deps: AppDeps): Hono {
  return new Hono()
}
