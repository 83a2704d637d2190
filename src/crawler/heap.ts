// The crawler's JavaScript heap. A CPU-bound listing holds about 40 MB of live objects, but it allocates pages,
// records and statement parameters so fast that V8 lets the old generation grow to four times that before
// collecting it: 130-150 MB of garbage, the largest part of the crawler's peak memory (bench:crawl, BENCHMARKS.md).
// Letting it grow to twice what it holds instead measured 200 MB of peak private memory against 268, at the same
// ingest speed (the collections are of a small live heap, a few milliseconds each).
import { setFlagsFromString } from 'node:v8'

// V8's heap growing factor, as 1 + this / 100, after each full collection (its own choice: 1.1 to 4).
const HEAP_GROWING_PERCENT = 100

/** Bounds the growth of this process's heap to what a crawling process needs: called by every process that crawls. */
export function boundCrawlerHeap(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`)
}
