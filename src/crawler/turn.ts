// What one turn on one instance shares between its phases (listing.ts, details.ts, orchestrated by crawl.ts): the
// result it fills in, its budget, and the errors that end it.
import type { Config } from '../config/config.ts'
import type { Db } from '../db/open.ts'
import { FetchError, type Fetcher } from './http.ts'
import { InvalidResponse, type PeertubeClient } from './peertube.ts'
import type { InstanceRef } from './items/common.ts'

/**
 * What one turn on an instance did. `status`: 'ok' (its listing pass is complete, or it had only details to do),
 * 'partial' (its budget ran out mid-listing: the pass continues at its next turn), 'failed', 'refused' (its
 * robots.txt disallows us; its content is then removed), 'stopped' (asked to stop, or blocked meanwhile).
 */
export type InstanceCrawlResult = {
  host: string
  status: 'ok' | 'partial' | 'failed' | 'refused' | 'stopped'
  /** Why it failed or stopped, in a few words ("listing videos: answered HTTP 503"). */
  error: string | null
  version: string | null
  /** Whether this turn listed (a listing pass, or part of one); false for a turn that only fetched details. */
  listed: boolean
  videos: { total: number; new: number; updated: number; removed: number }
  channels: { total: number; new: number; removed: number }
  playlists: { total: number; new: number; removed: number }
  /** Items that failed validation and were left out. */
  skipped: number
  /** Items whose uuid already belongs to another instance (indexed from it first), and those instances' hosts. */
  claimed: { count: number; hosts: string[] }
  /** Details fetched and stored, failed (kept with their listing version, tried again later), still to fetch. */
  details: { fetched: number; failed: number; pending: number }
  requests: number
  durationMs: number
}

/** A result with nothing done yet: the start of every turn's tally, and the answer for a host never crawled. */
export function emptyResult(host: string, status: InstanceCrawlResult['status'] = 'ok', error: string | null = null): InstanceCrawlResult {
  return {
    host,
    status,
    error,
    version: null,
    listed: false,
    videos: { total: 0, new: 0, updated: 0, removed: 0 },
    channels: { total: 0, new: 0, removed: 0 },
    playlists: { total: 0, new: 0, removed: 0 },
    skipped: 0,
    claimed: { count: 0, hosts: [] },
    details: { fetched: 0, failed: 0, pending: 0 },
    requests: 0,
    durationMs: 0,
  }
}

/** Where a turn stands, for progress output (`sepia crawl`'s bar) and the benchmark. */
export type TurnProgress = { host: string; requests: number } & (
  /** Videos listed by the pass so far, and how many the instance says it has. */
  | { phase: 'listing'; listed: number; listingTotal: number | null }
  /** Details fetched (or failed) in this turn, out of those pending at its start. */
  | { phase: 'details'; done: number; total: number }
)

/** The time and requests a turn may spend before it yields; what is left continues at the instance's next turn. */
export type Budget = { spent(): boolean; requests(): number; elapsedMs(): number }

/** A budget of crawl.budgetSeconds and crawl.budgetRequests, counting this host's requests from now. */
export function turnBudget(config: Config, fetcher: Fetcher, host: string, started = Date.now()): Budget {
  const before = fetcher.requestCount(host)
  const requests = () => fetcher.requestCount(host) - before
  const elapsedMs = () => Date.now() - started
  return {
    requests,
    elapsedMs,
    spent: () => requests() >= config.crawl.budgetRequests || elapsedMs() >= config.crawl.budgetSeconds * 1000,
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

/** Everything a phase of a turn needs. */
export type Turn = {
  db: Db
  config: Config
  fetcher: Fetcher
  client: PeertubeClient
  inst: InstanceRef
  instanceId: number
  version: string
  result: InstanceCrawlResult
  budget: Budget
  /** True when the details phase should end at its next safe point to let listings run (the scheduler's call). */
  shouldYield: () => boolean
  progress: (p: DistributiveOmit<TurnProgress, 'host' | 'requests'>) => void
}

/** A failure of the instance (HTTP or shape), with the step it happened in: "listing videos: answered HTTP 503". */
export class StepError extends Error {
  override name = 'StepError'
}

/** Runs one request step, turning the instance's failures into a StepError that names the step. */
export async function step<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (err) {
    if (err instanceof FetchError || err instanceof InvalidResponse) throw new StepError(`${what}: ${err.message}`)
    throw err
  }
}

/** The instance was deleted by another process (`sepia instances block` or `remove`) while we crawled it. */
export class InstanceGone extends Error {
  override name = 'InstanceGone'
}

/**
 * The database could not be written (disk full, I/O error, read-only file): not the instance's fault, and no
 * other instance would fare better, so the whole run stops and is recorded as failed.
 */
export class StorageError extends Error {
  override name = 'StorageError'
  /** The turn it ended, with what was committed before it. */
  result?: InstanceCrawlResult
}

const STORAGE_CODES = /^SQLITE_(FULL|IOERR|READONLY|CORRUPT|NOTADB|CANTOPEN|NOLFS)/

/** Whether an error is SQLite failing to write (rather than a bug or a constraint). */
export function isStorageFailure(err: unknown): boolean {
  return err instanceof StorageError || STORAGE_CODES.test(String((err as { code?: unknown } | null)?.code ?? ''))
}
