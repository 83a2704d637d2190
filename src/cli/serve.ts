import type { Command } from 'commander'
import { serve } from '@hono/node-server'
import { openContext } from './context.ts'
import { createApp } from '../http/app.ts'
import { startScheduler } from '../crawler/scheduler.ts'
import { log } from '../log.ts'

/** `sepia serve`: the HTTP server and the crawl scheduler in one process; the only place that wires both. */
export function serveCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the search API and site, and crawl on the configured schedule')
    .option('--host <host>', 'listen on this address instead of listen.host')
    .option('--port <port>', 'listen on this port instead of listen.port', (v) => Number(v))
    .option('--no-crawl', 'do not run the crawl scheduler (serve the existing index only)')
    .action((opts: { host?: string; port?: number; crawl: boolean }, cmd: Command) => {
      const { config, db } = openContext(cmd)
      const app = createApp({ db, config })
      const hostname = opts.host ?? config.listen.host
      const port = opts.port ?? config.listen.port
      const server = serve({ fetch: app.fetch, hostname, port }, (info) => {
        log('info', `${config.site.name} listening on http://${hostname}:${info.port}`)
      })
      const scheduler = opts.crawl ? startScheduler({ db, config }) : null

      let stopping = false
      const shutdown = async (signal: string) => {
        if (stopping) return
        stopping = true
        log('info', `${signal} received, shutting down`)
        // Order matters: stop taking requests, let the crawl stop at a safe point, then close the database.
        await new Promise<void>((resolve) => server.close(() => resolve()))
        await scheduler?.stop()
        db.close()
        log('info', 'stopped')
        process.exit(0)
      }
      process.on('SIGTERM', () => void shutdown('SIGTERM'))
      process.on('SIGINT', () => void shutdown('SIGINT'))
    })
}
