// What the supervisor of `sepia serve` and its worker processes tell each other. A worker learns its job from one
// environment variable set by the supervisor (so a restarted worker runs with the configuration the supervisor
// read at start, even if the file changed since), and the two exchange a few messages over cluster's channel.
import type { Config } from '../config/config.ts'

/** The environment variable carrying a worker's job. */
export const JOB_VARIABLE = 'SEPIA_WORKER_JOB'

/** An HTTP worker serves the site and the API; the crawler runs the crawl schedule. */
export type Role = 'http' | 'crawler'

/** How logs and `ps` name a worker of this role. */
export const ROLE_NAMES: Record<Role, string> = { http: 'HTTP worker', crawler: 'crawler' }

/** What one worker is to do. */
export type Job = { role: Role; config: Config; host: string; port: number }

/** From a worker: started (an HTTP worker listens on `port`), or could not start, and why. */
export type WorkerMessage = { type: 'ready'; port?: number } | { type: 'fatal'; message: string }

/** From the supervisor: stop gracefully. */
export type SupervisorMessage = { type: 'stop' }

/** How long requests in flight may take to finish once a shutdown began; then their connections are cut. */
export const SHUTDOWN_GRACE_MS = 2_000

/** After this the supervisor kills whatever still runs; the database is crash-safe (WAL) in any case. */
export const SHUTDOWN_DEADLINE_MS = 20_000
