// Hostile instances at the network level: slow, silent, dripping, huge, redirecting, or pointing at private
// addresses. Each one fails on its own with a readable reason, in bounded time and memory, without touching
// the others' results or losing what was indexed from it while it was healthy.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { LookupAddress } from 'node:dns'
import { parseConfig } from '../../src/config/config.ts'
import { createFetcher, FetchError } from '../../src/crawler/http.ts'
import type { Resolver } from '../../src/crawler/addresses.ts'
import { runCrawl } from '../../src/crawler/run.ts'
import { instanceByHost } from '../../src/db/instances.ts'
import { openTestDb } from '../helpers/crawled.ts'
import { startFakeFederation } from '../fake/federation.ts'
import {
  dripsBody, hugeBody, neverAnswers, redirectsTo, slowly, startSilentServer, watchConnections, when, type BodyMeter, type Respond,
} from '../fake/hostile.ts'
import { badSpec, hostileScenario, snapshot, HOSTILE_CRAWL, type HostileScenario } from './harness.ts'

const TIMEOUT = { timeout: 20_000 }

/** Turns the bad instance hostile, crawls, and checks the common promises; returns the bad instance's error. */
async function failsAndKeepsItsContent(h: HostileScenario, behaviour: Respond, reason: RegExp, afterHostileCrawl = () => {}): Promise<string> {
  h.bad.spec.respond = behaviour
  const { summary, bad } = await h.crawl()
  afterHostileCrawl()
  h.assertOthersUnaffected(summary)
  assert.equal(bad.status, 'failed')
  assert.match(bad.error ?? '', reason)
  const row = h.badRow()
  assert.equal(row.lastError, bad.error, 'the reason is recorded for the admin')
  assert.equal(row.errorCount, 1)
  assert.deepEqual(snapshot(h.db, h.bad.host), h.healthy, 'nothing indexed from it was lost')
  assert.equal(row.videosCount, h.healthy.videos.length)
  // Healthy again: the next crawl succeeds and the index is as before.
  delete h.bad.spec.respond
  const healed = await h.crawl()
  assert.equal(healed.bad.status, 'ok')
  assert.deepEqual(snapshot(h.db, h.bad.host), h.healthy)
  return bad.error!
}

test('hostile: an instance answering in seconds times out and is marked failing', TIMEOUT, async () => {
  const h = await hostileScenario()
  try {
    await failsAndKeepsItsContent(h, slowly(3_000, when.listing), /^listing videos: timed out/)
    // Three attempts (maxRetries 2), each given up after timeoutMs: bounded, whatever the instance does.
    assert.equal(h.bad.requests.filter((r) => r.path === '/api/v1/videos').length, 3 + 1, 'three timed-out tries, then one healed listing')
  } finally {
    await h.close()
  }
})

test('hostile: an instance that accepts connections and never answers is given up on', TIMEOUT, async () => {
  const h = await hostileScenario()
  const silent = await startSilentServer()
  try {
    // One of them says nothing at the TCP level from the start; the other goes quiet in the middle of a crawl.
    h.fed.list.hosts.push(silent.host)
    await failsAndKeepsItsContent(h, neverAnswers(when.listing), /^listing videos: timed out/, () => {
      const row = instanceByHost(h.db, silent.host)!
      assert.match(row.lastError ?? '', /^reading \/api\/v1\/config: timed out/)
      assert.equal(row.videosCount, 0)
      // One connection per try (undici may open a spare one after a reset): one robots.txt try, then the config's
      // tries, bounded by maxRetries.
      assert.ok(silent.connections >= 1 && silent.connections <= 2 * (HOSTILE_CRAWL.maxRetries + 2), `${silent.connections} connections`)
    })
  } finally {
    await silent.close()
    await h.close()
  }
})

test('hostile: a body dripping one byte at a time is cut at the timeout', TIMEOUT, async () => {
  const h = await hostileScenario()
  try {
    // Each byte comes well within the idle timeout, so only a deadline on the whole response stops it.
    await failsAndKeepsItsContent(h, dripsBody(20, when.listing), /^listing videos: timed out/)
  } finally {
    await h.close()
  }
})

test('hostile: a body of hundreds of MB is cut at maxResponseBytes, with bounded memory', TIMEOUT, async () => {
  const h = await hostileScenario()
  try {
    const streamed: BodyMeter = { written: 0, requests: 0, cut: 0 }
    const rssBefore = process.memoryUsage().rss
    await failsAndKeepsItsContent(h, hugeBody(streamed, { which: when.listing }), /^listing videos: response larger than 8 MiB$/)
    const grown = (process.memoryUsage().rss - rssBefore) / 1024 / 1024
    assert.ok(grown < 100, `rss grew by ${grown.toFixed(0)} MB`)
    assert.equal(streamed.requests, 1, 'a body over the cap is not retried')
    assert.equal(streamed.cut, 1, 'the client hung up before the end')
    assert.ok(streamed.written < 100 * 1024 * 1024, `only ${(streamed.written / 1024 / 1024).toFixed(0)} MB of 500 MB were sent`)

    // Announcing 500 MB up front is refused without reading anything.
    const declared: BodyMeter = { written: 0, requests: 0, cut: 0 }
    h.bad.spec.respond = hugeBody(declared, { which: when.listing, declare: true })
    const { bad } = await h.crawl()
    assert.equal(bad.error, 'listing videos: response larger than 8 MiB')
    assert.ok(declared.written < 100 * 1024 * 1024)
    assert.deepEqual(snapshot(h.db, h.bad.host), h.healthy)
  } finally {
    await h.close()
  }
})

test('hostile: a redirect to another host is not followed, and nothing connects there', TIMEOUT, async () => {
  const h = await hostileScenario()
  const elsewhere = await startSilentServer()
  const connections = watchConnections()
  try {
    const target = `http://${elsewhere.host}/api/v1/videos?start=0`
    const error = await failsAndKeepsItsContent(h, redirectsTo(target, when.listing), /^listing videos: answered HTTP 302 redirecting to /)
    assert.equal(error, `listing videos: answered HTTP 302 redirecting to ${target} (redirects are not followed)`)
    assert.equal(elsewhere.connections, 0)
    assert.ok(!connections.attempts.includes(elsewhere.host), 'no connection was even attempted')
  } finally {
    connections.stop()
    await elsewhere.close()
    await h.close()
  }
})

test('hostile: a redirect to a private address (cloud metadata) is not followed', TIMEOUT, async () => {
  const h = await hostileScenario()
  const connections = watchConnections()
  try {
    const metadata = 'http://169.254.169.254/latest/meta-data/iam/security-credentials/'
    await failsAndKeepsItsContent(h, redirectsTo(metadata, when.config), /^reading \/api\/v1\/config: answered HTTP 302 redirecting to http:\/\/169\.254\.169\.254\//)
    assert.ok(connections.attempts.length > 0, 'the watch sees connections')
    assert.ok(!connections.attempts.some((a) => a.startsWith('169.254.')), connections.attempts.join(', '))
  } finally {
    connections.stop()
    await h.close()
  }
})

test('hostile: host names resolving to loopback and private literals are refused before any request', TIMEOUT, async () => {
  // Private addresses are off, as in production: the fake on 127.0.0.1 must not be reached under any name.
  const fed = await startFakeFederation([badSpec()])
  const inst = fed.instances[0]!
  const port = inst.host.split(':')[1]
  const hosts = [`localhost:${port}`, `127.0.0.1:${port}`, '169.254.169.254', '10.1.2.3:8080', `127.1.2.3:${port}`]
  const config = fed.config({
    instances: { listUrl: null, hosts },
    crawl: { ...HOSTILE_CRAWL, allowPrivateAddresses: false },
  })
  const db = openTestDb(config)
  const connections = watchConnections()
  try {
    const s = await runCrawl({ db, config })
    const reasons = Object.fromEntries(s.instances.map((i) => [i.host, i.error]))
    assert.match(reasons[`localhost:${port}`]!, /^reading \/api\/v1\/config: refused private address (127\.0\.0\.1|::1)$/)
    assert.equal(reasons[`127.0.0.1:${port}`], 'reading /api/v1/config: refused private address 127.0.0.1')
    assert.equal(reasons['169.254.169.254'], 'reading /api/v1/config: refused private address 169.254.169.254')
    assert.equal(reasons['10.1.2.3:8080'], 'reading /api/v1/config: refused private address 10.1.2.3')
    assert.equal(reasons[`127.1.2.3:${port}`], 'reading /api/v1/config: refused private address 127.1.2.3')
    assert.equal(s.totals.failed, hosts.length)
    assert.equal(inst.requests.length, 0, 'the fake saw no request')
    assert.deepEqual(connections.connected, [], 'no connection was established')
    // Literal addresses are refused before undici is even asked; a name only once it resolved (robots.txt, config).
    assert.deepEqual(connections.attempts.map((a) => a.split(':')[0]), ['localhost', 'localhost'])
    for (const h of hosts) assert.equal(instanceByHost(db, h)!.errorCount, 1, h)
  } finally {
    connections.stop()
    db.close()
    await fed.close()
  }
})

// A fake DNS: names mapped to the addresses they "resolve" to.
function fakeDns(table: Record<string, string[]>): Resolver & { asked: string[] } {
  const asked: string[] = []
  const resolver = ((hostname, _options, callback) => {
    asked.push(hostname)
    const addresses = table[hostname]
    if (!addresses) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), [])
    callback(null, addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 })))
  }) as Resolver & { asked: string[] }
  resolver.asked = asked
  return resolver
}

test('hostile: a public-looking name whose DNS points at a private address is refused at connect time', TIMEOUT, async () => {
  const fed = await startFakeFederation([badSpec()])
  const inst = fed.instances[0]!
  const port = Number(inst.host.split(':')[1])
  const dns = fakeDns({
    'video.example.org': ['127.0.0.1'],
    // A name with a public and a private address: connecting could pick either, so it is refused.
    'mixed.example.org': ['93.184.216.34', '10.0.0.5'],
    'metadata.example.org': ['::ffff:169.254.169.254'],
    'fine.example.org': ['127.0.0.1'],
  })
  const crawl = (allowPrivateAddresses: boolean) => parseConfig({ crawl: { ...HOSTILE_CRAWL, useHttp: true, allowPrivateAddresses } }).crawl
  const connections = watchConnections()
  const strict = createFetcher(crawl(false), undefined, { resolver: dns })
  try {
    for (const [name, address] of [['video.example.org', '127.0.0.1'], ['mixed.example.org', '10.0.0.5'], ['metadata.example.org', '::ffff:169.254.169.254']]) {
      const err = await strict.getJson(`http://${name}:${port}/api/v1/config`).then(() => null, (e: unknown) => e)
      assert.ok(err instanceof FetchError, `${name}: ${err}`)
      assert.match(err.message, new RegExp(`^refused private address ${address!.replace(/\./g, '\\.').replace('::ffff:', '(::ffff:)?')}`))
      assert.equal(err.retryable, false, 'a refusal is not retried')
    }
    assert.deepEqual(dns.asked, ['video.example.org', 'mixed.example.org', 'metadata.example.org'], 'the check uses the resolved address')
    assert.equal(connections.connected.length, 0)
    assert.equal(inst.requests.length, 0)
  } finally {
    await strict.close()
  }
  // The same resolver with private addresses allowed does reach the fake: the refusal above was the check's doing.
  const lenient = createFetcher(crawl(true), undefined, { resolver: dns })
  try {
    const config = (await lenient.getJson(`http://fine.example.org:${port}/api/v1/config`)) as { serverVersion: string }
    assert.equal(config.serverVersion, '6.1.0')
    assert.equal(inst.requests.length, 1)
    assert.deepEqual(connections.connected.map((c) => c.address), ['127.0.0.1'])
  } finally {
    connections.stop()
    await lenient.close()
    await fed.close()
  }
})
