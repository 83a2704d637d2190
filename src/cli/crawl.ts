import type { Command } from 'commander'
import { openContext, fail } from './context.ts'
import { CrawlBusyError, runCrawl, type CrawlProgress, type CrawlSummary } from '../crawler/run.ts'
import type { InstanceCrawlResult } from '../crawler/crawl.ts'

/**
 * `sepia crawl [--host HOST]…`: one crawl now, one line per instance and a summary. Exits 1 when every instance
 * failed or there was no instance to crawl (nothing was indexed: a cron job should hear of it), 130 when
 * interrupted, 0 otherwise.
 */
export function crawlCommand(program: Command): void {
  program
    .command('crawl')
    .description('crawl the instances now (all of them, or those given with --host) and print what was indexed')
    .option('--host <host>', 'crawl only this instance (repeatable); it must be listed or in instances.hosts', collect, [])
    .action(async (opts: { host: string[] }, cmd: Command) => {
      const { config, db } = openContext(cmd)
      const controller = new AbortController()
      const onSignal = () => {
        if (controller.signal.aborted) process.exit(130)
        process.stderr.write('sepia: stopping at the next safe point (press Ctrl-C again to quit at once)\n')
        controller.abort()
      }
      process.on('SIGINT', onSignal)
      process.on('SIGTERM', onSignal)
      let summary: CrawlSummary
      try {
        summary = await runCrawl({
          db,
          config,
          hosts: opts.host.length > 0 ? opts.host : undefined,
          signal: controller.signal,
          trigger: 'cli',
          onProgress: (p) => printProgress(p, opts.host.length > 0),
        })
      } catch (err) {
        db.close()
        if (err instanceof CrawlBusyError) fail(`${err.message}; try again when it has finished`)
        throw err
      } finally {
        process.off('SIGINT', onSignal)
        process.off('SIGTERM', onSignal)
      }
      db.close()
      console.log(summaryLine(summary))
      if (summary.status === 'interrupted') process.exit(130)
      if (summary.totals.instances === 0) {
        fail(`no instances to crawl${summary.listError ? ` (${summary.listError})` : ': the instance list is empty and instances.hosts names none'}`)
      }
      if (summary.totals.ok === 0) {
        const t = summary.totals
        const what = t.refused === 0 ? 'every instance failed' : `no instance could be crawled (${t.failed} failed, ${t.refused} refused by robots.txt)`
        fail(`${what}${summary.listError ? `; ${summary.listError}` : ''}`)
      }
    })
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value]
}

function printProgress(p: CrawlProgress, targeted: boolean): void {
  if (p.kind === 'list') {
    if (targeted) return
    if (p.error) console.log(`instance list: ${p.error}; keeping the instances known so far`)
    else console.log(`instance list: ${p.hosts} hosts`)
    if (p.added.length) console.log(`  added: ${shortList(p.added)}`)
    if (p.removed.length) console.log(`  removed with their content: ${shortList(p.removed)}`)
  } else if (p.kind === 'instance') {
    console.log(instanceLine(p.result))
  }
}

/** One line per instance: what was indexed, or why it failed. */
export function instanceLine(r: InstanceCrawlResult): string {
  const cost = `${r.requests} requests, ${(r.durationMs / 1000).toFixed(1)} s`
  if (r.status !== 'ok') {
    const label = r.status === 'failed' ? 'FAILED ' : r.status === 'refused' ? 'REFUSED' : 'stopped'
    return `${label} ${r.host}  ${r.error ?? ''}  (${cost})`
  }
  const v = r.videos
  const skipped = r.skipped ? `  ${r.skipped} skipped (invalid)` : ''
  return (
    `ok      ${r.host}  v${r.version}  videos ${v.total} (+${v.new} new, ${v.updated} updated, ${v.removed} removed)` +
    `  channels ${r.channels.total}  playlists ${r.playlists.total}${skipped}  (${cost})`
  )
}

function summaryLine(s: CrawlSummary): string {
  const t = s.totals
  const parts = [
    `${t.instances} instance${t.instances === 1 ? '' : 's'}: ${t.ok} ok, ${t.failed} failed` +
      `${t.refused ? `, ${t.refused} refused by robots.txt` : ''}${t.stopped ? `, ${t.stopped} stopped` : ''}`,
    `videos ${t.videosNew} new, ${t.videosUpdated} updated, ${t.videosRemoved} removed`,
    `channels ${t.channels}, playlists ${t.playlists}`,
  ]
  if (t.instancesRemoved) parts.push(`${t.instancesRemoved} instance${t.instancesRemoved === 1 ? '' : 's'} removed from the index`)
  return `${s.status === 'interrupted' ? 'interrupted' : 'done'}${s.resumed ? ' (resumed run)' : ''}: ${parts.join('; ')}`
}

function shortList(hosts: string[]): string {
  return hosts.length <= 10 ? hosts.join(', ') : `${hosts.slice(0, 10).join(', ')} and ${hosts.length - 10} more`
}
