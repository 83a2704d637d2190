// The crawler's heap bound (src/crawler/heap.ts), measured in child processes: the same allocations keep a smaller
// heap with it than with V8's own growth.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const script = fileURLToPath(new URL('./heap-load.ts', import.meta.url))
const largestHeap = (mode: string) =>
  (JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', script, mode], { encoding: 'utf8' })) as { largest: number }).largest

test('a crawling process keeps its heap near what it holds: a fast allocating load grows it far less than V8 alone', () => {
  const free = largestHeap('free')
  const bound = largestHeap('bound')
  assert.ok(bound < free * 0.8, `heap ${Math.round(bound / 2 ** 20)} MB bound, ${Math.round(free / 2 ** 20)} MB not`)
})
