// Hostile instances against the crawler's memory (issue 9, item 3): bodies under the size cap that would take
// hundreds of MB once parsed (deep nesting, millions of tiny values), from several hosts at once. Each is refused
// before it is built, the crawl's memory stays bounded, and the others are crawled as usual.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { runCrawl } from '../../src/crawler/run.ts'
import { openTestDb } from '../helpers/crawled.ts'
import { startFakeFederation } from '../fake/federation.ts'
import { deeplyNested, swarmOfValues, when } from '../fake/hostile.ts'
import { badSpec, goodSpecs, HOSTILE_CRAWL } from './harness.ts'

test('hostile: 6 MB of nested JSON and 8 MB of tiny values from six hosts at once are refused with bounded memory', { timeout: 60_000 }, async () => {
  const hostile = Array.from({ length: 6 }, () => badSpec())
  const fed = await startFakeFederation([...goodSpecs(), ...hostile])
  const [, , ...bad] = fed.instances
  bad.forEach((inst, i) => {
    inst.spec.respond = i % 2 === 0 ? deeplyNested(6 * 1024 * 1024, when.listing) : swarmOfValues(8 * 1024 * 1024 - 1024, when.listing)
  })
  const config = fed.config({ crawl: { ...HOSTILE_CRAWL, concurrency: 8 } })
  const db = openTestDb(config)
  global.gc?.()
  const before = process.memoryUsage().rss
  let peak = before
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5)
  try {
    const summary = await runCrawl({ db, config })
    clearInterval(sampler)
    peak = Math.max(peak, process.memoryUsage().rss)
    const grown = (peak - before) / 1024 / 1024
    // Parsed whole, one nested body alone took 520 MB; refused unparsed, the six together stay well under 200 MB.
    assert.ok(grown < 200, `rss grew by ${grown.toFixed(0)} MB`)
    const byHost = new Map(summary.instances.map((r) => [r.host, r]))
    for (const [i, inst] of bad.entries()) {
      const r = byHost.get(inst.host)!
      assert.equal(r.status, 'failed')
      assert.equal(r.error, i % 2 === 0 ? 'listing videos: answered JSON nested deeper than 64 levels' : 'listing videos: answered JSON of more than 250000 values')
    }
    assert.equal(summary.totals.ok, 2, 'the good instances are crawled as usual')
  } finally {
    clearInterval(sampler)
    db.close()
    await fed.close()
  }
})
