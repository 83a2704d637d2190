// A model of the scheduler's first index of a federation, to project the benchmark to the real one (thousands of
// instances, millions of videos) without crawling it. Each instance has a size and a pace (requests per second, from
// its advertised limit or its slowness); the model replays what the scheduler does with crawl.concurrency slots:
// listing passes first (robots.txt, config, a page per 100 videos, channels and playlists), each continued by turns
// of at most the turn budget; a turn goes on with details once its listing is complete, giving way after the
// minimum slice when listings wait for a slot; details backlogs then take budgeted turns: a few slots for the
// largest backlogs, the others in the order of their last turn.
// The benchmark checks the model against its own measured run before trusting its projection.

/** The federation and the crawler's settings. */
export type ModelInput = {
  sizes: number[]
  /** Requests per second each host allows (same order as sizes). */
  paces: number[]
  slots: number
  budgetRequests: number
  budgetSeconds: number
  /** Slots kept for the largest details backlogs, the others taking turns in order (src/crawler/scheduler.ts). */
  largestSlots: number
}

/** When everything listed is searchable, and when every video has its details, in seconds from the start. */
export type ModelOutput = { listedAll: number; detailsAll: number; largestDetailsAlone: number; medianDetailsDone: number; p90DetailsDone: number }

const PAGE = 100
// robots.txt and /api/v1/config at the start of a listing turn; one page of channels and one of playlists.
const TURN_START = 2
const SIDE_PAGES = 2
// The details phase gives way to waiting listings after this long (src/crawler/details.ts).
const MIN_SLICE = 10

/** Replays the first index turn by turn. */
export function simulateFirstIndex(input: ModelInput): ModelOutput {
  const hosts = input.sizes.map((v, i) => ({ listing: Math.ceil(v / PAGE) + SIDE_PAGES, details: v, pace: input.paces[i]!, lastTurn: -1, done: 0 }))
  const listingQueue = hosts.map((_, i) => i)
  const busy = new Set<number>()
  const ends: { t: number; i: number }[] = []
  let free = input.slots
  let now = 0
  let listedAll = 0
  let detailsAll = 0

  const start = (i: number) => {
    const h = hosts[i]!
    const budget = Math.min(input.budgetRequests, input.budgetSeconds * h.pace)
    let requests = 0
    const listing = h.listing > 0
    if (listing) {
      const pages = Math.min(h.listing, Math.max(1, budget - TURN_START))
      requests += TURN_START + pages
      h.listing -= pages
    }
    let t = now + requests / h.pace
    if (h.listing === 0) {
      if (listing) listedAll = Math.max(listedAll, t)
      // Listings waiting for a slot cut the details short after the minimum slice.
      const slice = listingQueue.length > 0 ? MIN_SLICE * h.pace : Infinity
      const n = Math.min(h.details, Math.max(0, budget - requests), slice)
      h.details -= n
      t += n / h.pace
      if (h.details === 0 && h.done === 0) {
        h.done = t
        detailsAll = Math.max(detailsAll, t)
      }
    }
    h.lastTurn = t
    busy.add(i)
    ends.push({ t, i })
    ends.sort((a, b) => a.t - b.t)
  }
  // Turns started for the largest backlogs.
  const largestTurns = new Set<number>()
  const next = (): number | undefined => {
    if (listingQueue.length > 0) return listingQueue.shift()
    const byLargest = largestTurns.size < input.largestSlots
    let best: number | undefined
    for (const [k, h] of hosts.entries()) {
      if (h.details === 0 || busy.has(k)) continue
      const better = best === undefined || (byLargest ? h.details > hosts[best]!.details : h.lastTurn < hosts[best]!.lastTurn)
      if (better) best = k
    }
    if (best !== undefined && byLargest) largestTurns.add(best)
    return best
  }

  for (;;) {
    for (let i = free > 0 ? next() : undefined; i !== undefined; i = free > 0 ? next() : undefined) {
      start(i)
      free--
    }
    const end = ends.shift()
    if (!end) break
    now = end.t
    busy.delete(end.i)
    largestTurns.delete(end.i)
    free++
    // A listing cut short by its budget is due again at once, behind the others.
    if (hosts[end.i]!.listing > 0) listingQueue.push(end.i)
  }
  const largestDetailsAlone = Math.max(...input.sizes.map((v, i) => v / input.paces[i]!))
  const done = hosts.map((h) => h.done).sort((a, b) => a - b)
  return { listedAll, detailsAll, largestDetailsAlone, medianDetailsDone: done[Math.floor(done.length / 2)]!, p90DetailsDone: done[Math.floor(done.length * 0.9)]! }
}
