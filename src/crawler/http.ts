// The crawler's only way out to the network. Two layers:
//   * safeGet: one GET that cannot be turned against the gateway or its memory: private addresses refused (also
//     behind a DNS name, at connect time), no redirects followed, a deadline on the whole exchange, the body cut at a
//     byte cap and its large reads rationed across the process. The site's image proxy uses it too.
//   * createFetcher: the polite JSON client of a crawl, on top of safeGet: per-host pacing learnt from each answer
//     (pacing.ts), at most perHostConcurrency requests in flight per host, retries that wait out 429 and 5xx, and
//     bounded JSON parsing (bounded-json.ts).
import { Agent, request } from 'undici'
import type { IncomingHttpHeaders } from 'node:http'
import { isIP } from 'node:net'
import { setMaxListeners } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Config } from '../config/config.ts'
import { anyAddress, isPrivateAddress, privateAddressError, publicOnly, type Resolver } from './addresses.ts'
import { JsonRefused, parseBoundedJson } from './bounded-json.ts'
import { createPacer, retryAfter, type Pacer, type PacingState } from './pacing.ts'

export { retryAfter } from './pacing.ts'

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

/** What safeGet needs to know about where it may connect. */
export type AgentOptions = {
  timeoutMs: number
  allowPrivateAddresses: boolean
  /** Resolves host names instead of the system's DNS (tests: a name that points at a private address). */
  resolver?: Resolver
  /** Connections kept per origin. */
  connections?: number
}

/** An undici Agent whose connections refuse private addresses at connect time (unless allowed). */
export function safeAgent(options: AgentOptions): Agent {
  // A lookup that refuses private addresses is the only reliable check: it sees the address actually used.
  const lookup = !options.allowPrivateAddresses ? publicOnly(options.resolver) : options.resolver ? anyAddress(options.resolver) : undefined
  return new Agent({
    connect: lookup ? { timeout: options.timeoutMs, lookup } : { timeout: options.timeoutMs },
    connections: options.connections ?? 1,
    keepAliveTimeout: 10_000,
  })
}

/**
 * Rations the memory of bodies being read: each may hold `freeBytes` at once, and only `slots` of them more (up to
 * their own cap). A reader past `freeBytes` waits for a slot, which backpressures its socket; slot holders need
 * nothing else to finish, so readers cannot deadlock. Bodies in memory stay under
 * readers × freeBytes + slots × maxBytes, however many hosts a crawl talks to.
 */
export type BodyBudget = { freeBytes: number; take(signal: AbortSignal): Promise<() => void> }

/** A BodyBudget for one crawl (or one image proxy). */
export function createBodyBudget(freeBytes = 1024 * 1024, slots = 4): BodyBudget {
  let free = slots
  const waiting: (() => void)[] = []
  const give = () => {
    const next = waiting.shift()
    if (next) next()
    else free++
  }
  return {
    freeBytes,
    async take(signal) {
      if (free > 0) free--
      else {
        await new Promise<void>((resolve, reject) => {
          const go = () => {
            signal.removeEventListener('abort', cancel)
            resolve()
          }
          const cancel = () => {
            const i = waiting.indexOf(go)
            if (i >= 0) waiting.splice(i, 1)
            reject(signal.reason)
          }
          waiting.push(go)
          signal.addEventListener('abort', cancel, { once: true })
        })
      }
      let given = false
      return () => {
        if (!given) give()
        given = true
      }
    },
  }
}

/** Options of one safe GET. */
export type SafeGetOptions = {
  agent: Agent
  /** Deadline of the whole exchange, connection and body included. */
  timeoutMs: number
  /** Largest body read; a larger one fails with "response larger than …". */
  maxBytes: number
  userAgent: string
  accept: string
  allowPrivateAddresses: boolean
  /** Stops the request (the caller's shutdown); the error is then the signal's reason, not a FetchError. */
  signal?: AbortSignal
  bodies?: BodyBudget
}

/** An answer: the body is read only for 2xx (empty otherwise). */
export type SafeResponse = { status: number; headers: IncomingHttpHeaders; body: Buffer }

/**
 * One GET under every rule above; network trouble, a body over the cap and the deadline become FetchErrors.
 * Redirects are returned as they are (status and Location), never followed.
 */
export async function safeGet(target: string | URL, options: SafeGetOptions): Promise<SafeResponse> {
  const url = new URL(target)
  if (!options.allowPrivateAddresses) {
    // A literal IP never goes through the lookup, so it is checked here.
    const literal = url.hostname.replace(/^\[|\]$/g, '')
    if (isIP(literal) && isPrivateAddress(literal)) throw new FetchError(privateAddressError(literal).message)
  }
  const caller = options.signal ?? new AbortController().signal
  const deadline = new AbortController()
  const timer = setTimeout(() => deadline.abort(), options.timeoutMs)
  const signal = AbortSignal.any([caller, deadline.signal])
  try {
    return await getOnce(url, options, signal)
  } catch (err) {
    if (caller.aborted) throw caller.reason ?? err
    if (deadline.signal.aborted) throw new FetchError(`timed out after ${options.timeoutMs} ms`, null, true)
    throw err
  } finally {
    clearTimeout(timer)
  }
}

async function getOnce(url: URL, options: SafeGetOptions, signal: AbortSignal): Promise<SafeResponse> {
  let res: Awaited<ReturnType<typeof request>>
  try {
    res = await request(url, {
      method: 'GET',
      dispatcher: options.agent,
      signal,
      headers: { 'user-agent': options.userAgent, accept: options.accept },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    })
  } catch (err) {
    if (signal.aborted) throw err
    throw networkError(err)
  }
  const { statusCode, headers, body } = res
  if (statusCode < 200 || statusCode >= 300) {
    await body.dump().catch(() => {})
    return { status: statusCode, headers, body: Buffer.alloc(0) }
  }
  const max = options.maxBytes
  const tooLarge = () => new FetchError(`response larger than ${formatBytes(max)}`)
  // Destroying an unread body emits an abort error nobody else listens to: swallow it, we throw our own.
  const discard = () => body.on('error', () => {}).destroy()
  if (Number(headers['content-length']) > max) {
    discard()
    throw tooLarge()
  }
  const chunks: Buffer[] = []
  let size = 0
  let release: (() => void) | null = null
  try {
    for await (const chunk of body) {
      size += chunk.length
      // Stop reading as soon as the cap is passed: a hostile instance cannot make us buffer more than that.
      if (size > max) {
        discard()
        throw tooLarge()
      }
      if (options.bodies && !release && size > options.bodies.freeBytes) release = await options.bodies.take(signal)
      chunks.push(chunk)
    }
  } catch (err) {
    if (err instanceof FetchError || signal.aborted) throw err
    throw networkError(err)
  } finally {
    release?.()
  }
  return { status: statusCode, headers, body: Buffer.concat(chunks) }
}

/** The crawler's HTTP client for one crawl run (or one scheduler's lifetime). */
export type Fetcher = {
  /** GETs a URL and parses its JSON body, retrying transient failures; throws FetchError or CrawlAborted. */
  getJson(url: string): Promise<unknown>
  /** GETs a URL for its JSON body, as bytes for the caller to parse (listing pages: page-decoder.ts), as getJson. */
  getJsonBytes(url: string): Promise<Buffer>
  /** GETs a URL and returns its body as text (robots.txt), with the same politeness and limits; `retries` caps retries. */
  getText(url: string, options?: { retries?: number }): Promise<string>
  /** How many HTTP requests (retries included) went to a host so far. */
  requestCount(host: string): number
  /** What the pacer of a host knows (undefined before its first request). */
  pacing(host: string): PacingState | undefined
  /** The origin (scheme and host) Sepia uses for an instance host, per crawl.useHttp. */
  originOf(host: string): string
  close(): Promise<void>
}

type HostState = {
  pacer: Pacer
  active: number
  waiting: (() => void)[]
  requests: number
  /** Whether the host ever answered a request successfully (2xx) through this fetcher. */
  succeeded: boolean
  /** Since when every request to it failed (null while it answers). */
  failingSince: number | null
}

/** Options of createFetcher. */
export type FetcherOptions = {
  /** Resolves host names instead of the system's DNS (tests: a name that points at a private address). */
  resolver?: Resolver
}

/** Builds the fetcher of one crawl; `signal` stops every pending request and wait at once. */
export function createFetcher(crawl: Config['crawl'], signal: AbortSignal = new AbortController().signal, options: FetcherOptions = {}): Fetcher {
  // Every request and wait of every host listens to this one signal: with tens of hosts at once that is more than
  // Node's default of 10 listeners, as intended (each is removed when its wait ends).
  setMaxListeners(0, signal)
  const agent = safeAgent({ ...crawl, resolver: options.resolver, connections: crawl.perHostConcurrency })
  const bodies = createBodyBudget(Math.min(1024 * 1024, crawl.maxResponseBytes))
  const hosts = new Map<string, HostState>()
  const failAfterMs = crawl.failAfterMinutes * 60_000
  const stateOf = (host: string): HostState => {
    let s = hosts.get(host)
    if (!s) {
      const pacer = createPacer({ requestsPerSecond: crawl.perHostRequestsPerSecond, limitShare: crawl.rateLimitShare, maxPauseMs: crawl.maxRetryDelayMs })
      hosts.set(host, (s = { pacer, active: 0, waiting: [], requests: 0, succeeded: false, failingSince: null }))
    }
    return s
  }

  // Waits for a concurrency slot on the host, then until its pacer lets a request start.
  async function acquire(s: HostState): Promise<void> {
    if (s.active >= crawl.perHostConcurrency) await new Promise<void>((resolve) => s.waiting.push(resolve))
    else s.active++
    try {
      // Asked again after each wait: an answer meanwhile (a 429, a spent window) may have pushed the start back.
      for (let wait = s.pacer.delay(Date.now()); wait > 0; wait = s.pacer.delay(Date.now())) await pause(wait, signal)
      s.pacer.started(Date.now())
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
    let res: SafeResponse
    try {
      res = await safeGet(url, {
        agent,
        timeoutMs: crawl.timeoutMs,
        maxBytes: crawl.maxResponseBytes,
        userAgent: crawl.userAgent,
        accept: as === 'text' ? 'text/plain' : 'application/json',
        allowPrivateAddresses: crawl.allowPrivateAddresses,
        signal,
        bodies,
      })
    } catch (err) {
      if (signal.aborted) throw new CrawlAborted()
      if (err instanceof FetchError && err.retryable) s.pacer.failed(Date.now())
      else s.pacer.finished()
      throw err
    } finally {
      release(s)
    }
    s.pacer.answered(Date.now(), res.status, res.headers)
    const { status, headers } = res
    if (status >= 300) {
      if (status < 400) {
        // Redirects are not followed: PeerTube answers its API directly, and following one could lead to another
        // host (or a private address) that was never vetted. The admin sees where it pointed.
        const location = String(headers.location ?? '').slice(0, 200)
        throw new FetchError(`answered HTTP ${status} redirecting to ${location || 'nowhere'} (redirects are not followed)`, status)
      }
      const transient = status === 429 || status >= 500
      throw new FetchError(`answered HTTP ${status}`, status, transient, transient ? retryAfter(headers['retry-after']) : null)
    }
    if (as === 'text') return res.body.toString('utf8')
    if (as === 'bytes') return res.body
    try {
      return parseBoundedJson(res.body)
    } catch (err) {
      if (err instanceof JsonRefused) throw new FetchError(err.message)
      throw err
    }
  }

  async function get(target: string, as: BodyKind, maxRetries = crawl.maxRetries): Promise<unknown> {
    const url = new URL(target)
    const s = stateOf(url.host)
    for (let retry = 0; ; retry++) {
      if (signal.aborted) throw new CrawlAborted()
      try {
        const body = await attempt(url, s, as)
        s.succeeded = true
        s.failingSince = null
        return body
      } catch (err) {
        if (!(err instanceof FetchError) || !err.retryable) throw err
        const now = Date.now()
        s.failingSince ??= now
        // A host that answered before, or that says it is busy (429), is given the benefit of the doubt for
        // crawl.failAfterMinutes; one that never answered is given up on after maxRetries.
        const alive = s.succeeded || err.status === 429
        if (retry >= maxRetries && (!alive || now - s.failingSince >= failAfterMs)) throw err
        const backoff = crawl.retryBaseDelayMs * 2 ** Math.min(retry, 20)
        const delay = Math.min(err.retryAfterMs ?? backoff, crawl.maxRetryDelayMs)
        // A 429 or Retry-After is about the whole host: hold back every request to it, not just this one.
        s.pacer.pause(now + delay)
        await pause(delay, signal)
      }
    }
  }

  return {
    getJson: (target) => get(target, 'json'),
    getJsonBytes: async (target) => (await get(target, 'bytes')) as Buffer,
    getText: async (target, opts) => (await get(target, 'text', opts?.retries)) as string,
    requestCount: (host) => hosts.get(host)?.requests ?? 0,
    pacing: (host) => hosts.get(host)?.pacer.state(),
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

type BodyKind = 'json' | 'text' | 'bytes'

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

/** 8388608 → "8 MiB", for messages. */
export function formatBytes(n: number): string {
  if (n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`
  if (n % 1024 === 0) return `${n / 1024} KiB`
  return `${n} bytes`
}
