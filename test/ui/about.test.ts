// The about page on a crawled fake federation, in process (app.request): an instance whose robots.txt refuses us
// says so instead of looking up to date with no videos, and blocks are published only when the admin says so,
// with hostile reasons shown as text.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { Config } from '../../src/config/config.ts'
import { runCrawl } from '../../src/crawler/run.ts'
import { block } from '../../src/db/moderation.ts'
import { createApp } from '../../src/http/app.ts'
import { crawledFederation, type CrawledFederation } from '../helpers/crawled.ts'

let fed: CrawledFederation

before(async () => {
  fed = await crawledFederation()
})
after(() => fed.close())

const about = async (config: Config, query = '') => {
  const res = await createApp({ db: fed.db, config }).request(`/about${query}`)
  assert.equal(res.status, 200)
  return res.text()
}
const withBlocksPublished = (publishBlocks: boolean): Config => ({ ...fed.config, moderation: { publishBlocks } })

// The status cell of the row of one host.
function statusOf(page: string, host: string): string {
  const row = page.split('<tr>').find((r) => r.includes(`>${host}</a>`))
  assert.ok(row, `a row for ${host}`)
  return /<td><span class="status [^"]*">[^<]*<\/span>[^]*?<\/td>/.exec(row)?.[0] ?? ''
}

test('an instance whose robots.txt refuses us shows as not indexed, with a fixed sentence and not the reason', async () => {
  const [a, b, c] = fed.federation.instances
  // Crawled fine once, then refused: it keeps its last success date but lost its content, so it is not "up to date".
  const robots = 'User-agent: *\nDisallow: /api/\n'
  b!.spec.respond = (r) => (r.path === '/robots.txt' ? { status: 200, raw: robots, headers: { 'content-type': 'text/plain' } } : undefined)
  try {
    const s = await runCrawl({ db: fed.db, config: fed.config })
    assert.equal(s.instances.find((i) => i.host === b!.host)!.status, 'refused')
  } finally {
    delete b!.spec.respond
  }

  const page = await about(fed.config)
  assert.match(statusOf(page, b!.host), /class="status status-refused">Not indexed: its robots.txt asks crawlers to stay away</)
  for (const ok of [a!, c!]) assert.match(statusOf(page, ok.host), /class="status status-ok"/, ok.host)
  assert.equal((page.match(/class="status status-ok"/g) ?? []).length, 2)
  assert.ok(page.includes('2 instances are indexed.'), 'the refused one is not counted as indexed')
  assert.ok(page.includes('1 more instance is listed but not indexed: its robots.txt asks crawlers to stay away.'))
  // The robots.txt verdict is for the admin's commands only.
  assert.ok(!page.includes('Disallow'), 'no robots.txt rule on the page')
  assert.ok(!page.includes('robots.txt disallows'), 'no refusal reason on the page')

  const fr = await about(fed.config, '?lang=fr')
  assert.match(statusOf(fr, b!.host), /class="status status-refused">Non indexée\u00a0: son robots.txt demande aux robots d’exploration de ne pas venir</)
  assert.ok(fr.includes('2 instances sont indexées.'))

  // Consent given again: up to date after the next crawl.
  await runCrawl({ db: fed.db, config: fed.config })
  assert.match(statusOf(await about(fed.config), b!.host), /class="status status-ok"/)
})

test('blocked instances are listed with their reasons, escaped, only when moderation.publishBlocks is on', async () => {
  const hostile = '<script>alert(1)</script> spam & "abuse"'
  block(fed.db, 'host', 'evil.example', '', hostile, Date.UTC(2024, 0, 2))
  block(fed.db, 'host', 'spam.example', '', 'spam', Date.UTC(2024, 5, 30))
  block(fed.db, 'account', 'video.example', 'bob', 'harassment')
  block(fed.db, 'channel', 'video.example', 'x', 'copyright')
  block(fed.db, 'channel', 'video.example', 'y', 'copyright')

  const page = await about(withBlocksPublished(true))
  const section = page.slice(page.indexOf('<h2 id="blocked">'), page.indexOf('</article>'))
  assert.ok(section.startsWith('<h2 id="blocked">Blocked instances</h2>'), 'a Blocked instances section')
  assert.ok(section.includes('<td>evil.example</td>'))
  assert.ok(section.includes('&lt;script&gt;alert(1)&lt;/script&gt; spam &amp; &quot;abuse&quot;'), 'the reason as text')
  assert.ok(!page.includes('<script>alert'), 'never as markup')
  assert.ok(section.includes('<time datetime="2024-01-02T00:00:00.000Z">Jan 2, 2024</time>'))
  assert.ok(section.indexOf('evil.example') < section.indexOf('spam.example'), 'by host')
  assert.ok(section.includes('<td>spam.example</td>') && section.includes('Jun 30, 2024'))
  assert.ok(section.includes('1 account and 2 channels are also blocked.'))
  assert.ok(!section.includes('bob') && !section.includes('harassment'), 'accounts and channels are counted, not named')
  assert.ok(section.includes('<a href="/api/v1/moderation/blocks">/api/v1/moderation/blocks</a>'))

  const fr = await about(withBlocksPublished(true), '?lang=fr')
  assert.ok(fr.includes('<h2 id="blocked">Instances bloquées</h2>'))
  assert.ok(fr.includes('1 compte et 2 chaînes sont aussi bloqués.'))
  assert.ok(fr.includes('&lt;script&gt;alert(1)&lt;/script&gt;'))

  for (const hidden of [await about(withBlocksPublished(false)), await about(withBlocksPublished(false), '?lang=fr'), await about(fed.config)]) {
    assert.ok(!hidden.includes('id="blocked"'))
    assert.ok(!/evil\.example|spam\.example|moderation\/blocks|alert\(1\)/.test(hidden), 'nothing about the blocks')
    assert.ok(!/bloqu|block/i.test(hidden.replace(/<[^>]*>/g, '')), 'not a word about blocks')
  }
})

test('with blocks published but none made, the section says so; accounts alone are not "also" blocked', async () => {
  fed.db.exec('DELETE FROM blocks')
  const none = await about(withBlocksPublished(true))
  assert.ok(none.includes('<h2 id="blocked">Blocked instances</h2>\n<p>No instance is blocked.</p>'))
  assert.ok(!none.includes('<table class="instances blocks">'))
  assert.ok(none.includes('href="/api/v1/moderation/blocks"'))

  block(fed.db, 'account', 'video.example', 'bob', 'harassment')
  const one = await about(withBlocksPublished(true))
  assert.ok(one.includes('<p>1 account is blocked.</p>'))
  assert.ok((await about(withBlocksPublished(true), '?lang=fr')).includes('<p>1 compte est bloqué.</p>'))
})
