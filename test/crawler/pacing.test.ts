// The per-host pacer on a simulated clock: what it learns from PeerTube's rate-limit headers, how it backs off and
// recovers, and, against a faithful model of PeerTube's limiter, that no window ever receives more than its limit.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { IncomingHttpHeaders } from 'node:http'
import { createPacer, retryAfter, type PacingOptions } from '../../src/crawler/pacing.ts'
import { seededRandom } from '../fake/random.ts'

const OPTIONS: PacingOptions = { requestsPerSecond: 1, limitShare: 0.6, maxPauseMs: 60_000 }
const T0 = Date.UTC(2025, 0, 1, 12, 0, 0, 250)

/** PeerTube's limiter (express-rate-limit's memory store): a fixed window per client from its first request. */
function peertubeLimiter(limit: number, windowMs: number) {
  let start = -Infinity
  let hits = 0
  const counts: number[] = []
  return {
    counts,
    hit(now: number): { status: number; headers: IncomingHttpHeaders } {
      if (now >= start + windowMs) {
        start = now
        hits = 0
        counts.push(0)
      }
      hits++
      const reset = start + windowMs
      const headers: IncomingHttpHeaders = {
        'x-ratelimit-limit': String(limit),
        'x-ratelimit-remaining': String(Math.max(0, limit - hits)),
        'x-ratelimit-reset': String(Math.ceil(reset / 1000)),
        date: new Date(now).toUTCString(),
      }
      if (hits > limit) return { status: 429, headers: { ...headers, 'retry-after': String(Math.ceil((reset - now) / 1000)) } }
      counts[counts.length - 1]!++
      return { status: 200, headers }
    },
  }
}

/** Drives a pacer for `n` requests one at a time (latency drawn per request); returns the time taken and the statuses. */
function drive(n: number, limiter: ReturnType<typeof peertubeLimiter>, options = OPTIONS, latency = () => 80, before?: (now: number) => void) {
  const pacer = createPacer(options)
  let now = T0
  const statuses: number[] = []
  for (let i = 0; i < n; i++) {
    now += pacer.delay(now)
    before?.(now)
    pacer.started(now)
    const answer = limiter.hit(now)
    now += latency()
    pacer.answered(now, answer.status, answer.headers)
    statuses.push(answer.status)
  }
  return { ms: now - T0, statuses, pacer }
}

test('a host that advertises nothing is paced at requestsPerSecond, one request at a time', () => {
  const pacer = createPacer({ ...OPTIONS, requestsPerSecond: 2 })
  assert.equal(pacer.delay(T0), 0)
  pacer.started(T0)
  pacer.answered(T0 + 10, 200, {})
  assert.equal(pacer.delay(T0 + 10), 490)
  assert.equal(pacer.state().ceiling, 2)
})

test('PeerTube\'s headers set the ceiling at a share of the advertised rate; the pace climbs to it additively', () => {
  const limiter = peertubeLimiter(50, 10_000)
  const { pacer } = drive(60, limiter)
  const s = pacer.state()
  assert.equal(s.limit, 50)
  // The window is measured from the headers (whole seconds: between 10 and 12 s); 60 % of 50 per window.
  assert.ok(s.windowMs! >= 10_000 && s.windowMs! <= 12_000, String(s.windowMs))
  assert.ok(Math.abs(s.ceiling - (0.6 * 50_000) / s.windowMs!) < 1e-9)
  assert.equal(s.rate, s.ceiling, 'climbed from 1 request/s to the ceiling')
})

test('against PeerTube\'s limiter, no window ever gets more than the limit and no request is refused', () => {
  const random = seededRandom(7)
  for (const [limit, windowMs, share] of [[50, 10_000, 0.6], [50, 10_000, 1], [10, 1000, 1], [5, 60_000, 1]] as const) {
    const limiter = peertubeLimiter(limit, windowMs)
    const { statuses, ms } = drive(400, limiter, { ...OPTIONS, limitShare: share }, () => 20 + random() * 400)
    assert.deepEqual(statuses.filter((s) => s !== 200), [], `no 429 (limit ${limit} per ${windowMs} ms, share ${share})`)
    assert.ok(Math.max(...limiter.counts) <= limit, `${Math.max(...limiter.counts)} requests in one window`)
    // And it is not timid either: at least a third of what the share allows, whole-second rounding included.
    const allowed = (400 / (share * limit)) * windowMs
    assert.ok(ms < 3 * allowed, `${ms} ms for 400 requests (the share allows ${allowed} ms)`)
  }
})

test('another client eating into the same budget: the pacer spreads what is left and still never exceeds the limit', () => {
  const limiter = peertubeLimiter(50, 10_000)
  let otherWindow = -1
  // Another client of the same address spends 40 of the 50 requests at the start of each window.
  const { statuses } = drive(200, limiter, { ...OPTIONS, limitShare: 1 }, () => 50, (now) => {
    const w = limiter.counts.length
    if (w !== otherWindow && limiter.counts.at(-1) === 0) {
      otherWindow = w
      for (let i = 0; i < 40; i++) limiter.hit(now)
    }
  })
  assert.ok(Math.max(...limiter.counts) <= 50, `${Math.max(...limiter.counts)} in one window`)
  assert.ok(statuses.filter((s) => s === 429).length <= 2, `a 429 at most when the other client jumps in: ${statuses.filter((s) => s === 429).length}`)
})

test('429 and 5xx halve the pace and Retry-After pauses the host; successes bring the pace back', () => {
  const pacer = createPacer({ ...OPTIONS, requestsPerSecond: 4 })
  let now = T0
  pacer.started(now)
  pacer.answered((now += 10), 429, { 'retry-after': '3' })
  assert.equal(pacer.state().rate, 2)
  assert.ok(pacer.delay(now) >= 2990, `paused for Retry-After: ${pacer.delay(now)}`)
  now += pacer.delay(now)
  pacer.started(now)
  pacer.answered((now += 10), 503, {})
  assert.equal(pacer.state().rate, 1)
  pacer.started(now)
  pacer.failed(now)
  assert.equal(pacer.state().rate, 0.5)
  for (let i = 0; i < 5; i++) {
    pacer.started(now)
    pacer.answered((now += 10), 200, {})
  }
  assert.ok(Math.abs(pacer.state().rate - 1.5) < 1e-9, 'a twentieth of the ceiling (4/20) per success')
  for (let i = 0; i < 100; i++) {
    pacer.started(now)
    pacer.answered((now += 10), 200, {})
  }
  assert.equal(pacer.state().rate, 4, 'and never above the ceiling')
  // A Retry-After longer than maxPauseMs is capped.
  pacer.started(now)
  pacer.answered(now, 429, { 'retry-after': '86400' })
  assert.equal(pacer.delay(now), 60_000)
})

test('a spent window waits for its reset, read as a Unix time against the server\'s Date or as seconds left', () => {
  const pacer = createPacer({ ...OPTIONS, requestsPerSecond: 100 })
  // The server's clock is an hour ahead of ours: only the difference between Reset and Date counts.
  const serverNow = T0 + 3600_000
  pacer.started(T0)
  pacer.answered(T0, 200, {
    'x-ratelimit-limit': '50',
    'x-ratelimit-remaining': '0',
    'x-ratelimit-reset': String(Math.ceil((serverNow + 4000) / 1000)),
    date: new Date(serverNow).toUTCString(),
  })
  const wait = pacer.delay(T0)
  assert.ok(wait >= 4000 && wait <= 6000, `waits for the reset: ${wait} ms`)
  const other = createPacer(OPTIONS)
  other.started(T0)
  other.answered(T0, 200, { 'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '7' })
  assert.equal(other.delay(T0), 7000)
  // Requests in flight count against what is left.
  const busy = createPacer({ ...OPTIONS, requestsPerSecond: 100 })
  busy.started(T0)
  busy.answered(T0, 200, { 'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '1', 'x-ratelimit-reset': '5' })
  busy.started(T0 + 100)
  assert.ok(busy.delay(T0 + 100) >= 4900, 'the one request left is in flight')
})

test('Retry-After is read as seconds or as an HTTP date', () => {
  assert.equal(retryAfter('7', T0), 7000)
  assert.equal(retryAfter(undefined, T0), null)
  assert.equal(retryAfter('soon', T0), null)
  assert.equal(retryAfter(new Date(T0 + 10_000).toUTCString(), T0), 10_000 - (T0 % 1000))
})
