import type { Command } from 'commander'
import type { Config } from '../config/config.ts'
import type { Db } from '../db/open.ts'
import { openContext, fail } from './context.ts'
import { hostArg } from './targets.ts'
import { formatTable, plural, when } from './table.ts'
import { allInstances } from '../db/instances.ts'
import { addHost, adminHosts, allBlocks, block, describeRemoved, removeHost, unblock } from '../db/moderation.ts'
import { applyConfiguredMembership } from '../crawler/run.ts'
import { checkInstance, type CheckReport, type DnsAnswer } from '../crawler/check.ts'
import { discoverInstances, type DiscoverResult } from '../crawler/discover.ts'
import { print } from './output.ts'

/** Where Sepia knows an instance from: its sources, or why it is out. */
export type InstanceSource = 'list' | 'config' | 'hand' | 'blocked-config' | 'blocked-hand'

/** One line of `sepia instances list`: every instance Sepia knows of, indexed or not. */
export type KnownInstance = {
  host: string
  sources: InstanceSource[]
  /** ok, failing, refused (robots.txt), not crawled yet, blocked, or pending (named, enters at the next crawl). */
  status: 'ok' | 'failing' | 'refused' | 'not crawled yet' | 'blocked' | 'pending'
  blockReason: string | null
  blockedAt: number | null
  addedAt: number | null
  version: string | null
  videos: number
  channels: number
  playlists: number
  lastAttemptAt: number | null
  lastSuccessAt: number | null
  lastError: string | null
  errorCount: number
  refused: string | null
}

/** Every instance Sepia knows of: indexed ones, and those named or blocked by the configuration or by hand. */
export function knownInstances(db: Db, config: Config): KnownInstance[] {
  const byHost = new Map<string, KnownInstance>()
  const entry = (host: string): KnownInstance => {
    let e = byHost.get(host)
    if (!e) {
      byHost.set(host, (e = {
        host, sources: [], status: 'pending', blockReason: null, blockedAt: null, addedAt: null, version: null, videos: 0, channels: 0,
        playlists: 0, lastAttemptAt: null, lastSuccessAt: null, lastError: null, errorCount: 0, refused: null,
      }))
    }
    return e
  }
  for (const i of allInstances(db)) {
    const e = entry(i.host)
    if (i.inList && !config.instances.allowlistOnly) e.sources.push('list')
    Object.assign(e, {
      version: i.softwareVersion, videos: i.videosCount, channels: i.channelsCount, playlists: i.playlistsCount,
      lastAttemptAt: i.lastAttemptAt, lastSuccessAt: i.lastSuccessAt, lastError: i.lastError, errorCount: i.errorCount, refused: i.refused,
      status: i.refused ? 'refused' : i.lastError ? 'failing' : i.lastSuccessAt ? 'ok' : 'not crawled yet',
    })
  }
  for (const host of config.instances.hosts) entry(host).sources.push('config')
  for (const h of adminHosts(db)) {
    const e = entry(h.host)
    e.sources.push('hand')
    e.addedAt = h.addedAt
  }
  for (const host of config.instances.blocked) {
    const e = entry(host)
    e.sources.push('blocked-config')
    e.status = 'blocked'
  }
  for (const b of allBlocks(db).filter((x) => x.kind === 'host')) {
    const e = entry(b.host)
    e.sources.push('blocked-hand')
    Object.assign(e, { status: 'blocked', blockReason: b.reason, blockedAt: b.createdAt })
  }
  return [...byHost.values()].sort((a, b) => a.host.localeCompare(b.host))
}

const SOURCE_LABELS: Record<InstanceSource, string> = {
  list: 'list',
  config: 'config',
  hand: 'added',
  'blocked-config': 'blocked(config)',
  'blocked-hand': 'blocked',
}

/** The table of `sepia instances list`. */
export function formatKnownInstances(list: KnownInstance[], config: Config): string {
  const lines: string[] = []
  if (config.instances.allowlistOnly) lines.push('allowlist mode: only instances.hosts and hosts added by hand are indexed; the list URL is ignored', '')
  if (list.length === 0) return [...lines, 'no instances known yet: run `sepia crawl`, or add one with `sepia instances add HOST`'].join('\n')
  const rows = list.map((i) => [
    i.host,
    i.sources.map((s) => SOURCE_LABELS[s]).join(',') || '-',
    i.status === 'failing' ? `failing ×${i.errorCount}` : i.status,
    i.version ?? '-',
    String(i.videos),
    String(i.channels),
    String(i.playlists),
    when(i.lastSuccessAt),
    i.status === 'blocked' ? (i.blockReason ? `${i.blockReason} (since ${when(i.blockedAt)})` : 'blocked by instances.blocked') : (i.refused ?? i.lastError ?? ''),
  ])
  lines.push(formatTable(['HOST', 'SOURCE', 'STATUS', 'VERSION', 'VIDEOS', 'CHANNELS', 'PLAYLISTS', 'LAST SUCCESS', 'LAST ERROR / REASON'], rows))
  const count = (s: KnownInstance['status']) => list.filter((i) => i.status === s).length
  lines.push('', `${plural(list.length, 'instance')}: ${count('ok')} ok, ${count('failing')} failing, ${count('refused')} refused, ` +
    `${count('not crawled yet') + count('pending')} not crawled yet, ${count('blocked')} blocked`)
  return lines.join('\n')
}

/** `sepia instances …`: list, add, remove, block, unblock, check and discover instances. */
export function instancesCommand(program: Command): void {
  const instances = program
    .command('instances')
    .description('manage the instances Sepia indexes: list, add, remove, block, unblock, check, discover')

  instances
    .command('list')
    .description('every known instance with its source (list URL, config, added, blocked), crawl status and counts')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }, cmd: Command) => {
      const { config, db } = openContext(cmd)
      const list = knownInstances(db, config)
      db.close()
      print(opts.json ? JSON.stringify({ allowlistOnly: config.instances.allowlistOnly, instances: list }, null, 2) : formatKnownInstances(list, config))
    })

  instances
    .command('add <host>')
    .description('index HOST from the next crawl on (even if the list URL does not name it, and in allowlist mode)')
    .option('--reason <text>', 'why, for the moderation log')
    .action((input: string, opts: { reason?: string }, cmd: Command) => {
      const host = hostArg(input)
      const { config, db } = openContext(cmd)
      if (config.instances.blocked.includes(host)) fail(`${host} is blocked by instances.blocked in ${config.file ?? 'the configuration'}; remove it there first`)
      const r = addHost(db, host, opts.reason?.trim() || null)
      db.close()
      if (r.blocked) fail(`${host} is blocked (${r.blocked.reason}); unblock it first with \`sepia instances unblock ${host}\``)
      print(r.status === 'added'
        ? `added ${host}: it will be crawled at the next crawl (or now: sepia crawl --host ${host})`
        : `${host} was already added`)
    })

  instances
    .command('remove <host>')
    .description('undo `add`: HOST leaves the index with its content, unless the list URL or instances.hosts names it')
    .option('--reason <text>', 'why, for the moderation log')
    .action((input: string, opts: { reason?: string }, cmd: Command) => {
      const host = hostArg(input)
      const { config, db } = openContext(cmd)
      // In allowlist mode the list URL names nothing: make the database say so before deciding what stays.
      if (config.instances.allowlistOnly) applyConfiguredMembership(db, config)
      const r = removeHost(db, host, config.instances.hosts, opts.reason?.trim() || null)
      db.close()
      const why = r.stillIndexedBy.map((s) => (s === 'list' ? 'the list URL' : 'instances.hosts')).join(' and ')
      if (r.status === 'not-added') {
        fail(`${host} was not added by hand${why ? `; it is indexed because ${why} names it: block it to stop indexing it` : ''}`)
      }
      if (r.stillIndexedBy.length) print(`removed ${host} from the hosts added by hand; it stays indexed because ${why} names it (block it to stop indexing it)`)
      else print(`removed ${host}: ${r.removed ? describeRemoved(r.removed) : 'it was not crawled yet'}`)
    })

  instances
    .command('block <host>')
    .description('stop indexing HOST: its content is removed from the index at once and it is never crawled again')
    .requiredOption('--reason <text>', 'why (recorded in the moderation log; public if moderation.publishBlocks is on)')
    .action((input: string, opts: { reason: string }, cmd: Command) => {
      const host = hostArg(input)
      const reason = opts.reason.trim() || fail('--reason must not be empty')
      const { db } = openContext(cmd)
      const r = block(db, 'host', host, '', reason)
      db.close()
      if (r.status === 'already') print(`${host} was already blocked since ${when(r.block.createdAt)}: ${r.block.reason}`)
      else print(`blocked ${host}: ${describeRemoved(r.removed)}`)
    })

  instances
    .command('unblock <host>')
    .description('lift a block made with `block`; HOST is indexed again if a source names it')
    .option('--reason <text>', 'why, for the moderation log')
    .action((input: string, opts: { reason?: string }, cmd: Command) => {
      const host = hostArg(input)
      const { config, db } = openContext(cmd)
      const r = unblock(db, 'host', host, '', opts.reason?.trim() || null)
      if (r.status === 'not-blocked') {
        db.close()
        if (config.instances.blocked.includes(host)) fail(`${host} is blocked by instances.blocked in ${config.file ?? 'the configuration'}: remove it there`)
        fail(`${host} is not blocked`)
      }
      // A host named by the admin comes back at once; one only the list URL names, at the next crawl's list.
      applyConfiguredMembership(db, config)
      const back = allInstances(db).some((i) => i.host === host)
      db.close()
      if (config.instances.blocked.includes(host)) print(`unblocked ${host} by hand, but instances.blocked in the configuration still blocks it`)
      else if (back) print(`unblocked ${host}: it will be crawled at the next crawl`)
      else print(`unblocked ${host}: it will be indexed again if the list URL names it at the next crawl (or add it: sepia instances add ${host})`)
    })

  instances
    .command('check <host>')
    .description('explain why HOST is or is not indexed: sources, blocks, DNS (IPv4/IPv6), robots.txt, API, version, listing, rate limits')
    .option('--json', 'print JSON')
    .action(async (input: string, opts: { json?: boolean }, cmd: Command) => {
      const host = hostArg(input)
      const { config, db } = openContext(cmd)
      const report = await checkInstance(db, config, host)
      db.close()
      print(opts.json ? JSON.stringify(report, null, 2) : formatCheck(report, config))
      // Scripts can tell "fine" from "something stops it" by the exit code.
      if (!report.indexable) process.exitCode = 1
    })

  instances
    .command('discover')
    .description('propose hosts found in the follower/following lists of indexed instances (indexes nothing)')
    .option('--max-pages <n>', 'pages of 100 follows to read per list and instance', (x) => Number(x), 10)
    .option('--json', 'print JSON')
    .action(async (opts: { maxPages: number; json?: boolean }, cmd: Command) => {
      if (!Number.isInteger(opts.maxPages) || opts.maxPages < 1 || opts.maxPages > 1000) fail('--max-pages must be an integer between 1 and 1000')
      const { config, db } = openContext(cmd)
      const result = await discoverInstances({ db, config, maxPages: opts.maxPages })
      db.close()
      print(opts.json ? JSON.stringify(result, null, 2) : formatDiscover(result))
    })
}

function dnsLine(a: DnsAnswer): string {
  return a.addresses.length ? a.addresses.join(', ') : `no address (${a.error ?? 'none'})`
}

/** The human-readable form of a check: one line per fact, then the verdict. */
export function formatCheck(r: CheckReport, config: Config): string {
  const m = r.membership
  const named = [
    m.listed ? 'the list URL' : null,
    m.inConfig ? 'instances.hosts' : null,
    m.addedByHand !== null ? `added by hand on ${when(m.addedByHand)}` : null,
  ].filter((x) => x !== null)
  const lines = [`instance ${r.host}`, '']
  const row = (label: string, text: string) => lines.push(`  ${label.padEnd(16)} ${text}`)
  lines.push('sources')
  row('named by', named.length ? named.join(', ') : 'nothing')
  row('list URL', m.listNote)
  row('blocked', m.blocked ? (m.blocked.by === 'config' ? 'yes, by instances.blocked' : `yes, on ${when(m.blocked.since)}: ${m.blocked.reason}`) : 'no')
  lines.push('dns')
  if (r.dns.literal) row('address', `${r.dns.system.addresses[0]} (an IP address: nothing to resolve)`)
  else {
    row('A (IPv4)', dnsLine(r.dns.a))
    row('AAAA (IPv6)', dnsLine(r.dns.aaaa))
    row('system resolver', `${dnsLine(r.dns.system)} (what the crawler connects to)`)
  }
  if (r.dns.private.length) {
    row('private', `${r.dns.private.join(', ')}: ${r.dns.privateAllowed ? 'allowed by crawl.allowPrivateAddresses' : 'refused (crawl.allowPrivateAddresses is off)'}`)
  }
  lines.push('http')
  const robots =
    r.robots.status === 'found'
      ? r.robots.disallowed.length
        ? r.robots.disallowed.map((d) => `disallows ${d.path} for ${d.agent === '*' ? 'all crawlers' : d.agent} (${d.rule})`).join('; ')
        : `allows ${config.crawl.userAgent.split(/[/ ]/)[0]}`
      : r.robots.status === 'missing'
        ? `none (${r.robots.detail}): crawling allowed`
        : r.robots.status === 'unreadable'
          ? `could not be read (${r.robots.detail}): crawling allowed`
          : 'not checked (the host cannot be reached)'
  row('robots.txt', robots)
  row('/api/v1/config', r.http.error ? `no answer: ${r.http.error}` : r.http.status === null ? 'not checked' : `HTTP ${r.http.status} in ${r.http.ms} ms`)
  const rl = r.http.rateLimit
  if (r.http.status !== null) {
    row('rate limit', rl.remaining !== null ? `${rl.remaining} of ${rl.limit ?? '?'} requests left${rl.reset ? `, reset ${rl.reset}` : ''}${r.http.status === 429 ? ' (answered 429)' : ''}` : r.http.status === 429 ? `answered 429${rl.retryAfter ? `, Retry-After ${rl.retryAfter}` : ''}` : 'not announced')
  }
  row('PeerTube', r.peertube.version ? `version ${r.peertube.version}${r.peertube.name ? ` ("${r.peertube.name}")` : ''}` : r.peertube.error ?? 'unknown')
  const l = r.listing
  row('local videos', l.dialect === null ? 'not checked' : l.ok
    ? `listing works (${l.dialect === 'filter' ? 'filter=local' : 'isLocal=true'}): ${l.total ?? '?'} in all; first page ${l.local} indexable, ${l.ignored} remote or not public, ${l.invalid} invalid`
    : `listing fails (${l.dialect === 'filter' ? 'filter=local' : 'isLocal=true'}): ${l.error}`)
  lines.push('index')
  if (!r.index) row('status', 'not in the index')
  else {
    const i = r.index
    row('last attempt', when(i.lastAttemptAt))
    row('last success', when(i.lastSuccessAt))
    if (i.refused) row('refused', i.refused)
    if (i.lastError) row('last error', `${i.lastError} (${plural(i.errorCount, 'failed crawl')} in a row)`)
    row('indexed', `${plural(i.videosCount, 'video')}, ${plural(i.channelsCount, 'channel')}, ${plural(i.playlistsCount, 'playlist')}`)
    if (i.claimedCount) row('claimed', `${plural(i.claimedCount, 'item')} of its listing claimed by ${i.claimedBy.join(', ')} (indexed from there first)`)
    if (i.detailsPending) row('details', `${i.detailsPending} still to fetch (searchable meanwhile)`)
  }
  lines.push('')
  if (r.indexable) lines.push(r.index?.lastSuccessAt ? 'verdict: indexed, and nothing stops the next crawl' : 'verdict: nothing stops it; it will be indexed at the next crawl')
  else lines.push('verdict: NOT indexable', ...r.problems.map((p) => `  - ${p}`))
  return lines.join('\n')
}

/** The human-readable form of discover's proposals. */
export function formatDiscover(r: DiscoverResult): string {
  const lines: string[] = []
  for (const s of r.sources) {
    if (s.error) lines.push(`${s.host}: ${s.error}`)
  }
  if (r.proposals.length === 0) {
    lines.push(`no new hosts found in the follow lists of ${plural(r.sources.length, 'indexed instance')}`)
    return lines.join('\n')
  }
  const rows = r.proposals.map((p) => [p.host, p.seenBy.map((s) => `${s.relation === 'follower' ? 'follows' : 'followed by'} ${s.instance}`).join(', ')])
  lines.push(formatTable(['HOST', 'SEEN'], rows))
  lines.push('', `${plural(r.proposals.length, 'host')} not indexed yet. Review them (sepia instances check HOST), then: sepia instances add HOST`)
  return lines.join('\n')
}
