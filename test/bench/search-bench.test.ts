// `npm run bench` must end by itself: it used to print its tables and then hang, kept alive by its writer worker.
// Run here on a tiny index (built in a temporary folder), with the simulated crawl on.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

test('the search benchmark prints its tables, with ranking agreement, and exits by itself', { timeout: 240_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sepia-bench-'))
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/search.bench.ts'], {
      env: { ...process.env, BENCH_VIDEOS: '3000', BENCH_QUERIES: '3', BENCH_AGREE: '2', BENCH_WRITE_RATE: '500', BENCH_DATA_DIR: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    let err = ''
    child.stderr.on('data', (d) => (err += d))
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL')
        resolve(null)
      }, 200_000)
      child.on('exit', (c) => {
        clearTimeout(timer)
        resolve(c)
      })
    })
    assert.equal(code, 0, `the benchmark did not exit by itself\n${err.slice(-2000)}`)
    assert.match(out, /\| common word \| [\d.]+ \|/)
    assert.match(out, /top-20 agreement/)
    assert.match(out, /While a crawl writes/)
    assert.match(out, /Hostile requests/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
