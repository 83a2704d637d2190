// Run by heap.test.ts in a child process: allocates like a CPU-bound listing (tens of MB live, pages of objects
// replaced fast), with the crawler's heap bound or not (argv[2] === 'bound'), and prints the largest heap V8 kept.
import { boundCrawlerHeap } from '../../src/crawler/heap.ts'

if (process.argv[2] === 'bound') boundCrawlerHeap()
const live: object[][] = []
let largest = 0
for (let i = 0; i < 8000; i++) {
  // A "page": a hundred records of a few strings and numbers, kept while the next 1,000 pages arrive (long enough
  // to outlive the young generation, as pages waiting for their group commit do).
  live.push(Array.from({ length: 100 }, (_, j) => ({ uuid: `${i}-${j}`, name: `video ${i} ${j} `.repeat(4), views: i * j, tags: [`t${j}`, `u${i}`] })))
  if (live.length > 1000) live.shift()
  if (i % 50 === 0) largest = Math.max(largest, process.memoryUsage().heapTotal)
}
console.log(JSON.stringify({ largest }))
