// The progress of `sepia crawl` from its events, on an injected clock: shares of work done, ETA, the bar's width.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { bar, duration, progressTally } from '../../src/cli/progress.ts'
import { emptyResult } from '../../src/crawler/crawl.ts'

test('the share done counts finished instances and those under way (listing first, then details); the ETA follows', () => {
  let now = 0
  const t = progressTally(() => now)
  t.update({ kind: 'start', host: 'a', instances: 4 })
  t.update({ kind: 'start', host: 'b', instances: 4 })
  assert.equal(t.state().etaMs, null, 'no ETA before anything is done')
  now = 10_000
  t.update({ kind: 'step', progress: { host: 'a', requests: 3, phase: 'listing', listed: 500, listingTotal: 1000 } })
  t.update({ kind: 'step', progress: { host: 'b', requests: 9, phase: 'details', done: 50, total: 100 } })
  let s = t.state()
  // a: half its listing (a quarter of its share); b: listed, half its details (three quarters).
  assert.equal(s.fraction, (0.25 + 0.75) / 4)
  assert.equal(s.etaMs, 30_000)
  assert.deepEqual([s.videosListed, s.detailsFetched, s.requests], [500, 50, 12])
  const done = emptyResult('b')
  done.details.fetched = 100
  done.requests = 15
  t.update({ kind: 'instance', result: done })
  s = t.state()
  assert.equal(s.instancesDone, 1)
  assert.equal(s.fraction, (1 + 0.25) / 4)
  assert.deepEqual([s.detailsFetched, s.requests], [100, 18])
})

test('the bar fits the terminal and puts the ETA where it is not cut', () => {
  const line = bar({ instancesDone: 1, instancesTotal: 4, videosListed: 12345, detailsFetched: 67, requests: 890, fraction: 0.5, etaMs: 250_000 }, 60)
  assert.ok(line.length <= 59)
  assert.match(line, /^\[#+\.+\]  50%  ETA 4m 10s, 1\/4 instances/)
  assert.equal(duration(59_000), '59s')
  assert.equal(duration(3 * 3600_000 + 120_000), '3h 2m')
})
