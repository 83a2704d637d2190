// `npm run bench:crawl` must end by itself and print what it measured: run here on a tiny federation (its fake
// instances in a child process, the real scheduler at default politeness, then CPU-bound) and a small projection.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { finished } from '../helpers/cli.ts'

test('the crawl benchmark prints its tables and its projection, and exits by itself', { timeout: 240_000 }, async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/crawl.bench.ts'], {
    env: {
      ...process.env,
      BENCH_CRAWL_INSTANCES: '4',
      BENCH_CRAWL_VIDEOS: '40',
      BENCH_CRAWL_SLOW_MS: '300',
      BENCH_CRAWL_INGEST_INSTANCES: '4',
      BENCH_CRAWL_INGEST_VIDEOS: '400',
      BENCH_CRAWL_REAL_INSTANCES: '200',
      BENCH_CRAWL_REAL_VIDEOS: '20000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const timer = setTimeout(() => child.kill('SIGKILL'), 200_000)
  const r = await finished(child)
  clearTimeout(timer)
  assert.equal(r.code, 0, `the benchmark did not exit by itself\n${r.stderr.slice(-2000)}`)
  assert.match(r.stdout, /\| first video searchable \| [\d.]+ s \|/)
  assert.match(r.stdout, /\| every video with its details \| [\d.]+ s \|/)
  assert.match(r.stdout, /\| requests refused by a limiter \(over the limit\) \| 0 \|/)
  assert.match(r.stdout, /\| listing pages: videos written and searchable per second \| [\d,]+ \|/)
  assert.match(r.stdout, /### Projection to the real federation: 200 instances, 20,000 videos/)
  assert.match(r.stdout, /\| every listed video searchable \| \d+ min \|/)
})
