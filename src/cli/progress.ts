// Progress of `sepia crawl`: in a terminal, a live bar with the ETA under the lines it prints; otherwise (a pipe, a
// log file, cron) plain lines, with a progress line now and then. Only numbers go into the bar; everything else is
// printed through print(), made safe for the terminal.
import type { CrawlProgress } from '../crawler/run.ts'
import { print } from './output.ts'

/** What the progress display needs from the run. */
export type ProgressDisplay = {
  /** Feed it the run's progress events. */
  update(p: CrawlProgress): void
  /** Prints a line above the bar (or as is, without a terminal). */
  line(text: string): void
  /** Removes the bar (before the summary). */
  done(): void
}

/** How far along a run is, for the bar and the plain progress lines. */
export type RunProgress = {
  instancesDone: number
  instancesTotal: number
  videosListed: number
  detailsFetched: number
  requests: number
  /** 0..1 */
  fraction: number
  etaMs: number | null
}

const REDRAW_MS = 250
const PLAIN_EVERY_MS = 30_000

/** The display for this process's stdout: a bar on a TTY, plain lines otherwise. */
export function progressDisplay(out: NodeJS.WriteStream = process.stdout, now: () => number = Date.now): ProgressDisplay {
  const tally = progressTally(now)
  if (!out.isTTY) {
    let lastPlain = now()
    return {
      update(p) {
        tally.update(p)
        if (now() - lastPlain >= PLAIN_EVERY_MS) {
          lastPlain = now()
          print(`progress: ${describeProgress(tally.state())}`)
        }
      },
      line: print,
      done() {},
    }
  }
  let shown = false
  const clear = () => {
    if (shown) out.write('\r\x1b[2K')
    shown = false
  }
  const draw = () => {
    clear()
    // A pseudo-terminal may report 0 columns: take the usual 80 then.
    out.write(bar(tally.state(), out.columns || 80))
    shown = true
  }
  const timer = setInterval(draw, REDRAW_MS)
  timer.unref()
  return {
    update: tally.update,
    line(text) {
      clear()
      print(text)
      draw()
    },
    done() {
      clearInterval(timer)
      clear()
    },
  }
}

/** Adds up progress events into a RunProgress; the ETA comes from the share of the work done so far. */
export function progressTally(now: () => number = Date.now) {
  const started = now()
  let instancesTotal = 0
  let instancesDone = 0
  let detailsFetched = 0
  let requests = 0
  // Per instance under way: its listing progress and its requests so far.
  const active = new Map<string, { listed: number; total: number | null; requests: number; details: number; detailsTotal: number }>()
  let listedDone = 0
  return {
    update(p: CrawlProgress): void {
      if (p.kind === 'start') {
        instancesTotal = p.instances
        active.set(p.host, { listed: 0, total: null, requests: 0, details: 0, detailsTotal: 0 })
      } else if (p.kind === 'step') {
        const a = active.get(p.progress.host) ?? { listed: 0, total: null, requests: 0, details: 0, detailsTotal: 0 }
        a.requests = p.progress.requests
        if (p.progress.phase === 'listing') {
          a.listed = p.progress.listed
          a.total = p.progress.listingTotal
        } else {
          a.details = p.progress.done
          a.detailsTotal = p.progress.total
        }
        active.set(p.progress.host, a)
      } else if (p.kind === 'instance') {
        const a = active.get(p.result.host)
        active.delete(p.result.host)
        instancesDone++
        listedDone += a?.listed ?? 0
        detailsFetched += p.result.details.fetched
        requests += p.result.requests
      }
    },
    state(): RunProgress {
      let partial = 0
      let listed = listedDone
      let fetched = detailsFetched
      let reqs = requests
      for (const a of active.values()) {
        listed += a.listed
        fetched += a.details
        reqs += a.requests
        // An instance under way counts for the share of its listing done, then of its details.
        const listing = a.total ? Math.min(1, a.listed / a.total) : 0
        const details = a.detailsTotal ? Math.min(1, a.details / a.detailsTotal) : 0
        partial += a.detailsTotal ? 0.5 + details / 2 : listing / 2
      }
      const fraction = instancesTotal ? Math.min(1, (instancesDone + partial) / instancesTotal) : 0
      const elapsed = now() - started
      const etaMs = fraction > 0.01 && elapsed > 2000 ? (elapsed * (1 - fraction)) / fraction : null
      return { instancesDone, instancesTotal, videosListed: listed, detailsFetched: fetched, requests: reqs, fraction, etaMs }
    },
  }
}

/** "ETA 4m 10s, 126/300 instances, 48210 videos listed, 3002 details, 1870 requests": the ETA first, as the bar may cut the end. */
export function describeProgress(s: RunProgress): string {
  return (
    `ETA ${s.etaMs === null ? '?' : duration(s.etaMs)}, ${s.instancesDone}/${s.instancesTotal} instances, ${s.videosListed} videos listed, ` +
    `${s.detailsFetched} details, ${s.requests} requests`
  )
}

/** The bar line, fitted to the terminal's width. */
export function bar(s: RunProgress, columns: number): string {
  const text = ` ${Math.floor(s.fraction * 100)
    .toString()
    .padStart(3)}%  ${describeProgress(s)}`
  const width = Math.max(10, Math.min(30, columns - text.length - 3))
  const filled = Math.round(s.fraction * width)
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]${text}`.slice(0, Math.max(1, columns - 1))
}

/** 250000 → "4m 10s". */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s}s`
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`
}
