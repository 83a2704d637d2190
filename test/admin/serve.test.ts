// Moderation reaches a running `sepia serve` without a restart: the CLI's block is one transaction in the same
// database file, and the server's next read sees it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { crawledFederation } from '../helpers/crawled.ts'
import { startServe } from '../helpers/serve.ts'
import { ok } from './cli.ts'

async function hosts(origin: string, kind: 'videos' | 'video-channels' | 'video-playlists', search: string): Promise<Set<string>> {
  const res = await fetch(`${origin}/api/v1/search/${kind}?search=${encodeURIComponent(search)}&nsfw=both&count=100`)
  assert.equal(res.status, 200)
  const body = (await res.json()) as { data: { account?: { host: string }; ownerAccount?: { host: string }; host?: string }[] }
  return new Set(body.data.map((x) => x.account?.host ?? x.ownerAccount?.host ?? x.host!))
}

test('a block issued while sepia serve is running hides the host from the very next search', async () => {
  const c = await crawledFederation()
  const file = c.federation.configFile()
  const serve = await startServe(file, '--no-crawl')
  const origin = serve.origin
  try {
    const [a, b] = c.federation.instances
    // "Linux" is in the titles of A's and B's videos; "bob" names B's channel; "Workshop" one of B's playlists.
    assert.deepEqual(await hosts(origin, 'videos', 'linux'), new Set([a!.host, b!.host]))
    assert.deepEqual(await hosts(origin, 'video-channels', 'bob'), new Set([b!.host]))
    assert.deepEqual(await hosts(origin, 'video-playlists', 'workshop'), new Set([b!.host]))

    await ok(file, 'instances', 'block', b!.host, '--reason', 'spam')
    assert.deepEqual(await hosts(origin, 'videos', 'linux'), new Set([a!.host]))
    assert.deepEqual(await hosts(origin, 'video-channels', 'bob'), new Set())
    assert.deepEqual(await hosts(origin, 'video-playlists', 'workshop'), new Set())

    // An account block as well: Marie's videos leave A's results, Jean's stay.
    await ok(file, 'accounts', 'block', `marie@${a!.host}`, '--reason', 'asked to be removed')
    const res = await fetch(`${origin}/api/v1/search/videos?search=linux&nsfw=both&count=100`)
    const accounts = new Set(((await res.json()) as { data: { account: { name: string } }[] }).data.map((v) => v.account.name))
    assert.deepEqual(accounts, new Set(['jean']))

    // And the server still answers: nothing broke under it.
    assert.equal((await fetch(`${origin}/api/v1/config`)).status, 200)
  } finally {
    serve.child.kill('SIGTERM')
    await serve.exit
    await c.close()
  }
})

test('a host blocked in the configuration loses its content when serve starts, also with --no-crawl', async () => {
  const c = await crawledFederation()
  const [, b] = c.federation.instances
  const file = c.federation.configFile({ instances: { blocked: [b!.host] } }, 'blocked.json')
  const serve = await startServe(file, '--no-crawl')
  try {
    assert.deepEqual(await hosts(serve.origin, 'videos', 'linux'), new Set([c.federation.instances[0]!.host]), 'gone from the very first search')
    assert.deepEqual(await hosts(serve.origin, 'video-channels', 'bob'), new Set())
    assert.match(serve.stderr(), new RegExp(`removed from the index per the configuration: ${b!.host.replace(/\./g, '\\.')}`))
    assert.equal(c.db.prepare('SELECT count(*) FROM videos WHERE account_host = ?').pluck().get(b!.host), 0)
  } finally {
    await serve.stop()
    await c.close()
  }
})
