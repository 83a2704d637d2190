// The supervisor of `sepia serve`: the first process, which starts N HTTP workers sharing one listening socket
// (node:cluster hands each new connection to the next worker in turn) and exactly one crawler, restarts any that
// dies, and stops them all on SIGTERM or SIGINT. It does no request and no crawl itself, and holds no database
// connection: the command migrated the database before calling it.
import cluster, { type Worker } from 'node:cluster'
import { existsSync } from 'node:fs'
import type { Config } from '../config/config.ts'
import { log } from '../log.ts'
import { JOB_VARIABLE, ROLE_NAMES, SHUTDOWN_DEADLINE_MS, type Job, type Role, type SupervisorMessage, type WorkerMessage } from './protocol.ts'

/** What `sepia serve` asked for. */
export type ServeOptions = { config: Config; host: string; port: number; workers: number; crawl: boolean }

// A worker that dies sooner than this after starting is crash-looping: wait before the next start, doubling the
// wait each time (up to a minute), so a persistent fault costs a log line now and then, not a core.
const STABLE_MS = 10_000
const FIRST_RESTART_DELAY_MS = 500
const MAX_RESTART_DELAY_MS = 60_000

type Slot = { role: Role; worker: Worker; startedAt: number; ready: boolean; quickDeaths: number }

/** Starts the workers and supervises them until a signal stops everything; the process exits from here. */
export function startSupervisor({ config, host, port, workers, crawl }: ServeOptions): void {
  // Workers run this very executable even if the file on disk is replaced meanwhile (an upgrade before the
  // restart): a worker restarted then must not run newer code than the supervisor, which migrated the database.
  if (existsSync('/proc/self/exe')) process.execPath = '/proc/self/exe'
  const slots = new Set<Slot>()
  let listening = false
  let stopping = false

  const start = (role: Role, quickDeaths = 0) => {
    const job: Job = { role, config, host, port }
    const worker = cluster.fork({ [JOB_VARIABLE]: JSON.stringify(job) })
    const slot: Slot = { role, worker, startedAt: Date.now(), ready: false, quickDeaths }
    slots.add(slot)
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'ready') {
        slot.ready = true
        if (listening) log('info', `${ROLE_NAMES[role]} (pid ${worker.process.pid}) started`)
        if (role === 'http' && !listening && [...slots].every((s) => s.ready)) {
          listening = true
          log('info', `${config.site.name} listening on http://${host}:${m.port} (${workers} HTTP worker${workers > 1 ? 's' : ''}${crawl ? ', 1 crawler' : ''})`)
          // The crawler starts once visitors can search: it does not slow the HTTP workers' start.
          if (crawl) start('crawler')
        }
      } else if (m.type === 'fatal') {
        log('error', `${ROLE_NAMES[role]}: ${m.message}`)
        // Unable to start at all: there is no point in going on (the port is taken, the database unreadable...).
        if (!listening) fail()
      }
    })
    worker.on('exit', (code, signal) => {
      slots.delete(slot)
      if (stopping) {
        if (slots.size === 0) finish()
        return
      }
      const how = signal ? `killed by ${signal}` : `exited with code ${code}`
      if (!listening) {
        log('error', `${ROLE_NAMES[role]} ${how} while starting`)
        return fail()
      }
      const quick = Date.now() - slot.startedAt < STABLE_MS ? slot.quickDeaths + 1 : 0
      const delay = quick === 0 ? 0 : Math.min(MAX_RESTART_DELAY_MS, FIRST_RESTART_DELAY_MS * 2 ** (quick - 1))
      log('error', `${ROLE_NAMES[role]} (pid ${worker.process.pid}) ${how}; starting another${delay ? ` in ${delay / 1000} s` : ''}`)
      setTimeout(() => {
        if (!stopping) start(role, quick)
      }, delay)
    })
  }

  const killAll = () => {
    for (const s of slots) s.worker.process.kill('SIGKILL')
  }
  const finish = () => {
    log('info', 'stopped')
    process.exit(0)
  }
  const fail = () => {
    stopping = true
    killAll()
    process.exit(1)
  }

  const shutdown = (signal: string) => {
    if (stopping) {
      // The admin insists: the database needs no closing to stay consistent (WAL, one transaction per page).
      log('warn', `${signal} received again, exiting now`)
      killAll()
      process.exit(1)
    }
    stopping = true
    log('info', `${signal} received, shutting down`)
    setTimeout(() => {
      log('error', `still shutting down after ${SHUTDOWN_DEADLINE_MS / 1000} s, exiting now`)
      killAll()
      process.exit(1)
    }, SHUTDOWN_DEADLINE_MS).unref()
    if (slots.size === 0) return finish()
    const stop: SupervisorMessage = { type: 'stop' }
    for (const s of slots) if (s.worker.isConnected()) s.worker.send(stop)
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))

  for (let i = 0; i < workers; i++) start('http')
}
