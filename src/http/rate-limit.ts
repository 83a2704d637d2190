import type { Context, MiddlewareHandler } from 'hono'
import { getConnInfo } from '@hono/node-server/conninfo'
import { problem } from './api/problem.ts'

/** Options of the per-client API rate limit. */
export type RateLimitOptions = {
  /** Sustained requests per minute per client; 0 turns the limit off. */
  perMinute: number
  /** Requests a client may make at once before the sustained rate applies. */
  burst: number
  /** Read the client address from the last X-Forwarded-For entry (set this only behind a reverse proxy). */
  trustProxy: boolean
  /** Clock, injectable for tests. */
  now?: () => number
}

type Bucket = { tokens: number; at: number }

// Enough clients for a busy public gateway; past it the least recently seen are forgotten first.
const MAX_CLIENTS = 50_000

/**
 * Token-bucket rate limit per client address. The buckets live only in memory and only as long as they are
 * not full again: no address is logged or written anywhere, and a restart forgets them all.
 */
export function rateLimit({ perMinute, burst, trustProxy, now = Date.now }: RateLimitOptions): MiddlewareHandler {
  const buckets = new Map<string, Bucket>()
  const perMs = perMinute / 60_000
  return async function rateLimitMiddleware(c, next) {
    if (perMinute <= 0) return next()
    const key = clientKey(c, trustProxy)
    const t = now()
    const previous = buckets.get(key)
    const tokens = previous ? Math.min(burst, previous.tokens + (t - previous.at) * perMs) : burst
    if (tokens < 1) {
      const retryAfter = Math.ceil((1 - tokens) / perMs / 1000)
      c.header('Retry-After', String(retryAfter))
      return problem(c, 429, `Too many requests, please retry in ${retryAfter} s.`)
    }
    // Re-inserting moves the key to the end of the Map, so the first keys are the least recently seen.
    buckets.delete(key)
    buckets.set(key, { tokens: tokens - 1, at: t })
    while (buckets.size > MAX_CLIENTS) buckets.delete(buckets.keys().next().value as string)
    sweep(buckets, t, perMs, burst)
    return next()
  }
}

// Drops a few buckets that have refilled completely: they hold no information any more.
function sweep(buckets: Map<string, Bucket>, t: number, perMs: number, burst: number): void {
  let checked = 0
  for (const [key, b] of buckets) {
    if (++checked > 4) break
    if (b.tokens + (t - b.at) * perMs >= burst) buckets.delete(key)
  }
}

// One bucket per IPv4 address, and per /64 for IPv6, since one household or server usually holds a whole /64.
function clientKey(c: Context, trustProxy: boolean): string {
  let address: string | undefined
  if (trustProxy) address = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim()
  if (!address) {
    try {
      address = getConnInfo(c).remote.address
    } catch {
      // In-process requests (tests) have no socket.
    }
  }
  if (!address) return 'unknown'
  if (address.startsWith('::ffff:')) return address.slice(7)
  if (address.includes(':')) return expandIpv6(address).slice(0, 4).join(':')
  return address
}

function expandIpv6(address: string): string[] {
  const [head = '', tail = ''] = address.split('::')
  const left = head ? head.split(':') : []
  const right = tail ? tail.split(':') : []
  const fill = address.includes('::') ? Array(Math.max(0, 8 - left.length - right.length)).fill('0') : []
  return [...left, ...fill, ...right].map((g) => g.toLowerCase())
}
