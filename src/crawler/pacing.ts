// How fast Sepia may send requests to one instance, learnt from its answers. PeerTube announces its limit on every
// API answer (X-RateLimit-Limit / -Remaining / -Reset, 50 requests per 10 s per client by default) and answers 429
// with Retry-After beyond it. The pacer:
//   * never lets a request start when the current window's remaining requests (minus those in flight) are used up,
//     so a host never receives more than it advertised, whoever else spends its budget;
//   * paces at most at `limitShare` of the advertised rate (well under it by default), or at `requestsPerSecond`
//     for a host that advertises nothing;
//   * halves its pace on 429, 5xx and network failures and pauses the host for as long as Retry-After asks
//     (multiplicative decrease), then adds a twentieth of its ceiling per success (additive increase).
// Pure state and arithmetic with the time passed in: the fetcher (http.ts) does the waiting.
import type { IncomingHttpHeaders } from 'node:http'

/** The pacing settings (from crawl.*). */
export type PacingOptions = {
  /** Starting pace in requests per second, and the ceiling for hosts that advertise no limit. */
  requestsPerSecond: number
  /** Share of an advertised limit used at most, in (0, 1]. */
  limitShare: number
  /** Longest pause honoured from Retry-After, in ms. */
  maxPauseMs: number
}

/** What a pacer knows, for progress output, `sepia stats` and tests. */
export type PacingState = {
  /** Current pace, requests per second. */
  rate: number
  /** The most it will pace at: a share of the advertised limit, or requestsPerSecond. */
  ceiling: number
  /** The advertised limit per window, if any, and the window's length as measured. */
  limit: number | null
  windowMs: number | null
  /** What the host said is left in the current window, and when that window ends (local clock). */
  remaining: number | null
  resetAt: number | null
  pausedUntil: number
  inFlight: number
}

/** The per-host pacer. */
export type Pacer = {
  /** Milliseconds to wait before the next request may start; 0 when it may start now. */
  delay(now: number): number
  /** A request starts now (after delay() said 0). */
  started(now: number): void
  /** The host answered (any status): reads its rate-limit headers and adapts the pace. */
  answered(now: number, status: number, headers: IncomingHttpHeaders): void
  /** A request got no answer (network error, timeout): slows down. */
  failed(now: number): void
  /** A request ended without telling anything about the host (refused before sending, body over the cap). */
  finished(): void
  /** Holds every request to the host until `until` (a retry delay of our own). */
  pause(until: number): void
  state(): PacingState
}

// Reset times are whole seconds (rounded up) against a Date header in whole seconds (rounded down): the same
// window seen from two answers can move by up to this much.
const ROUNDING_MS = 2000
// Slowest pace AIMD goes down to (one request per 20 s), unless the ceiling itself is lower.
const FLOOR_RATE = 0.05
// PeerTube's default window, assumed when a host sends a limit but no reset time.
const DEFAULT_WINDOW_MS = 10_000

/** A pacer for one host. */
export function createPacer(options: PacingOptions): Pacer {
  const s: PacingState = {
    rate: options.requestsPerSecond,
    ceiling: options.requestsPerSecond,
    limit: null,
    windowMs: null,
    remaining: null,
    resetAt: null,
    pausedUntil: 0,
    inFlight: 0,
  }
  let lastStart = -Infinity

  const floor = () => Math.min(FLOOR_RATE, s.ceiling)
  const slowDown = () => {
    s.rate = Math.max(floor(), s.rate / 2)
  }

  return {
    delay(now) {
      let at = Math.max(lastStart + 1000 / s.rate, s.pausedUntil)
      if (s.remaining !== null && s.resetAt !== null && now < s.resetAt) {
        const left = s.remaining - s.inFlight
        // The window's budget is spent: nothing before it resets. Otherwise spread what is left over the time left,
        // so that a budget others have eaten into lasts until the reset.
        if (left <= 0) at = Math.max(at, s.resetAt)
        else at = Math.max(at, lastStart + (s.resetAt - now) / left)
      }
      return Math.max(0, at - now)
    },
    started(now) {
      lastStart = now
      s.inFlight++
    },
    answered(now, status, headers) {
      s.inFlight = Math.max(0, s.inFlight - 1)
      readLimits(s, now, headers, options)
      if (status === 429 || status === 503) {
        slowDown()
        const wait = retryAfter(headers['retry-after'], now) ?? (s.resetAt !== null && s.resetAt > now ? s.resetAt - now : null)
        if (wait !== null) s.pausedUntil = Math.max(s.pausedUntil, now + Math.min(wait, options.maxPauseMs))
        // A 429 means the window is spent, whatever the headers said before.
        if (status === 429 && s.resetAt !== null && s.resetAt > now) s.remaining = 0
      } else if (status >= 500) {
        slowDown()
      } else {
        s.rate = Math.min(s.ceiling, s.rate + s.ceiling / 20)
      }
    },
    failed() {
      s.inFlight = Math.max(0, s.inFlight - 1)
      slowDown()
    },
    finished() {
      s.inFlight = Math.max(0, s.inFlight - 1)
    },
    pause(until) {
      s.pausedUntil = Math.max(s.pausedUntil, until)
    },
    state: () => ({ ...s }),
  }
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name]
  return Array.isArray(v) ? v[0] : v
}

function nonNegativeInt(text: string | undefined): number | null {
  return text !== undefined && /^\s*\d{1,15}\s*$/.test(text) ? Number(text) : null
}

// X-RateLimit-Reset is a Unix time in seconds (express-rate-limit, which PeerTube uses) or, from some servers, the
// seconds left. The server's Date header turns the former into "seconds left" on the server's own clock, so a
// skewed clock on either side does not matter.
function readLimits(s: PacingState, now: number, headers: IncomingHttpHeaders, options: PacingOptions): void {
  const limit = nonNegativeInt(header(headers, 'x-ratelimit-limit'))
  if (limit === null || limit === 0) return
  const remaining = nonNegativeInt(header(headers, 'x-ratelimit-remaining'))
  const reset = nonNegativeInt(header(headers, 'x-ratelimit-reset'))
  let leftMs: number | null = null
  if (reset !== null) {
    if (reset > 1e9) {
      const serverNow = Date.parse(header(headers, 'date') ?? '')
      leftMs = reset * 1000 - (Number.isNaN(serverNow) ? now : serverNow)
    } else {
      leftMs = reset * 1000
    }
    leftMs = Math.max(0, Math.min(leftMs, 24 * 3600_000))
  }
  s.limit = limit
  if (leftMs !== null) {
    const resetAt = now + leftMs
    // A window is over once its (rounded up, so never early) reset time has passed, or when an answer shows a reset
    // time beyond what rounding explains. Within one window answers may arrive out of order: the smallest remaining
    // is the truest.
    const newWindow = s.resetAt === null || now >= s.resetAt || resetAt > s.resetAt + ROUNDING_MS
    if (newWindow) {
      s.resetAt = resetAt
      s.remaining = remaining
    } else if (remaining !== null) {
      s.remaining = s.remaining === null ? remaining : Math.min(s.remaining, remaining)
    }
    // The first request of a window sees the whole window ahead: the shortest such view is its length (the
    // headers round it up by up to two seconds). Until one is seen, assume PeerTube's 10 s or longer.
    if (remaining === limit - 1) s.windowMs = Math.max(1000, Math.min(s.windowMs ?? Infinity, leftMs))
    else if (s.windowMs === null) s.windowMs = Math.max(DEFAULT_WINDOW_MS, leftMs)
  } else {
    s.remaining = remaining
    s.resetAt = null
  }
  const window = s.windowMs ?? DEFAULT_WINDOW_MS
  s.ceiling = (options.limitShare * limit * 1000) / window
  s.rate = Math.min(s.rate, s.ceiling)
}

/** Reads Retry-After (seconds, or an HTTP date) as milliseconds from `now`; null when absent or unreadable. */
export function retryAfter(value: string | string[] | undefined, now = Date.now()): number | null {
  const v = Array.isArray(value) ? value[0] : value
  if (!v) return null
  if (/^\s*\d+\s*$/.test(v)) return Number(v.trim()) * 1000
  const date = Date.parse(v)
  return Number.isNaN(date) ? null : Math.max(0, date - now)
}
