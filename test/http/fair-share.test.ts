// Fair sharing in process: the order in which requests from several clients get their turn, per-client
// concurrency, the queue bound and its 429, and clients that hang up while waiting. Requests are all sent in the
// same tick, as a burst arriving together would be read in one turn of the event loop. (Over real sockets, with a
// flooding client and a PeerTube instance forwarding searches: test/visitors/fairness.test.ts.)
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHook } from 'node:async_hooks'
import { Hono } from 'hono'
import { fairShare, type FairShareOptions } from '../../src/http/fair-share.ts'

const from = (ip: string, init: RequestInit = {}): RequestInit => ({ ...init, headers: { 'x-forwarded-for': `203.0.113.9, ${ip}` } })

/** An app whose one route records which client it served, in order, and can be held open with `hold`. */
function sharedApp(options: Partial<FairShareOptions> = {}) {
  const served: string[] = []
  let running = 0
  let maxRunning = 0
  let hold: Promise<void> | null = null
  const app = new Hono()
  app.use('*', fairShare({ perClientConcurrency: 1, perClientQueue: 100, trustProxy: true, ...options }))
  app.get('/', async (c) => {
    served.push(c.req.header('x-forwarded-for')!.split(', ')[1]!)
    running++
    maxRunning = Math.max(maxRunning, running)
    if (hold) await hold
    running--
    return c.text('ok')
  })
  return {
    app,
    served,
    maxRunning: () => maxRunning,
    /** Holds every request in its handler until the returned function is called. */
    holdAll() {
      let release!: () => void
      hold = new Promise((resolve) => (release = resolve))
      return () => {
        hold = null
        release()
      }
    },
  }
}

test('fair share: a client with one request is served before the 19 others a flooding client sent first', async () => {
  const { app, served } = sharedApp()
  const flood = Array.from({ length: 20 }, () => app.request('/', from('198.51.100.1')))
  const normal = app.request('/', from('198.51.100.2'))
  const statuses = (await Promise.all([...flood, normal])).map((r) => r.status)
  assert.deepEqual(new Set(statuses), new Set([200]))
  // Arrival order would serve it 21st.
  assert.equal(served.indexOf('198.51.100.2'), 1, served.join(' '))
})

test('fair share: turns alternate between clients that both have requests waiting', async () => {
  const { app, served } = sharedApp()
  const a = Array.from({ length: 6 }, () => app.request('/', from('198.51.100.1')))
  const b = Array.from({ length: 3 }, () => app.request('/', from('198.51.100.2')))
  await Promise.all([...a, ...b])
  const short = served.map((ip) => (ip.endsWith('.1') ? 'a' : 'b')).join('')
  assert.equal(short, 'abababaaa')
})

test('fair share: a client has at most perClientConcurrency requests in progress, and does not hold up others', async () => {
  const s = sharedApp({ perClientConcurrency: 2 })
  const release = s.holdAll()
  const flood = Array.from({ length: 5 }, () => s.app.request('/', from('198.51.100.1')))
  const other = s.app.request('/', from('198.51.100.2'))
  // Wait until the turns were handed out: two of the flood and the other client are in their handlers.
  while (s.served.length < 3) await new Promise((resolve) => setImmediate(resolve))
  assert.deepEqual([...s.served].sort(), ['198.51.100.1', '198.51.100.1', '198.51.100.2'])
  release()
  await Promise.all([...flood, other])
  assert.equal(s.served.length, 6)
  assert.equal(s.maxRunning(), 3)
})

test('fair share: while every waiting client has all its requests in progress, nothing spins', async () => {
  const s = sharedApp({ perClientConcurrency: 1 })
  const release = s.holdAll()
  const requests = Array.from({ length: 3 }, () => s.app.request('/', from('198.51.100.1')))
  while (s.served.length < 1) await new Promise((resolve) => setImmediate(resolve))
  // Count the immediates scheduled over a few turns of the event loop: a polling dispatcher would add one per turn.
  let immediates = 0
  const hook = createHook({ init: (_id, type) => void (type === 'Immediate' && immediates++) }).enable()
  try {
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0))
  } finally {
    hook.disable()
    release()
  }
  assert.equal(immediates, 0)
  await Promise.all(requests)
  assert.equal(s.served.length, 3)
})

test('fair share: past its concurrency and queue a client gets 429 at once, in the problem format; others do not', async () => {
  const { app } = sharedApp({ perClientConcurrency: 1, perClientQueue: 2 })
  const answers = await Promise.all([...Array.from({ length: 5 }, () => app.request('/', from('198.51.100.1'))), app.request('/', from('198.51.100.2'))])
  assert.deepEqual(answers.map((r) => r.status), [200, 200, 200, 429, 429, 200])
  const refused = answers[3]!
  assert.equal(refused.headers.get('retry-after'), '1')
  assert.equal(refused.headers.get('content-type'), 'application/problem+json; charset=utf-8')
  const body = await refused.json()
  assert.equal(body.status, 429)
  assert.equal(body.title, 'Too Many Requests')
  assert.equal(body.error, body.detail)
  assert.equal(body.instance, '/')
  // Once answered, the same client is welcome again.
  assert.equal((await app.request('/', from('198.51.100.1'))).status, 200)
})

test('fair share: IPv6 clients share per /64, whatever the rest of the address', async () => {
  const { app } = sharedApp({ perClientConcurrency: 1, perClientQueue: 0 })
  const answers = await Promise.all(
    ['2001:db8:1:2::1', '2001:DB8:1:2:ffff::9', '2001:db8:1:3::1', '::ffff:198.51.100.1', '198.51.100.1'].map((ip) => app.request('/', from(ip))),
  )
  assert.deepEqual(answers.map((r) => r.status), [200, 429, 200, 200, 429])
})

test('fair share: a request whose client hung up while waiting leaves the queue and is never run', async () => {
  const s = sharedApp()
  const release = s.holdAll()
  const first = s.app.request('/', from('198.51.100.1'))
  const gone = new AbortController()
  const abandoned = s.app.request('/', from('198.51.100.1', { signal: gone.signal }))
  const third = s.app.request('/', from('198.51.100.1'))
  while (s.served.length < 1) await new Promise((resolve) => setImmediate(resolve))
  gone.abort()
  release()
  await Promise.all([first, abandoned, third])
  assert.equal(s.served.length, 2, 'the abandoned request was not run')
})
