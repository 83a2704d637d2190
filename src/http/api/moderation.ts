import type { Hono } from 'hono'
import type { AppDeps } from '../deps.ts'
import { publicBlocks } from '../../db/moderation.ts'
import { problem } from './problem.ts'

/**
 * Registers GET /v1/moderation/blocks on the API app (mounted at /api): the blocked hosts with their reasons and
 * the number of blocked accounts and channels, when moderation.publishBlocks is on; a 404 otherwise, so that a
 * gateway that does not publish its blocks does not even say how many there are. Register it before the API's
 * catch-all 404 route.
 */
export function moderationRoutes(app: Hono, { db, config }: AppDeps): void {
  app.get('/v1/moderation/blocks', (c) => {
    if (!config.moderation.publishBlocks) return problem(c, 404, 'This gateway does not publish its blocks.')
    return c.json(publicBlocks(db))
  })
}
