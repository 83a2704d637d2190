import type { Command } from 'commander'
import type { Server } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { serve } from '@hono/node-server'
import { openContext } from './context.ts'
import { createApp } from '../http/app.ts'
import { startScheduler } from '../crawler/scheduler.ts'
import { log } from '../log.ts'

// Stalled clients (slowloris) cannot hold a connection for long: the headers must arrive within 10 s and the
// whole request within 30 s; Node checks every second instead of every 30.
const SERVER_OPTIONS = { headersTimeout: 10_000, requestTimeout: 30_000, connectionsCheckingInterval: 1_000 }

/** How long requests in flight may take to finish once a shutdown began; then their connections are cut. */
export const SHUTDOWN_GRACE_MS = 2_000

/** After this the process exits whatever is still running; the database is crash-safe (WAL) in any case. */
export const SHUTDOWN_DEADLINE_MS = 20_000

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
      const server = serve({ fetch: app.fetch, hostname, port, serverOptions: SERVER_OPTIONS }, (info) => {
        log('info', `${config.site.name} listening on http://${hostname}:${info.port}`)
      }) as Server
      const scheduler = opts.crawl ? startScheduler({ db, config }) : null

      let stopping = false
      const shutdown = async (signal: string) => {
        if (stopping) {
          // The admin insists: the database needs no closing to stay consistent (WAL, one transaction per page).
          log('warn', `${signal} received again, exiting now`)
          process.exit(1)
        }
        stopping = true
        log('info', `${signal} received, shutting down`)
        const deadline = setTimeout(() => {
          log('error', `still shutting down after ${SHUTDOWN_DEADLINE_MS / 1000} s, exiting now`)
          process.exit(1)
        }, SHUTDOWN_DEADLINE_MS)
        deadline.unref()
        // Order matters: stop taking requests, let the crawl stop at a safe point, then close the database.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()))
        server.closeIdleConnections()
        await scheduler?.stop()
        // Requests in flight get a moment to finish; connections still busy after it (stalled clients) are cut.
        await Promise.race([closed, sleep(SHUTDOWN_GRACE_MS)])
        server.closeAllConnections()
        db.close()
        log('info', 'stopped')
        process.exit(0)
      }
      process.on('SIGTERM', () => void shutdown('SIGTERM'))
      process.on('SIGINT', () => void shutdown('SIGINT'))
    })
}
