import type { Command } from 'commander'
import { openContext, fail } from './context.ts'
import { CrawlBusyError, runCrawl, type CrawlProgress, type CrawlSummary } from '../crawler/run.ts'
import { boundCrawlerHeap } from '../crawler/heap.ts'
import type { InstanceCrawlResult } from '../crawler/crawl.ts'
import { print, printError } from './output.ts'
import { progressDisplay } from './progress.ts'
import { plural } from './table.ts'

/**
 * `sepia crawl [--host HOST]…`: one crawl now, one line per instance and a summary, with a progress bar in a
 * terminal. Exits 1 when every instance failed, there was no instance to crawl (nothing was indexed: a cron job
 * should hear of it) or the database could not be written, 130 when interrupted, 0 otherwise.
 */
export function crawlCommand(program: Command): void {
  program
    .command('crawl')
    .description('crawl the instances now (all of them, or those given with --host) and print what was indexed')
    .option('--host <host>', 'crawl only this instance (repeatable); it must be listed or in instances.hosts', collect, [])
    .action(async (opts: { host: string[] }, cmd: Command) => {
      boundCrawlerHeap()
      const { config, db } = openContext(cmd, { bulkWrites: true })
      const controller = new AbortController()
      const onSignal = () => {
        if (controller.signal.aborted) process.exit(130)
        printError('sepia: stopping at the next safe point (press Ctrl-C again to quit at once)')
        controller.abort()
      }
      process.on('SIGINT', onSignal)
      process.on('SIGTERM', onSignal)
      const display = progressDisplay()
      let summary: CrawlSummary
      try {
        summary = await runCrawl({
          db,
          config,
          hosts: opts.host.length > 0 ? opts.host : undefined,
          signal: controller.signal,
          trigger: 'cli',
          onProgress: (p) => {
            display.update(p)
            for (const line of progressLines(p, opts.host.length > 0)) display.line(line)
          },
        })
      } catch (err) {
        display.done()
        db.close()
        if (err instanceof CrawlBusyError) fail(`${err.message}; try again when it has finished`)
        throw err
      } finally {
        process.off('SIGINT', onSignal)
        process.off('SIGTERM', onSignal)
      }
      display.done()
      db.close()
      print(summaryLine(summary))
      if (summary.status === 'failed') fail(`the crawl stopped: ${summary.error}; what was written before is kept`)
      if (summary.status === 'interrupted') process.exit(130)
      if (summary.totals.instances === 0) {
        fail(`no instances to crawl${summary.listError ? ` (${summary.listError})` : ': the instance list is empty and instances.hosts names none'}`)
      }
      const t = summary.totals
      if (t.ok + t.partial === 0) {
        const what = t.refused === 0 ? 'every instance failed' : `no instance could be crawled (${t.failed} failed, ${t.refused} refused by robots.txt)`
        fail(`${what}${summary.listError ? `; ${summary.listError}` : ''}`)
      }
    })
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value]
}

function progressLines(p: CrawlProgress, targeted: boolean): string[] {
  if (p.kind === 'list') {
    if (targeted) return []
    const lines = [p.error ? `instance list: ${p.error}; keeping the instances known so far` : `instance list: ${p.hosts} hosts`]
    if (p.added.length) lines.push(`  added: ${shortList(p.added)}`)
    if (p.removed.length) lines.push(`  removed with their content: ${shortList(p.removed)}`)
    return lines
  }
  return p.kind === 'instance' ? [instanceLine(p.result)] : []
}

/** One line per instance: what was indexed, or why it failed. */
export function instanceLine(r: InstanceCrawlResult): string {
  const cost = `${r.requests} requests, ${(r.durationMs / 1000).toFixed(1)} s`
  if (r.status === 'failed' || r.status === 'refused' || r.status === 'stopped') {
    const label = r.status === 'failed' ? 'FAILED ' : r.status === 'refused' ? 'REFUSED' : 'stopped'
    return `${label} ${r.host}  ${r.error ?? ''}  (${cost})`
  }
  const v = r.videos
  const notes = [
    r.skipped ? `${r.skipped} skipped (invalid)` : '',
    r.claimed.count ? `${plural(r.claimed.count, 'item')} claimed by ${shortList(r.claimed.hosts)} (indexed from there first)` : '',
    r.details.pending || r.details.failed ? `details ${r.details.pending} pending${r.details.failed ? `, ${r.details.failed} failed` : ''}` : '',
    r.status === 'partial' ? 'listing continues at its next turn (budget spent)' : '',
  ].filter((x) => x !== '')
  return (
    `${r.status === 'partial' ? 'partial' : 'ok     '} ${r.host}  v${r.version}  videos ${v.total} (+${v.new} new, ${v.updated} updated, ${v.removed} removed)` +
    `  channels ${r.channels.total}  playlists ${r.playlists.total}${notes.map((n) => `  ${n}`).join('')}  (${cost})`
  )
}

function summaryLine(s: CrawlSummary): string {
  const t = s.totals
  const parts = [
    `${plural(t.instances, 'instance')}: ${t.ok} ok, ${t.failed} failed` +
      `${t.partial ? `, ${t.partial} to be continued` : ''}${t.refused ? `, ${t.refused} refused by robots.txt` : ''}${t.stopped ? `, ${t.stopped} stopped` : ''}`,
    `videos ${t.videosNew} new, ${t.videosUpdated} updated, ${t.videosRemoved} removed`,
    `channels ${t.channels}, playlists ${t.playlists}`,
  ]
  if (t.detailsPending) parts.push(`details of ${plural(t.detailsPending, 'video')} to fetch at the next turns`)
  if (t.instancesRemoved) parts.push(`${plural(t.instancesRemoved, 'instance')} removed from the index`)
  return `${s.status === 'done' ? 'done' : s.status}${s.resumed ? ' (resumed run)' : ''}: ${parts.join('; ')}`
}

function shortList(hosts: string[]): string {
  return hosts.length <= 10 ? hosts.join(', ') : `${hosts.slice(0, 10).join(', ')} and ${hosts.length - 10} more`
}
