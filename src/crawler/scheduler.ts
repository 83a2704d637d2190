import type { Config } from '../config/config.ts'
import type { Db } from '../db/open.ts'

/** Starts the crawl schedule (stub until the crawler lands). */
export function startScheduler(_deps: { db: Db; config: Config }): { stop(): Promise<void> } {
  return { stop: async () => {} }
}
