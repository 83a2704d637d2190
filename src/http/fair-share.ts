// Fair sharing of the search work between clients. Searches run synchronously on one event loop, so whoever sends
// more requests would otherwise get more of it: requests are served in arrival order, and a client with 50 in
// flight puts 50 searches in front of everybody else's. Here every request waits for its turn, and turns go to
// clients round-robin, so a flood slows only the flooder. Nobody is refused for sending steadily (a PeerTube
// instance forwarding its users' searches has a few dozen requests in flight and never retries a refusal); only
// a client holding more requests at once than its concurrency and queue allow gets a 429. See README.md.
import type { Context, MiddlewareHandler } from 'hono'
import { getConnInfo } from '@hono/node-server/conninfo'
import { problem } from './api/problem.ts'

/** Options of fairShare(). */
export type FairShareOptions = {
  /** Requests of one client being answered at once. */
  perClientConcurrency: number
  /** Further requests of one client that may wait for their turn; one more is answered 429. */
  perClientQueue: number
  /** Read the client address from the last X-Forwarded-For entry (set this only behind a reverse proxy). */
  trustProxy: boolean
}

// One client's requests: those being answered, and those waiting in arrival order (each a function granting it).
type Client = { running: number; waiting: Grant[] }
type Grant = () => void

// Requests waiting, all clients together. Past it (tens of thousands of addresses flooding at once) new requests
// get 503: the queue's memory stays bounded whatever the number of addresses.
const MAX_WAITING = 10_000

/**
 * Middleware sharing the server fairly between client addresses (per IPv4 address, per IPv6 /64). State lives in
 * memory only, and only while a client has requests in progress: no address is logged, written or kept after.
 * Each process keeps its own: with several HTTP workers, the limits hold per worker.
 */
export function fairShare({ perClientConcurrency, perClientQueue, trustProxy }: FairShareOptions): MiddlewareHandler {
  // Every client with a request in progress or waiting.
  const clients = new Map<string, Client>()
  // Clients with waiting requests, in the order their turn comes: Map order is insertion order, so a client
  // served goes back to the end.
  const turns = new Map<string, Client>()
  let waiting = 0
  let scheduled = false

  // Hands out one turn, then lets the event loop read new requests before the next one (setImmediate runs after
  // I/O): otherwise one client's queue would be served back to back before anybody else's request is even parsed.
  // When every waiting client already has all its requests in progress, the next release() schedules again.
  function schedule(): void {
    if (scheduled || waiting === 0) return
    scheduled = true
    setImmediate(() => {
      scheduled = false
      for (const [key, client] of turns) {
        if (client.running >= perClientConcurrency) continue
        const grant = client.waiting.shift()!
        waiting--
        turns.delete(key)
        if (client.waiting.length > 0) turns.set(key, client)
        grant()
        schedule()
        return
      }
    })
  }

  function release(key: string, client: Client): void {
    client.running--
    if (client.running === 0 && client.waiting.length === 0) clients.delete(key)
    schedule()
  }

  return async function fairShareMiddleware(c, next) {
    const key = clientKey(c, trustProxy)
    const client = clients.get(key) ?? { running: 0, waiting: [] }
    if (client.running + client.waiting.length >= perClientConcurrency + perClientQueue) {
      c.header('Retry-After', '1')
      return problem(c, 429, `Too many requests at once from your address (more than ${perClientConcurrency + perClientQueue}); retry when some are answered.`)
    }
    if (waiting >= MAX_WAITING) {
      c.header('Retry-After', '1')
      return problem(c, 503, 'The server is too busy; retry in a moment.')
    }
    clients.set(key, client)
    const granted = await new Promise<boolean>((resolve) => {
      const signal = c.req.raw.signal
      const grant: Grant = () => {
        signal.removeEventListener('abort', giveUp)
        client.running++
        resolve(true)
      }
      // A client that hung up leaves the queue at once instead of costing a search nobody will read.
      function giveUp(): void {
        const i = client.waiting.indexOf(grant)
        if (i < 0) return
        client.waiting.splice(i, 1)
        waiting--
        if (client.waiting.length === 0) turns.delete(key)
        if (client.running === 0 && client.waiting.length === 0) clients.delete(key)
        resolve(false)
      }
      client.waiting.push(grant)
      waiting++
      if (!turns.has(key)) turns.set(key, client)
      signal.addEventListener('abort', giveUp, { once: true })
      schedule()
    })
    // Nobody reads this answer: the connection is gone.
    if (!granted) return c.body(null, 503)
    try {
      await next()
    } finally {
      release(key, client)
    }
  }
}

// One client per IPv4 address, and per /64 for IPv6, since one household or server usually holds a whole /64.
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
