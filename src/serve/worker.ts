// One worker process of `sepia serve`: an HTTP worker (the site and the API on the shared listening socket) or the
// crawler (the crawl schedule). Each opens its own connection to the one WAL database: readers never wait for the
// crawler's writes, and a block made with the CLI is in the file that every worker reads at its next query.
import type { Server } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { serve } from '@hono/node-server'
import { createApp } from '../http/app.ts'
import { boundCrawlerHeap } from '../crawler/heap.ts'
import { startScheduler } from '../crawler/scheduler.ts'
import { openDb } from '../db/open.ts'
import { JOB_VARIABLE, ROLE_NAMES, SHUTDOWN_GRACE_MS, type Job, type SupervisorMessage, type WorkerMessage } from './protocol.ts'

// Stalled clients (slowloris) cannot hold a connection for long: the headers must arrive within 10 s and the
// whole request within 30 s; Node checks every second instead of every 30.
const SERVER_OPTIONS = { headersTimeout: 10_000, requestTimeout: 30_000, connectionsCheckingInterval: 1_000 }

/** Runs this process as the worker its supervisor started it to be. */
export function runWorker(): void {
  const job = JSON.parse(process.env[JOB_VARIABLE] ?? 'null') as Job | null
  if (!job) throw new Error(`a sepia serve worker needs ${JOB_VARIABLE}`)
  // What `ps` and `top` show: which worker this is, instead of the supervisor's command line.
  process.title = `sepia serve: ${ROLE_NAMES[job.role]}`
  let stop: () => Promise<void>
  try {
    stop = job.role === 'http' ? httpWorker(job) : crawlerWorker(job)
  } catch (err) {
    // The supervisor logs why this worker could not start (the database or its directory unreadable...).
    return fatal((err as Error).message)
  }
  onStop(stop)
}

function httpWorker({ config, host, port }: Job): () => Promise<void> {
  const db = openDb(config.database.path)
  const app = createApp({ db, config })
  const server = serve({ fetch: app.fetch, hostname: host, port, serverOptions: SERVER_OPTIONS }, (info) => {
    tell({ type: 'ready', port: info.port })
  }) as Server
  server.once('error', (err: NodeJS.ErrnoException) => fatal(`cannot listen on ${host}:${port}: ${err.code ?? err.message}`))
  return async () => {
    // Stop taking connections (the supervisor hands new ones to no one), then let requests in flight finish.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()))
    server.closeIdleConnections()
    // Connections still busy after the grace period (stalled clients) are cut.
    await Promise.race([closed, sleep(SHUTDOWN_GRACE_MS)])
    server.closeAllConnections()
    db.close()
  }
}

function crawlerWorker({ config }: Job): () => Promise<void> {
  boundCrawlerHeap()
  const db = openDb(config.database.path, { bulkWrites: true })
  const scheduler = startScheduler({ db, config })
  tell({ type: 'ready' })
  return async () => {
    // The running crawl stops at its next safe point and is recorded as interrupted, to be resumed at next start.
    await scheduler.stop()
    db.close()
  }
}

// A worker stops when the supervisor says so, or on a signal sent to it directly (Ctrl-C reaches the whole process
// group, systemd may signal every process of the service): whichever comes first starts the one graceful stop. A
// second signal means the admin insists: exit at once, which the database survives (WAL, one transaction per page).
function onStop(stop: () => Promise<void>): void {
  let stopping = false
  const begin = () => {
    if (stopping) return
    stopping = true
    void stop().then(() => process.exit(0))
  }
  process.on('message', (m: SupervisorMessage) => {
    if (m?.type === 'stop') begin()
  })
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(1)
      begin()
    })
  }
}

function tell(message: WorkerMessage): void {
  process.send?.(message)
}

// Exits once the supervisor has the reason (a message sent just before exiting could be lost).
function fatal(message: string): void {
  const reason: WorkerMessage = { type: 'fatal', message }
  if (process.send) process.send(reason, () => process.exit(1))
  else process.exit(1)
}

