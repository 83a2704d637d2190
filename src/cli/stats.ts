import type { Command } from 'commander'
import { openContext } from './context.ts'
import { indexStats, type IndexStats, type InstanceStats } from '../db/stats.ts'
import { formatTable, plural, when } from './table.ts'
import { print } from './output.ts'

/** `sepia stats [--json]`: counts per type and per instance, with each instance's crawl status. */
export function statsCommand(program: Command): void {
  program
    .command('stats')
    .description('print what the index holds, per instance, with crawl status')
    .option('--json', 'print JSON instead of a table')
    .action((opts: { json?: boolean }, cmd: Command) => {
      const { db } = openContext(cmd)
      const stats = indexStats(db)
      db.close()
      print(opts.json ? JSON.stringify(stats, null, 2) : formatStats(stats))
    })
}

/** The human-readable form of the stats. */
export function formatStats(s: IndexStats): string {
  const lines = [
    `${s.totals.videos} videos, ${s.totals.channels} channels, ${s.totals.playlists} playlists on ${s.totals.instances} instances ` +
      `(${s.totals.failing} failing, ${s.totals.neverCrawled} not crawled yet)`,
  ]
  if (s.totals.detailsPending) lines.push(`details (full descriptions, tags) still to fetch for ${plural(s.totals.detailsPending, 'video')}; they are searchable meanwhile`)
  if (s.lastRun) {
    const r = s.lastRun
    lines.push(`last crawl run: #${r.id} ${r.status} (${r.trigger}), started ${when(r.startedAt)}, finished ${when(r.finishedAt)}`)
    if (r.listError) lines.push(`  ${r.listError}`)
  } else {
    lines.push('last crawl run: none yet')
  }
  if (s.nextCrawlAt !== null) lines.push(`next read of the instance list: ${when(s.nextCrawlAt)}`)
  if (s.nextInstanceDueAt !== null) lines.push(`next instance due: ${s.nextInstanceDueAt <= Date.now() ? 'now' : when(s.nextInstanceDueAt)}`)
  if (s.instances.length === 0) return lines.join('\n')
  const header = ['HOST', 'VERSION', 'VIDEOS', 'CHANNELS', 'PLAYLISTS', 'SKIPPED', 'LISTING', 'DETAILS', 'LAST SUCCESS', 'NEXT CRAWL', 'STATUS']
  const rows = s.instances.map((i) => [
    i.host,
    i.softwareVersion ?? '-',
    String(i.videosCount),
    String(i.channelsCount),
    String(i.playlistsCount),
    String(i.skippedCount),
    listing(i),
    details(i),
    when(i.lastSuccessAt),
    i.nextCrawlAt === null || i.nextCrawlAt <= Date.now() ? 'due' : when(i.nextCrawlAt),
    status(i),
  ])
  lines.push('', formatTable(header, rows))
  return lines.join('\n')
}

// "1200/50000": videos listed by the pass in progress, of what the instance says it has; "done" once a pass completed.
function listing(i: InstanceStats): string {
  const c = i.pass?.cursor
  if (i.pass) {
    if (!c || c.kind === 'videos') return `${c?.listed ?? 0}/${i.listingTotal ?? '?'}`
    return `${c.kind}…`
  }
  return i.lastSuccessAt ? 'done' : '-'
}

// "300 pending (2 failing)", or "all" when every listed video has its details.
function details(i: InstanceStats): string {
  if (i.detailsPending === 0) return i.lastSuccessAt ? 'all' : '-'
  return `${i.detailsPending} pending${i.detailsFailing ? ` (${i.detailsFailing} failing)` : ''}`
}

function status(i: InstanceStats): string {
  const base = i.refused
    ? `refused: ${i.refused}`
    : i.lastError
      ? `failing ×${i.errorCount}: ${i.lastError} (next try ${when(i.nextCrawlAt)})`
      : i.lastSuccessAt
        ? 'ok'
        : i.pass
          ? 'first pass under way'
          : 'not crawled yet'
  const notes = [
    i.claimedCount ? `${plural(i.claimedCount, 'item')} claimed by ${i.claimedBy.join(', ')} (indexed from there first)` : '',
    i.detailsError ? `details: ${i.detailsError}` : '',
  ].filter((x) => x !== '')
  return [base, ...notes].join('; ')
}
