import type { Command } from 'commander'
import { openContext } from './context.ts'
import { indexStats, type IndexStats } from '../db/stats.ts'

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
      console.log(opts.json ? JSON.stringify(stats, null, 2) : formatStats(stats))
    })
}

const when = (t: number | null) => (t === null ? '-' : new Date(t).toISOString().slice(0, 16).replace('T', ' '))

/** The human-readable form of the stats. */
export function formatStats(s: IndexStats): string {
  const lines = [
    `${s.totals.videos} videos, ${s.totals.channels} channels, ${s.totals.playlists} playlists on ${s.totals.instances} instances ` +
      `(${s.totals.failing} failing, ${s.totals.neverCrawled} not crawled yet)`,
  ]
  if (s.lastRun) {
    const r = s.lastRun
    lines.push(`last crawl: #${r.id} ${r.status} (${r.trigger}), started ${when(r.startedAt)}, finished ${when(r.finishedAt)}`)
    if (r.listError) lines.push(`  ${r.listError}`)
  } else {
    lines.push('last crawl: none yet')
  }
  if (s.nextCrawlAt !== null) lines.push(`next scheduled crawl: ${when(s.nextCrawlAt)}`)
  if (s.instances.length === 0) return lines.join('\n')
  const header = ['HOST', 'VERSION', 'VIDEOS', 'CHANNELS', 'PLAYLISTS', 'SKIPPED', 'LAST SUCCESS', 'LAST ATTEMPT', 'STATUS']
  const rows = s.instances.map((i) => [
    i.host,
    i.softwareVersion ?? '-',
    String(i.videosCount),
    String(i.channelsCount),
    String(i.playlistsCount),
    String(i.skippedCount),
    when(i.lastSuccessAt),
    when(i.lastAttemptAt),
    i.refused ? `refused: ${i.refused}` : i.lastError ? `failing ×${i.errorCount}: ${i.lastError}` : i.lastSuccessAt ? 'ok' : 'not crawled yet',
  ])
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)))
  const fmt = (r: string[]) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ')
  lines.push('', fmt(header), ...rows.map(fmt))
  return lines.join('\n')
}
