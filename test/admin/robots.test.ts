// Consent: the robots.txt parser (RFC 9309) as a table, and a crawl that honours a refusal.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { matches, parseRobots, productToken, robotsRefusal, robotsVerdict } from '../../src/crawler/robots.ts'
import { runCrawl } from '../../src/crawler/run.ts'
import { instanceByHost } from '../../src/db/instances.ts'
import { crawledFederation } from '../helpers/crawled.ts'
import { ok, okJson } from './cli.ts'
import { robotsTxt } from './fakes.ts'

test('pattern matching: prefixes, * anywhere, $ at the end, never exponential', () => {
  const cases: [string, string, boolean][] = [
    ['/', '/anything', true],
    ['/api/', '/api/v1/videos', true],
    ['/api/', '/api', false],
    ['/api', '/api-docs', true],
    ['/api/v1/videos', '/api/v1/videos?isLocal=true', true],
    ['/api/v1/videos$', '/api/v1/videos', true],
    ['/api/v1/videos$', '/api/v1/videos?x=1', false],
    ['/api/v1/videos$', '/api/v1/videos/', false],
    ['/*/videos', '/api/v1/videos', true],
    ['/*.json$', '/a/b.json', true],
    ['/*.json$', '/a/b.json?x', false],
    ['/*?', '/api/v1/videos?count=100', true],
    ['/*?', '/api/v1/videos', false],
    ['*', '/x', true],
    ['/a*b*c', '/aXbYc', true],
    ['/a*b*c', '/aXcYb', false],
    ['/fish*$', '/fish', true],
  ]
  for (const [pattern, path, expected] of cases) assert.equal(matches(pattern, path), expected, `${pattern} on ${path}`)
  // A hostile pattern on a long path stays fast (backtracking only to the last star).
  const started = performance.now()
  assert.equal(matches(`/${'*a'.repeat(200)}b`, `/${'a'.repeat(5000)}`), false)
  assert.ok(performance.now() - started < 1000)
})

test('groups: ours by product token (any case), else *, rules merged across groups, longest match wins, Allow on a tie', () => {
  const token = productToken('Sepia/0.1.0 (PeerTube search gateway; +https://search.example)')
  assert.equal(token, 'Sepia')
  const table: { robots: string; path: string; allowed: boolean; why?: string }[] = [
    { robots: '', path: '/api/v1/videos', allowed: true },
    { robots: 'User-agent: *\nDisallow:', path: '/api/v1/videos', allowed: true, why: 'empty Disallow allows all (PeerTube default)' },
    { robots: 'User-agent: *\nDisallow: /', path: '/api/v1/videos', allowed: false },
    { robots: 'User-agent: *\nDisallow: /api/', path: '/api/v1/config', allowed: false },
    { robots: 'User-agent: *\nDisallow: /api/\nAllow: /api/v1/videos', path: '/api/v1/videos?isLocal=true', allowed: true, why: 'longer Allow wins' },
    { robots: 'User-agent: *\nAllow: /api/\nDisallow: /api/v1/', path: '/api/v1/videos', allowed: false, why: 'longer Disallow wins' },
    { robots: 'User-agent: *\nDisallow: /api/\nAllow: /api/', path: '/api/x', allowed: true, why: 'a tie goes to Allow' },
    { robots: 'User-agent: Googlebot\nDisallow: /', path: '/api/v1/videos', allowed: true, why: 'another crawler’s group' },
    { robots: 'User-agent: *\nAllow: /\n\nUser-agent: sepia\nDisallow: /api/', path: '/api/v1/videos', allowed: false, why: 'our group, in any case, replaces *' },
    { robots: 'User-agent: Sepia/2.0\nDisallow: /api/', path: '/api/v1/videos', allowed: false, why: 'a version after the token' },
    { robots: 'User-agent: *\nDisallow: /api/\n\nUser-agent: Sepia\nAllow: /', path: '/api/v1/videos', allowed: true, why: 'our group allows' },
    { robots: 'User-agent: Googlebot\nUser-agent: Sepia\nDisallow: /api/', path: '/api/v1/videos', allowed: false, why: 'one group for several agents' },
    { robots: 'User-agent: Sepia\nDisallow: /api/v1/video-channels\n\nUser-agent: Sepia\nDisallow: /api/v1/videos', path: '/api/v1/videos', allowed: false, why: 'groups of one agent merge' },
    { robots: 'Disallow: /\nUser-agent: *\nAllow: /', path: '/x', allowed: true, why: 'a rule before any user-agent is ignored' },
    { robots: '# comment\nUSER-AGENT: * # everyone\nDISALLOW: /api/ # no API', path: '/api/v1/videos', allowed: false, why: 'case-insensitive fields, comments' },
    { robots: 'User-agent: *\r\nDisallow: /api/\r\n', path: '/api/v1/videos', allowed: false, why: 'CRLF' },
    { robots: 'User-agent: *\nDisallow: api/', path: '/api/v1/videos', allowed: false, why: 'a missing leading slash is forgiven' },
    { robots: 'User-agent: *\nDisallow: /vidéos', path: '/vid%C3%A9os/1', allowed: false, why: 'non-ASCII patterns compare percent-encoded' },
    { robots: 'User-agent: *\nDisallow: /', path: '/robots.txt', allowed: true, why: 'robots.txt itself is always allowed' },
    { robots: '<!doctype html><html><body>Not found</body></html>', path: '/api/v1/videos', allowed: true, why: 'an HTML page has no rules' },
  ]
  for (const row of table) {
    const verdict = robotsVerdict(parseRobots(row.robots), token, row.path)
    assert.equal(verdict.allowed, row.allowed, `${JSON.stringify(row.robots)} on ${row.path}${row.why ? ` (${row.why})` : ''}`)
  }
  const refusal = robotsRefusal({ status: 'found', robots: parseRobots('User-agent: *\nDisallow: /api/') }, 'Sepia/1 (x)', ['/robots.txt', '/api/v1/videos?isLocal=true'])
  assert.equal(refusal, 'robots.txt disallows /api/v1/videos for all crawlers (Disallow: /api/)')
  assert.equal(robotsRefusal({ status: 'missing', detail: 'answered HTTP 404' }, 'Sepia', ['/api/v1/videos']), null)
  assert.equal(robotsRefusal({ status: 'unreadable', detail: 'timed out' }, 'Sepia', ['/api/v1/videos']), null)
})

test('an instance whose robots.txt disallows the API is not crawled, loses its content, and says why', async () => {
  const c = await crawledFederation()
  try {
    const [a, b, cc] = c.federation.instances
    assert.ok(instanceByHost(c.db, b!.host)!.videosCount > 0)
    b!.spec.respond = robotsTxt('User-agent: *\nDisallow: /api/\n')
    cc!.spec.respond = robotsTxt('User-agent: Sepia\nDisallow: /api/v1/video-playlists\n\nUser-agent: *\nDisallow:\n')
    for (const i of c.federation.instances) i.requests.length = 0
    const s = await runCrawl({ db: c.db, config: c.config })
    assert.equal(s.totals.ok, 1)
    assert.equal(s.totals.refused, 2)
    const byHost = Object.fromEntries(s.instances.map((i) => [i.host, i]))
    assert.equal(byHost[b!.host]!.status, 'refused')
    assert.equal(byHost[b!.host]!.error, 'robots.txt disallows /api/v1/config for all crawlers (Disallow: /api/)')
    assert.equal(byHost[cc!.host]!.error, 'robots.txt disallows /api/v1/video-playlists for Sepia (Disallow: /api/v1/video-playlists)')
    // Nothing under the API was requested from B; C was asked only for its config, to learn its API dialect.
    assert.deepEqual(b!.requests.map((r) => r.path), ['/robots.txt'])
    assert.deepEqual(cc!.requests.map((r) => r.path), ['/robots.txt', '/api/v1/config'])
    assert.ok(a!.requests.some((r) => r.path === '/robots.txt'), 'robots.txt is read for every instance')
    assert.equal(a!.requests.filter((r) => r.path === '/robots.txt').length, 1, 'once per crawl')
    for (const h of [b!.host, cc!.host]) {
      const row = instanceByHost(c.db, h)!
      assert.equal(row.videosCount, 0)
      assert.equal(row.errorCount, 0, 'a refusal is not a failure of the instance')
      assert.match(row.refused ?? '', /^robots\.txt disallows /)
      const n = c.db.prepare('SELECT (SELECT count(*) FROM videos WHERE instance_id = :id) + (SELECT count(*) FROM channels WHERE instance_id = :id) + (SELECT count(*) FROM playlists WHERE instance_id = :id) AS n').get({ id: row.id }) as { n: number }
      assert.equal(n.n, 0)
    }
    const file = c.federation.configFile()
    const list = await okJson(file, 'instances', 'list')
    const rowB = list.instances.find((i: { host: string }) => i.host === b!.host)
    assert.equal(rowB.status, 'refused')
    assert.match(await ok(file, 'instances', 'list'), new RegExp(`${b!.host.replace(/\./g, '\\.')} +list +refused +5\\.2\\.1 +0 +0 +0 +\\S+ \\S+ +robots\\.txt disallows /api/v1/config for all crawlers`))
    const crawl = await ok(file, 'crawl')
    assert.match(crawl, new RegExp(`REFUSED ${b!.host.replace(/\./g, '\\.')}  robots\\.txt disallows /api/v1/config for all crawlers \\(Disallow: /api/\\)`))
    assert.match(crawl, /done: 3 instances: 1 ok, 0 failed, 2 refused by robots\.txt/)

    // Consent given again: crawled as before.
    delete b!.spec.respond
    const again = await runCrawl({ db: c.db, config: c.config })
    assert.equal(again.instances.find((i) => i.host === b!.host)!.status, 'ok')
    assert.equal(instanceByHost(c.db, b!.host)!.refused, null)
    assert.equal(instanceByHost(c.db, b!.host)!.videosCount, b!.expected().videos.length)
  } finally {
    await c.close()
  }
})
