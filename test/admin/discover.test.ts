// `sepia instances discover` on a fake follow graph: proposals only, nothing indexed.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { allInstances } from '../../src/db/instances.ts'
import { crawledFederation } from '../helpers/crawled.ts'
import { ok, okJson } from './cli.ts'
import { both, followGraph, robotsTxt } from './fakes.ts'

test('discover proposes the unknown hosts of the follow graph, paged, without indexing or proposing known and blocked ones', async () => {
  const c = await crawledFederation()
  try {
    const [a, b, cc] = c.federation.instances
    const file = c.federation.configFile({ instances: { blocked: ['evil.example'] } })
    // A has 150 followers (two pages), among them B (known) and two hosts blocked by config and by hand.
    const many = Array.from({ length: 146 }, (_, i) => `fan${String(i).padStart(3, '0')}.example`)
    a!.spec.respond = followGraph(a!, {
      followers: [...many, b!.host, 'evil.example', 'spam.example', 'Friends.Example'],
      following: ['friends.example', 'tube.example:8443'],
      pending: ['pending.example'],
    })
    b!.spec.respond = followGraph(b!, { followers: ['bad host!', 'friends.example'], following: [a!.host] })
    // C does not let us read its follow lists.
    cc!.spec.respond = both(robotsTxt('User-agent: *\nDisallow: /api/v1/server/\n'), followGraph(cc!, { following: ['secret.example'] }))
    await ok(file, 'instances', 'block', 'spam.example', '--reason', 'spam')
    const before = allInstances(c.db).map((i) => i.host)

    const result = await okJson(file, 'instances', 'discover')
    const hosts = result.proposals.map((p: { host: string }) => p.host)
    // Most connected first (seen by two instances), then by name.
    assert.equal(hosts[0], 'friends.example')
    const bySource = (x: { instance: string; relation: string }, y: { instance: string; relation: string }) =>
      x.instance.localeCompare(y.instance) || x.relation.localeCompare(y.relation)
    assert.deepEqual(result.proposals[0].seenBy, [
      { instance: a!.host, relation: 'follower' },
      { instance: a!.host, relation: 'following' },
      { instance: b!.host, relation: 'follower' },
    ].sort(bySource))
    assert.deepEqual(hosts.slice(1).sort(), [...many, 'tube.example:8443'].sort())
    for (const h of [b!.host, a!.host, 'evil.example', 'spam.example', 'pending.example', 'secret.example', 'bad host!']) {
      assert.ok(!hosts.includes(h), `${h} is not proposed`)
    }
    const sources = Object.fromEntries(result.sources.map((s: { host: string }) => [s.host, s]))
    assert.deepEqual(sources[a!.host], { host: a!.host, followers: 150, following: 2, error: null })
    assert.equal(sources[cc!.host].error, 'robots.txt disallows /api/v1/server/followers for all crawlers (Disallow: /api/v1/server/)')
    assert.ok(!cc!.requests.some((r) => r.path.startsWith('/api/v1/server/')), 'C was not asked')
    const pages = a!.requests.filter((r) => r.path === '/api/v1/server/followers')
    assert.deepEqual(pages.map((r) => [r.query.start, r.query.count]), [['0', '100'], ['100', '100']])

    assert.deepEqual(allInstances(c.db).map((i) => i.host), before, 'nothing was added to the index')

    const text = await ok(file, 'instances', 'discover', '--max-pages', '1')
    assert.match(text, new RegExp(`^${cc!.host.replace(/\./g, '\\.')}: robots\\.txt disallows /api/v1/server/followers`, 'm'))
    assert.match(text, /^HOST +SEEN$/m)
    const friends = text.split('\n').find((l) => l.startsWith('friends.example'))!
    assert.deepEqual(friends.replace(/^friends\.example +/, '').split(', ').sort(), [`followed by ${a!.host}`, `follows ${b!.host}`].sort(), 'A’s follower on page 2 is not read')
    // One page of A’s followers: the 100 first fans, and friends and tube.
    assert.match(text, /\n102 hosts not indexed yet\. Review them \(sepia instances check HOST\), then: sepia instances add HOST\n$/)
  } finally {
    await c.close()
  }
})
