// The crawler's only way out to the network: a polite JSON fetcher. Politeness is per host (PeerTube limits each
// client IP to 50 API requests per 10 s by default): requests to one host are spaced by
// 1 / perHostRequestsPerSecond and at most perHostConcurrency run at once, whatever the caller does.
import { Agent, request } from 'undici'
import { isIP } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Config } from '../config/config.ts'
import { anyAddress, isPrivateAddress, privateAddressError, publicOnly, type Resolver } from './addresses.ts'

/** A failed request, with a short reason fit for an admin ("answered HTTP 503", "timed out after 15000 ms"). */
export class FetchError extends Error {
  override name = 'FetchError'
  constructor(
    message: string,
    /** The HTTP status when the server answered, else null. */
    readonly status: number | null = null,
    /** Whether trying again later could succeed (429, 5xx, network trouble). */
    readonly retryable = false,
    /** The delay the server asked for with Retry-After, in ms. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message)
  }
}

/** Thrown when the crawl was asked to stop (the signal given to the fetcher fired). */
export class CrawlAborted extends Error {
  override name = 'CrawlAborted'
  constructor() {
    super('crawl stopped')
  }
}

/** The crawler's HTTP client for one crawl run. */
export type Fetcher = {
  /** GETs a URL and parses its JSON body, retrying transient failures; throws FetchError or CrawlAborted. */
  getJson(url: string): Promise<unknown>
  /** GETs a URL and returns its body as text (robots.txt), with the same politeness and limits; `retries` caps retries. */
  getText(url: string, options?: { retries?: number }): Promise<string>
  /** How many HTTP requests (retries included) went to a host so far. */
  requestCount(host: string): number
  /** The origin (scheme and host) Sepia uses for an instance host, per crawl.useHttp. */
  originOf(host: string): string
  close(): Promise<void>
}

type HostState = { active: number; waiting: (() => void)[]; nextStart: number; requests: number }

/** Options of createFetcher. */
export type FetcherOptions = {
  /** Resolves host names instead of the system's DNS (tests: a name that points at a private address). */
  resolver?: Resolver
}

/** Builds the fetcher for one crawl; `signal` stops every pending request and wait at once. */
export function createFetcher(crawl: Config['crawl'], signal: AbortSignal = new AbortController().signal, options: FetcherOptions = {}): Fetcher {
  // A lookup that refuses private addresses is the only reliable check: it sees the address actually used.
  const lookup = !crawl.allowPrivateAddresses ? publicOnly(options.resolver) : options.resolver ? anyAddress(options.resolver) : undefined
  const agent = new Agent({
    connect: lookup ? { timeout: crawl.timeoutMs, lookup } : { timeout: crawl.timeoutMs },
    connections: crawl.perHostConcurrency,
    keepAliveTimeout: 10_000,
  })
  const hosts = new Map<string, HostState>()
  const interval = 1000 / crawl.perHostRequestsPerSecond
  const stateOf = (host: string): HostState => {
    let s = hosts.get(host)
    if (!s) hosts.set(host, (s = { active: 0, waiting: [], nextStart: 0, requests: 0 }))
    return s
  }

  // Waits for a concurrency slot on the host, then for the host's next pacing slot.
  async function acquire(s: HostState): Promise<void> {
    if (s.active >= crawl.perHostConcurrency) await new Promise<void>((resolve) => s.waiting.push(resolve))
    else s.active++
    const start = Math.max(Date.now(), s.nextStart)
    s.nextStart = start + interval
    try {
      await pause(start - Date.now(), signal)
    } catch (err) {
      release(s)
      throw err
    }
  }
  function release(s: HostState): void {
    const next = s.waiting.shift()
    // The slot passes straight to the next waiter, so `active` stays as it is.
    if (next) next()
    else s.active--
  }

  async function attempt(url: URL, s: HostState, as: BodyKind): Promise<unknown> {
    await acquire(s)
    s.requests++
    const deadline = new AbortController()
    const timer = setTimeout(() => deadline.abort(), crawl.timeoutMs)
    try {
      return await getOnce(url, agent, crawl, AbortSignal.any([signal, deadline.signal]), as)
    } catch (err) {
      if (signal.aborted) throw new CrawlAborted()
      if (deadline.signal.aborted) throw new FetchError(`timed out after ${crawl.timeoutMs} ms`, null, true)
      throw err
    } finally {
      clearTimeout(timer)
      release(s)
    }
  }

  async function get(target: string, as: BodyKind, maxRetries = crawl.maxRetries): Promise<unknown> {
    const url = new URL(target)
    if (!crawl.allowPrivateAddresses) {
      // A literal IP never goes through the lookup, so it is checked here.
      const literal = url.hostname.replace(/^\[|\]$/g, '')
      if (isIP(literal) && isPrivateAddress(literal)) throw new FetchError(privateAddressError(literal).message)
    }
    const s = stateOf(url.host)
    for (let retry = 0; ; retry++) {
      if (signal.aborted) throw new CrawlAborted()
      try {
        return await attempt(url, s, as)
      } catch (err) {
        if (!(err instanceof FetchError) || !err.retryable || retry >= maxRetries) throw err
        const backoff = crawl.retryBaseDelayMs * 2 ** retry
        const delay = Math.min(err.retryAfterMs ?? backoff, crawl.maxRetryDelayMs)
        // A 429 or Retry-After is about the whole host: hold back every request to it, not just this one.
        s.nextStart = Math.max(s.nextStart, Date.now() + delay)
        await pause(delay, signal)
      }
    }
  }

  return {
    getJson: (target) => get(target, 'json'),
    getText: async (target, options) => (await get(target, 'text', options?.retries)) as string,
    requestCount: (host) => hosts.get(host)?.requests ?? 0,
    originOf: (host) => `${crawl.useHttp ? 'http' : 'https'}://${host}`,
    close: () => agent.close(),
  }
}

async function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) throw new CrawlAborted()
  if (ms <= 0) return
  try {
    await sleep(ms, undefined, { signal })
  } catch {
    throw new CrawlAborted()
  }
}

type BodyKind = 'json' | 'text'

// One GET: status handling, a streamed size cap, JSON parsing; network errors become FetchErrors.
async function getOnce(url: URL, agent: Agent, crawl: Config['crawl'], signal: AbortSignal, as: BodyKind): Promise<unknown> {
  let res: Awaited<ReturnType<typeof request>>
  try {
    res = await request(url, {
      method: 'GET',
      dispatcher: agent,
      signal,
      headers: { 'user-agent': crawl.userAgent, accept: as === 'json' ? 'application/json' : 'text/plain' },
      headersTimeout: crawl.timeoutMs,
      bodyTimeout: crawl.timeoutMs,
    })
  } catch (err) {
    if (signal.aborted) throw err
    throw networkError(err)
  }
  const { statusCode, headers, body } = res
  if (statusCode >= 300) {
    // Redirects are not followed: PeerTube answers its API directly, and following one could lead to another
    // host (or a private address) that was never vetted. The admin sees where it pointed.
    await body.dump().catch(() => {})
    if (statusCode < 400) {
      const location = String(headers.location ?? '').slice(0, 200)
      throw new FetchError(`answered HTTP ${statusCode} redirecting to ${location || 'nowhere'} (redirects are not followed)`, statusCode)
    }
    const transient = statusCode === 429 || statusCode >= 500
    throw new FetchError(`answered HTTP ${statusCode}`, statusCode, transient, transient ? retryAfter(headers['retry-after']) : null)
  }
  const max = crawl.maxResponseBytes
  const tooLarge = () => new FetchError(`response larger than ${formatBytes(max)}`)
  // Destroying an unread body emits an abort error nobody else listens to: swallow it, we throw our own.
  const discard = () => body.on('error', () => {}).destroy()
  if (Number(headers['content-length']) > max) {
    discard()
    throw tooLarge()
  }
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of body) {
      size += chunk.length
      // Stop reading as soon as the cap is passed: a hostile instance cannot make us buffer more than that.
      if (size > max) {
        discard()
        throw tooLarge()
      }
      chunks.push(chunk)
    }
  } catch (err) {
    if (err instanceof FetchError || signal.aborted) throw err
    throw networkError(err)
  }
  if (as === 'text') return Buffer.concat(chunks).toString('utf8')
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw new FetchError('answered something that is not JSON')
  }
}

function networkError(err: unknown): FetchError {
  const code = (err as NodeJS.ErrnoException).code ?? ''
  const message = (err as Error).message ?? String(err)
  if (code === 'ESEPIAPRIVATE') return new FetchError(message)
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENODATA') return new FetchError(`DNS lookup failed: ${code}`)
  if (code === 'ECONNREFUSED') return new FetchError('connection refused', null, true)
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') {
    return new FetchError('connection closed unexpectedly', null, true)
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') return new FetchError('timed out connecting', null, true)
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return new FetchError('timed out waiting for the server', null, true)
  if (code === 'ENETUNREACH' || code === 'EHOSTUNREACH') return new FetchError(`network unreachable (${code})`, null, true)
  if (/CERT|SSL|TLS/i.test(code)) return new FetchError(`TLS error: ${code}`)
  return new FetchError(code ? `network error: ${code}` : `network error: ${message.slice(0, 200)}`, null, true)
}

/** Reads Retry-After (seconds, or an HTTP date) as milliseconds from now; null when absent or unreadable. */
export function retryAfter(value: string | string[] | undefined): number | null {
  const v = Array.isArray(value) ? value[0] : value
  if (!v) return null
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000
  const date = Date.parse(v)
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now())
}

/** 8388608 → "8 MiB", for messages. */
export function formatBytes(n: number): string {
  if (n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`
  if (n % 1024 === 0) return `${n / 1024} KiB`
  return `${n} bytes`
}
