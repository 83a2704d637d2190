// `sepia instances check HOST`: the admin's answer to "my instance is listed but none of my videos show up".
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { crawledFederation } from '../helpers/crawled.ts'
import { closedPort, startServer } from '../helpers/server.ts'
import { ok, okJson, sepia } from './cli.ts'
import { startPlainWebsite } from './fakes.ts'

const line = (out: string, label: string) => out.split('\n').find((l) => l.trimStart().startsWith(label))?.trim() ?? `(no "${label}" line)`

test('check on reachable instances of two API generations: everything answers, nothing stops them', async () => {
  const c = await crawledFederation()
  try {
    const file = c.federation.configFile()
    const [a, b] = c.federation.instances
    const out = await ok(file, 'instances', 'check', b!.host)
    assert.match(out, new RegExp(`^instance ${b!.host.replace(/\./g, '\\.')}\n`))
    assert.equal(line(out, 'named by'), 'named by         the list URL')
    assert.equal(line(out, 'blocked'), 'blocked          no')
    assert.equal(line(out, 'address'), 'address          127.0.0.1 (an IP address: nothing to resolve)')
    assert.equal(line(out, 'private'), 'private          127.0.0.1: allowed by crawl.allowPrivateAddresses')
    assert.match(line(out, 'robots.txt'), /^robots\.txt +none \(answered HTTP 404\): crawling allowed$/)
    assert.match(line(out, '/api/v1/config'), /^\/api\/v1\/config +HTTP 200 in \d+ ms$/)
    assert.equal(line(out, 'rate limit'), 'rate limit       not announced')
    assert.equal(line(out, 'PeerTube'), 'PeerTube         version 5.2.1 ("Middle Tube")')
    assert.equal(line(out, 'local videos'), 'local videos     listing works (isLocal=true): 30 in all; first page 30 indexable, 0 remote or not public, 0 invalid')
    assert.equal(line(out, 'indexed'), 'indexed          30 videos, 2 channels, 2 playlists')
    assert.match(out, /\nverdict: indexed, and nothing stops the next crawl\n$/)

    // The old instance is asked in its own dialect.
    const old = await okJson(file, 'instances', 'check', a!.host)
    assert.equal(old.indexable, true)
    assert.deepEqual(old.problems, [])
    assert.equal(old.peertube.version, '3.2.1')
    assert.deepEqual(old.listing, { dialect: 'filter', ok: true, total: 120, local: 100, ignored: 0, invalid: 0, error: null })
    assert.ok(a!.requests.some((r) => r.path === '/api/v1/videos' && r.query.filter === 'local' && r.query.isLocal === undefined))
  } finally {
    await c.close()
  }
})

test('check on an unreachable host, a web site that is not PeerTube, and one that rate-limits us', async () => {
  const c = await crawledFederation()
  const website = await startPlainWebsite()
  // A single-page app answers 200 and its HTML for every path.
  const spa = await startServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' })
    res.end('<!doctype html><div id="app"></div>')
  })
  try {
    const file = c.federation.configFile()
    const closed = `127.0.0.1:${await closedPort()}`
    const down = await sepia(file, 'instances', 'check', closed)
    assert.equal(down.code, 1, 'a problem makes the exit code 1')
    assert.match(line(down.stdout, 'robots.txt'), /could not be read \(connection refused\): crawling allowed/)
    assert.equal(line(down.stdout, '/api/v1/config'), '/api/v1/config   no answer: connection refused')
    assert.equal(line(down.stdout, 'local videos'), 'local videos     not checked')
    assert.equal(line(down.stdout, 'status'), 'status           not in the index')
    assert.match(
      down.stdout,
      /\nverdict: NOT indexable\n  - not named by any source: not in the list URL, not in instances.hosts, not added with `sepia instances add`\n  - does not answer: connection refused\n$/,
    )

    const blog = await sepia(file, 'instances', 'check', `127.0.0.1:${website.port}`)
    assert.equal(blog.code, 1)
    assert.match(line(blog.stdout, 'robots.txt'), /none \(answered HTTP 404\): crawling allowed/)
    assert.match(line(blog.stdout, '/api/v1/config'), /HTTP 404 in \d+ ms/)
    assert.match(blog.stdout, /  - \/api\/v1\/config answered HTTP 404: not a PeerTube instance, or not at this address\n/)

    const app = await okJson(file, 'instances', 'check', `127.0.0.1:${spa.port}`).catch(() => null)
    assert.equal(app, null, 'exit code 1')
    const appJson = JSON.parse((await sepia(file, 'instances', 'check', `127.0.0.1:${spa.port}`, '--json')).stdout)
    assert.equal(appJson.http.status, 200)
    assert.equal(appJson.peertube.error, 'answered something that is not JSON')
    assert.ok(appJson.problems.includes('/api/v1/config answered something that is not JSON: not a PeerTube instance'))
    assert.equal(appJson.robots.status, 'found', 'an HTML page as robots.txt has no rules: allowed')

    const limited = c.federation.instances[2]!
    limited.spec.respond = (r) =>
      r.path.startsWith('/api/')
        ? { status: 429, body: { error: 'Too many requests' }, headers: { 'retry-after': '30', 'x-ratelimit-limit': '50', 'x-ratelimit-remaining': '0' } }
        : undefined
    const busy = await sepia(file, 'instances', 'check', limited.host)
    assert.equal(busy.code, 1)
    assert.equal(line(busy.stdout, 'rate limit'), 'rate limit       0 of 50 requests left (answered 429)')
    assert.match(busy.stdout, /  - rate limited: \/api\/v1\/config answered HTTP 429 \(Retry-After 30\)\n/)
    assert.equal(limited.requests.filter((r) => r.path === '/api/v1/config').length >= 1, true)

    // A listing answered 429: even with the crawler's patience for busy hosts (crawl.failAfterMinutes), a check
    // reports it at the first try instead of waiting it out.
    const listing = c.federation.instances[1]!
    listing.spec.respond = (r) => (r.path === '/api/v1/videos' ? { status: 429, body: { error: 'Too many requests' }, headers: { 'retry-after': '1' } } : undefined)
    const patient = c.federation.configFile({ crawl: { failAfterMinutes: 10, maxRetryDelayMs: 1000 } }, 'patient.json')
    listing.requests.length = 0
    const started = performance.now()
    const slow = await sepia(patient, 'instances', 'check', listing.host)
    assert.equal(slow.code, 1)
    assert.match(slow.stdout, /  - rate limited: the local-videos listing answered HTTP 429\n/)
    assert.equal(listing.requests.filter((r) => r.path === '/api/v1/videos').length, 1, 'asked once')
    assert.ok(performance.now() - started < 30_000)
  } finally {
    await spa.close()
    await website.close()
    await c.close()
  }
})

test('check explains blocks, allowlist mode, DNS answers for a name, and private addresses refused', async () => {
  const c = await crawledFederation()
  try {
    const [a, b] = c.federation.instances
    const file = c.federation.configFile()
    await ok(file, 'instances', 'block', b!.host, '--reason', 'spam')
    const blocked = await sepia(file, 'instances', 'check', b!.host, '--json')
    assert.equal(blocked.code, 1)
    const report = JSON.parse(blocked.stdout)
    assert.equal(report.membership.blocked.by, 'hand')
    assert.equal(report.membership.blocked.reason, 'spam')
    assert.deepEqual(report.problems, ['blocked by hand: spam'])

    const allowlist = c.federation.configFile({ instances: { allowlistOnly: true } }, 'allowlist.json')
    const notNamed = await sepia(allowlist, 'instances', 'check', a!.host)
    assert.equal(line(notNamed.stdout, 'list URL'), 'list URL         allowlist mode: the list URL is ignored')
    assert.match(notNamed.stdout, /  - not named by the admin \(allowlist mode\): add it with `sepia instances add` or to instances.hosts\n/)

    // A name: A and AAAA are asked separately (this machine may have no DNS server at all: whatever the answer,
    // it is reported), and the system resolver says what the crawler would connect to.
    const port = a!.host.split(':')[1]
    const strict = c.federation.configFile({ crawl: { allowPrivateAddresses: false } }, 'strict.json')
    const named = await sepia(strict, 'instances', 'check', `localhost:${port}`, '--json')
    assert.equal(named.code, 1)
    const dns = JSON.parse(named.stdout).dns
    assert.equal(dns.literal, false)
    for (const answer of [dns.a, dns.aaaa]) assert.ok(answer.addresses.length > 0 || typeof answer.error === 'string')
    assert.ok(dns.system.addresses.some((x: string) => x === '127.0.0.1' || x === '::1'), JSON.stringify(dns.system))
    assert.ok(dns.private.length > 0)
    assert.equal(dns.privateAllowed, false)
    const text = await sepia(strict, 'instances', 'check', `localhost:${port}`)
    assert.match(line(text.stdout, 'A (IPv4)'), /^A \(IPv4\) +(\S+|no address \(\S+\))/)
    assert.match(line(text.stdout, 'AAAA (IPv6)'), /^AAAA \(IPv6\) +/)
    assert.match(line(text.stdout, 'system resolver'), /(127\.0\.0\.1|::1).*\(what the crawler connects to\)$/)
    assert.match(line(text.stdout, 'private'), /: refused \(crawl\.allowPrivateAddresses is off\)$/)
    assert.match(text.stdout, /  - localhost resolves to private address .*, refused \(crawl\.allowPrivateAddresses is off\)\n/)
    assert.equal(line(text.stdout, 'robots.txt'), 'robots.txt       not checked (the host cannot be reached)')
  } finally {
    await c.close()
  }
})
