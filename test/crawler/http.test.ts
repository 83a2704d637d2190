import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseConfig } from '../../src/config/config.ts'
import { createFetcher, FetchError, CrawlAborted, retryAfter, formatBytes } from '../../src/crawler/http.ts'
import { isPrivateAddress } from '../../src/crawler/addresses.ts'
import { startServer, closedPort } from '../helpers/server.ts'

const crawl = (over: Record<string, unknown> = {}) =>
  parseConfig({
    crawl: {
      useHttp: true, allowPrivateAddresses: true, perHostRequestsPerSecond: 1000, timeoutMs: 2000,
      maxRetries: 2, retryBaseDelayMs: 5, maxRetryDelayMs: 50, ...over,
    },
  }).crawl

async function failure(p: Promise<unknown>): Promise<FetchError> {
  try {
    await p
  } catch (err) {
    assert.ok(err instanceof FetchError, `expected a FetchError, got ${err}`)
    return err
  }
  assert.fail('expected the request to fail')
}

test('isPrivateAddress: loopback, private, link-local, unique-local, multicast and mapped forms are private', () => {
  for (const a of [
    '127.0.0.1', '127.255.0.9', '10.0.0.1', '172.16.5.4', '172.31.255.255', '192.168.1.1', '169.254.169.254',
    '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1',
    'ff02::1', '::ffff:127.0.0.1', '::ffff:10.1.2.3', '::ffff:7f00:1', '::ffff:169.254.169.254',
  ]) {
    assert.equal(isPrivateAddress(a), true, a)
  }
  for (const a of ['1.1.1.1', '8.8.8.8', '172.32.0.1', '193.0.2.1', '2a01:4f8::1', '2606:4700::1111', '::ffff:8.8.8.8']) {
    assert.equal(isPrivateAddress(a), false, a)
  }
})

test('private addresses are refused unless allowed, including names that resolve to one', async () => {
  const server = await startServer((_req, res) => res.end('{}'))
  const fetcher = createFetcher(crawl({ allowPrivateAddresses: false }))
  try {
    const literal = await failure(fetcher.getJson(`${server.origin}/x`))
    assert.equal(literal.message, 'refused private address 127.0.0.1')
    // `localhost` is a name: only the resolved address tells it is private.
    const named = await failure(fetcher.getJson(`http://localhost:${server.port}/x`))
    assert.match(named.message, /^refused private address (127\.0\.0\.1|::1)$/)
    assert.equal((await failure(fetcher.getJson('http://169.254.169.254/latest/meta-data/'))).message, 'refused private address 169.254.169.254')
    assert.equal((await failure(fetcher.getJson(`http://[::ffff:127.0.0.1]:${server.port}/`))).message, 'refused private address ::ffff:7f00:1')
    assert.equal((await failure(fetcher.getJson(`http://[::1]:${server.port}/`))).message, 'refused private address ::1')
    assert.equal(server.requests.length, 0, 'no request may reach the server')
  } finally {
    await fetcher.close()
  }
  const allowed = createFetcher(crawl({ allowPrivateAddresses: true }))
  assert.deepEqual(await allowed.getJson(`http://localhost:${server.port}/x`), {})
  await allowed.close()
  await server.close()
})

test('sends a descriptive User-Agent and asks for JSON', async () => {
  const server = await startServer((_req, res) => res.end('[1]'))
  const fetcher = createFetcher(crawl({ userAgent: 'SepiaTest/1 (+https://example.org)' }))
  assert.deepEqual(await fetcher.getJson(server.origin + '/'), [1])
  assert.equal(server.requests[0]!.headers['user-agent'], 'SepiaTest/1 (+https://example.org)')
  assert.equal(server.requests[0]!.headers.accept, 'application/json')
  await fetcher.close()
  await server.close()
})

test('the default User-Agent names Sepia', () => {
  assert.match(parseConfig({}).crawl.userAgent, /^Sepia\/\d/)
})

test('a body over maxResponseBytes is refused, with or without Content-Length, without reading it all', async () => {
  let written = 0
  const server = await startServer((req, res) => {
    if (req.url === '/declared') return res.end(JSON.stringify({ pad: 'x'.repeat(4096) }))
    // Endless chunked stream: the client must stop reading by itself.
    res.writeHead(200, { 'content-type': 'application/json' })
    const chunk = Buffer.alloc(16 * 1024, 0x20)
    const pump = () => {
      while (written < 50 * 1024 * 1024 && res.write(chunk)) written += chunk.length
      if (written < 50 * 1024 * 1024) res.once('drain', pump)
      else res.end()
    }
    res.on('close', () => res.removeAllListeners('drain'))
    pump()
  })
  const fetcher = createFetcher(crawl({ maxResponseBytes: 2048 }))
  assert.equal((await failure(fetcher.getJson(server.origin + '/declared'))).message, 'response larger than 2 KiB')
  assert.equal((await failure(fetcher.getJson(server.origin + '/stream'))).message, 'response larger than 2 KiB')
  assert.ok(written < 50 * 1024 * 1024, 'the stream was cut before its end')
  await fetcher.close()
  await server.close()
  assert.equal(formatBytes(8 * 1024 * 1024), '8 MiB')
})

test('a server that does not answer in time fails with the timeout in the reason', async () => {
  const server = await startServer(() => {})
  const fetcher = createFetcher(crawl({ timeoutMs: 150, maxRetries: 0 }))
  assert.equal((await failure(fetcher.getJson(server.origin + '/'))).message, 'timed out after 150 ms')
  await fetcher.close()
  await server.close()
})

test('429 with Retry-After is retried after the delay asked for, capped by maxRetryDelayMs', async () => {
  let n = 0
  const server = await startServer((_req, res) => {
    n++
    if (n === 1) return res.writeHead(429, { 'retry-after': '0' }).end('{}')
    if (n === 2) return res.writeHead(429, { 'retry-after': '3600' }).end('{}') // an hour: the cap applies
    res.end('{"ok":true}')
  })
  const fetcher = createFetcher(crawl({ maxRetries: 3, maxRetryDelayMs: 40, retryBaseDelayMs: 1 }))
  assert.deepEqual(await fetcher.getJson(server.origin + '/'), { ok: true })
  assert.equal(server.requests.length, 3)
  const gap = server.requests[2]!.at - server.requests[1]!.at
  assert.ok(gap >= 35, `waited the capped Retry-After (${gap.toFixed(1)} ms)`)
  assert.equal(fetcher.requestCount(`127.0.0.1:${server.port}`), 3)
  await fetcher.close()
  await server.close()
})

test('Retry-After is read as seconds or as an HTTP date', () => {
  assert.equal(retryAfter('7'), 7000)
  assert.equal(retryAfter(undefined), null)
  assert.equal(retryAfter('soon'), null)
  const inTen = new Date(Date.now() + 10_000).toUTCString()
  const ms = retryAfter(inTen)!
  assert.ok(ms > 8000 && ms <= 10_000, String(ms))
})

test('5xx and refused connections are retried maxRetries times, then reported; 4xx are not retried', async () => {
  const server = await startServer((req, res) => res.writeHead(req.url === '/missing' ? 404 : 503).end('{}'))
  const fetcher = createFetcher(crawl({ maxRetries: 2 }))
  assert.equal((await failure(fetcher.getJson(server.origin + '/'))).message, 'answered HTTP 503')
  assert.equal(server.requests.length, 3)
  const missing = await failure(fetcher.getJson(server.origin + '/missing'))
  assert.equal(missing.message, 'answered HTTP 404')
  assert.equal(missing.status, 404)
  assert.equal(server.requests.length, 4)
  const port = await closedPort()
  assert.equal((await failure(fetcher.getJson(`http://127.0.0.1:${port}/`))).message, 'connection refused')
  assert.equal(fetcher.requestCount(`127.0.0.1:${port}`), 3)
  await fetcher.close()
  await server.close()
})

test('redirects are not followed, and a body that is not JSON is an error', async () => {
  const server = await startServer((req, res) => {
    if (req.url === '/moved') return res.writeHead(301, { location: 'http://127.0.0.1:1/elsewhere' }).end()
    res.end('<html>not json</html>')
  })
  const fetcher = createFetcher(crawl())
  assert.match((await failure(fetcher.getJson(server.origin + '/moved'))).message, /^answered HTTP 301 redirecting to http:\/\/127\.0\.0\.1:1\/elsewhere/)
  assert.equal((await failure(fetcher.getJson(server.origin + '/html'))).message, 'answered something that is not JSON')
  assert.equal(server.requests.length, 2)
  await fetcher.close()
  await server.close()
})

test('requests to one host are paced and never exceed perHostConcurrency in flight', async () => {
  let inFlight = 0
  let maxInFlight = 0
  const server = await startServer((_req, res) => {
    maxInFlight = Math.max(maxInFlight, ++inFlight)
    setTimeout(() => {
      inFlight--
      res.end('{}')
    }, 10)
  })
  const fetcher = createFetcher(crawl({ perHostConcurrency: 2, perHostRequestsPerSecond: 1000 }))
  const paced = createFetcher(crawl({ perHostConcurrency: 4, perHostRequestsPerSecond: 25 }))
  try {
    await Promise.all(Array.from({ length: 10 }, () => fetcher.getJson(server.origin + '/')))
    assert.equal(maxInFlight, 2)

    const before = server.requests.length
    await Promise.all(Array.from({ length: 4 }, () => paced.getJson(server.origin + '/')))
    const times = server.requests.slice(before).map((r) => r.at)
    // Sent 40 ms apart; arrival times jitter on a loaded machine, so each gap gets some slack and the whole span little.
    for (let i = 1; i < times.length; i++) assert.ok(times[i]! - times[i - 1]! >= 20, `requests ${i - 1} and ${i} are 40 ms apart`)
    assert.ok(times.at(-1)! - times[0]! >= 100, `4 requests at 25/s span at least 120 ms (${times.at(-1)! - times[0]!})`)
  } finally {
    await fetcher.close()
    await paced.close()
    await server.close()
  }
})

test('an aborted signal stops waiting requests with CrawlAborted', async () => {
  const server = await startServer(() => {})
  const controller = new AbortController()
  const fetcher = createFetcher(crawl({ timeoutMs: 5000 }), controller.signal)
  const pending = fetcher.getJson(server.origin + '/')
  setTimeout(() => controller.abort(), 20)
  await assert.rejects(pending, CrawlAborted)
  await fetcher.close()
  await server.close()
})
