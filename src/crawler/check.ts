// `sepia instances check HOST`: why an instance is or is not indexed, step by step, the way the crawler sees it.
// Each step records what it found; the problems found along the way make the verdict. Nothing is written to the
// database: a check is safe to run at any time, next to a running `sepia serve`.
import { Resolver, lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import { Agent, request } from 'undici'
import * as v from 'valibot'
import type { Config } from '../config/config.ts'
import type { Db } from '../db/open.ts'
import { adminHosts, findBlock } from '../db/moderation.ts'
import { instanceByHost, type Instance } from '../db/instances.ts'
import { isPrivateAddress, publicOnly } from './addresses.ts'
import { createFetcher, FetchError } from './http.ts'
import { fetchInstanceList } from './instance-list.ts'
import { InvalidResponse, PAGE_SIZE, ServerConfigSchema, localDialect, peertubeClient, type LocalDialect } from './peertube.ts'
import { decodePage } from './page-decoder.ts'
import { fetchRobots, productToken, robotsVerdict, type RobotsFile } from './robots.ts'

/** One DNS question's answer: addresses, or the error code (ENODATA: no record of that type). */
export type DnsAnswer = { addresses: string[]; error: string | null }

/** Everything `check` found out, in the order it looked. */
export type CheckReport = {
  host: string
  /** Whether the crawler would index it now, and why not. */
  indexable: boolean
  problems: string[]
  membership: {
    allowlistOnly: boolean
    /** True/false from the list URL read just now; null when not read (no list URL, allowlist mode, or it failed). */
    listed: boolean | null
    listNote: string
    inConfig: boolean
    addedByHand: number | null
    blocked: { by: 'config' | 'hand'; reason: string | null; since: number | null } | null
  }
  dns: {
    /** True for an IP literal: there is nothing to resolve. */
    literal: boolean
    a: DnsAnswer
    aaaa: DnsAnswer
    /** What the system resolver (/etc/hosts, then DNS) gives: the addresses the crawler actually connects to. */
    system: DnsAnswer
    private: string[]
    privateAllowed: boolean
  }
  robots: { status: RobotsFile['status'] | 'not checked'; detail: string; disallowed: { path: string; rule: string; agent: string }[] }
  http: {
    /** GET /api/v1/config: the HTTP status, or null when it did not answer. */
    status: number | null
    error: string | null
    ms: number | null
    rateLimit: { limit: string | null; remaining: string | null; reset: string | null; retryAfter: string | null }
  }
  peertube: { version: string | null; name: string | null; error: string | null }
  listing: {
    dialect: LocalDialect | null
    ok: boolean
    total: number | null
    local: number
    ignored: number
    invalid: number
    error: string | null
  }
  index: Pick<
    Instance,
    | 'lastAttemptAt' | 'lastSuccessAt' | 'lastError' | 'errorCount' | 'refused' | 'videosCount' | 'channelsCount' | 'playlistsCount'
    | 'softwareVersion' | 'claimedCount' | 'claimedBy' | 'detailsPending' | 'nextCrawlAt'
  > | null
}

/** Runs every check on one host (already normalised: lower case, optional port). */
export async function checkInstance(db: Db, config: Config, host: string): Promise<CheckReport> {
  const problems: string[] = []
  // No retries: a check shows what the instance answers at the first try (a 429 included), and quickly.
  const crawl = { ...config.crawl, maxRetries: 0, failAfterMinutes: 0 }
  const fetcher = createFetcher(crawl)
  try {
    const membership = await checkMembership(db, config, host, fetcher, problems)
    const dns = await checkDns(host, config, problems)
    const reachable = !(dns.private.length > 0 && !dns.privateAllowed) && (dns.literal || dns.system.addresses.length > 0)

    const robots: CheckReport['robots'] = { status: 'not checked', detail: 'the host cannot be reached', disallowed: [] }
    const http: CheckReport['http'] = { status: null, error: null, ms: null, rateLimit: { limit: null, remaining: null, reset: null, retryAfter: null } }
    const peertube: CheckReport['peertube'] = { version: null, name: null, error: null }
    const listing: CheckReport['listing'] = { dialect: null, ok: false, total: null, local: 0, ignored: 0, invalid: 0, error: null }

    if (reachable) {
      const file = await fetchRobots(fetcher, fetcher.originOf(host))
      robots.status = file.status
      robots.detail = file.status === 'found' ? 'read' : file.detail

      const probe = await probeConfig(crawl, fetcher.originOf(host))
      Object.assign(http, probe.http)
      if (http.status === 429) problems.push(`rate limited: /api/v1/config answered HTTP 429${http.rateLimit.retryAfter ? ` (Retry-After ${http.rateLimit.retryAfter})` : ''}`)
      else if (http.rateLimit.remaining === '0') problems.push('rate limited: X-RateLimit-Remaining is 0')
      if (http.error) problems.push(`does not answer: ${http.error}`)
      else if (http.status !== 200) {
        if (http.status !== 429) problems.push(`/api/v1/config answered HTTP ${http.status}: not a PeerTube instance, or not at this address`)
      } else {
        const parsed = v.safeParse(ServerConfigSchema, probe.body)
        if (!parsed.success) {
          peertube.error = probe.body === undefined ? 'answered something that is not JSON' : 'answered JSON that is not a PeerTube server config'
          problems.push(`/api/v1/config ${peertube.error}: not a PeerTube instance`)
        } else {
          peertube.version = parsed.output.serverVersion.slice(0, 40)
          peertube.name = parsed.output.instance?.name?.slice(0, 250) ?? null
        }
      }

      const dialect = peertube.version !== null ? localDialect(peertube.version) : null
      listing.dialect = dialect
      if (file.status === 'found') {
        const token = productToken(config.crawl.userAgent)
        const local = dialect === 'filter' ? 'filter=local' : 'isLocal=true'
        for (const path of ['/api/v1/config', `/api/v1/videos?${local}&nsfw=both&sort=-publishedAt&start=0&count=${PAGE_SIZE}`, '/api/v1/video-channels', '/api/v1/video-playlists']) {
          const verdict = robotsVerdict(file.robots, token, path)
          if (!verdict.allowed) robots.disallowed.push({ path: path.split('?')[0]!, rule: `Disallow: ${verdict.rule!.pattern}`, agent: verdict.agent! })
        }
        for (const d of robots.disallowed) problems.push(`robots.txt disallows ${d.path} for ${d.agent === '*' ? 'all crawlers' : d.agent} (${d.rule})`)
      }

      if (dialect !== null) {
        try {
          const inst = { host, origin: fetcher.originOf(host) }
          // Nothing is written: the fingerprints the decoder computes for the writer (instance id 0) go unused.
          const page = decodePage('videos', await peertubeClient(fetcher, host).videos(0, dialect), inst, 0)
          listing.ok = true
          listing.total = page.total ?? null
          for (const { n } of page.items) {
            if (n.kind === 'ok') listing.local++
            else if (n.kind === 'ignored') listing.ignored++
            else listing.invalid++
          }
          if (listing.local === 0 && page.items.length > 0) problems.push('the local-videos listing shows no indexable video (remote, private or invalid items only)')
        } catch (err) {
          listing.error = err instanceof FetchError || err instanceof InvalidResponse ? err.message : `internal error: ${(err as Error).message}`
          if (err instanceof FetchError && err.status === 429) problems.push('rate limited: the local-videos listing answered HTTP 429')
          else problems.push(`the local-videos listing fails: ${listing.error}`)
        }
      }
    }

    const row = instanceByHost(db, host)
    const index: CheckReport['index'] = row
      ? {
          lastAttemptAt: row.lastAttemptAt,
          lastSuccessAt: row.lastSuccessAt,
          lastError: row.lastError,
          errorCount: row.errorCount,
          refused: row.refused,
          videosCount: row.videosCount,
          channelsCount: row.channelsCount,
          playlistsCount: row.playlistsCount,
          softwareVersion: row.softwareVersion,
          claimedCount: row.claimedCount,
          claimedBy: row.claimedBy,
          detailsPending: row.detailsPending,
          nextCrawlAt: row.nextCrawlAt,
        }
      : null
    // Its uuids already belong to another instance, indexed from it first: they stay there (see SECURITY.md).
    if (index && index.claimedCount > 0) {
      problems.push(`${index.claimedCount} of its listed items were claimed by ${index.claimedBy.join(', ')}, indexed from there first: they stay with that instance`)
    }
    return { host, indexable: problems.length === 0, problems, membership, dns, robots, http, peertube, listing, index }
  } finally {
    await fetcher.close().catch(() => {})
  }
}

async function checkMembership(
  db: Db,
  config: Config,
  host: string,
  fetcher: ReturnType<typeof createFetcher>,
  problems: string[],
): Promise<CheckReport['membership']> {
  const { instances } = config
  const hand = adminHosts(db).find((h) => h.host === host)
  const block = findBlock(db, 'host', host)
  const blocked: CheckReport['membership']['blocked'] = instances.blocked.includes(host)
    ? { by: 'config', reason: null, since: null }
    : block
      ? { by: 'hand', reason: block.reason, since: block.createdAt }
      : null
  let listed: boolean | null = null
  // When the list cannot be read now, what it said at the last crawl stands (as the crawler itself does).
  let listedBefore = false
  let listNote: string
  if (instances.allowlistOnly) listNote = 'allowlist mode: the list URL is ignored'
  else if (!instances.listUrl) listNote = 'no list URL is configured'
  else {
    try {
      const list = await fetchInstanceList(fetcher, instances)
      listed = list.hosts.includes(host)
      listNote = `${listed ? 'named by' : 'not in'} ${instances.listUrl}${!listed && !list.complete ? ` (read only in part: instances.maxListPages)` : ''}`
    } catch (err) {
      listedBefore = instanceByHost(db, host)?.inList ?? false
      listNote = `cannot read ${instances.listUrl} (${(err as Error).message}); at the last crawl it ${listedBefore ? 'named' : 'did not name'} this host`
    }
  }
  const inConfig = instances.hosts.includes(host)
  if (blocked) problems.push(blocked.by === 'config' ? 'blocked by instances.blocked in the configuration' : `blocked by hand: ${blocked.reason}`)
  else if (!inConfig && !hand && listed !== true && !listedBefore) {
    problems.push(
      instances.allowlistOnly
        ? 'not named by the admin (allowlist mode): add it with `sepia instances add` or to instances.hosts'
        : 'not named by any source: not in the list URL, not in instances.hosts, not added with `sepia instances add`',
    )
  }
  return { allowlistOnly: instances.allowlistOnly, listed, listNote, inConfig, addedByHand: hand?.addedAt ?? null, blocked }
}

async function checkDns(host: string, config: Config, problems: string[]): Promise<CheckReport['dns']> {
  const hostname = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d+$/, '')
  const privateAllowed = config.crawl.allowPrivateAddresses
  if (isIP(hostname)) {
    const priv = isPrivateAddress(hostname) ? [hostname] : []
    if (priv.length && !privateAllowed) problems.push(`${hostname} is a private address, refused (crawl.allowPrivateAddresses is off)`)
    const self = { addresses: [hostname], error: null }
    return { literal: true, a: isIP(hostname) === 4 ? self : { addresses: [], error: null }, aaaa: isIP(hostname) === 6 ? self : { addresses: [], error: null }, system: self, private: priv, privateAllowed }
  }
  // Asked separately, so that "no IPv4 address" is told apart from "no IPv6 address" and from "no such name".
  const resolver = new Resolver({ timeout: Math.min(config.crawl.timeoutMs, 5000), tries: 2 })
  const ask = async (question: Promise<string[]>): Promise<DnsAnswer> => {
    try {
      return { addresses: await question, error: null }
    } catch (err) {
      return { addresses: [], error: (err as NodeJS.ErrnoException).code ?? (err as Error).message }
    }
  }
  const [a, aaaa, system] = await Promise.all([
    ask(resolver.resolve4(hostname)),
    ask(resolver.resolve6(hostname)),
    ask(lookup(hostname, { all: true }).then((list) => list.map((x) => x.address))),
  ])
  const all = [...new Set([...a.addresses, ...aaaa.addresses, ...system.addresses])]
  const priv = all.filter((address) => isPrivateAddress(address))
  if (system.addresses.length === 0) problems.push(`${hostname} does not resolve (${system.error ?? 'no address'})`)
  else if (a.addresses.length === 0 && aaaa.addresses.length > 0) {
    // The "listed but no videos" case: an IPv6-only name, crawled from a server without IPv6 connectivity.
    problems.push(`${hostname} has no IPv4 address (A: ${a.error ?? 'none'}): it can only be crawled over IPv6`)
  }
  if (priv.length && !privateAllowed) problems.push(`${hostname} resolves to private address ${priv.join(', ')}, refused (crawl.allowPrivateAddresses is off)`)
  return { literal: false, a, aaaa, system, private: priv, privateAllowed }
}

// One plain GET of /api/v1/config, to see what the fetcher hides: the status, the rate-limit headers and the time.
// Same address rules as the crawler (private addresses refused unless allowed), no redirects, a small body cap.
async function probeConfig(crawl: Config['crawl'], origin: string): Promise<{ http: CheckReport['http']; body: unknown }> {
  const http: CheckReport['http'] = { status: null, error: null, ms: null, rateLimit: { limit: null, remaining: null, reset: null, retryAfter: null } }
  const agent = new Agent({ connect: crawl.allowPrivateAddresses ? { timeout: crawl.timeoutMs } : { timeout: crawl.timeoutMs, lookup: publicOnly() } })
  const started = performance.now()
  try {
    const res = await request(`${origin}/api/v1/config`, {
      dispatcher: agent,
      headers: { 'user-agent': crawl.userAgent, accept: 'application/json' },
      headersTimeout: crawl.timeoutMs,
      bodyTimeout: crawl.timeoutMs,
      signal: AbortSignal.timeout(crawl.timeoutMs),
    })
    http.status = res.statusCode
    http.ms = Math.round(performance.now() - started)
    const header = (name: string) => {
      const value = res.headers[name]
      return value === undefined ? null : String(Array.isArray(value) ? value[0] : value).slice(0, 100)
    }
    http.rateLimit = { limit: header('x-ratelimit-limit'), remaining: header('x-ratelimit-remaining'), reset: header('x-ratelimit-reset'), retryAfter: header('retry-after') }
    let text = ''
    for await (const chunk of res.body) {
      text += chunk
      if (text.length > 1024 * 1024) {
        res.body.on('error', () => {}).destroy()
        break
      }
    }
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      body = undefined
    }
    return { http, body }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    http.error =
      code === 'ESEPIAPRIVATE'
        ? (err as Error).message
        : code === 'ECONNREFUSED'
          ? 'connection refused'
          : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
            ? `DNS lookup failed: ${code}`
            : (err as Error).name === 'TimeoutError' || /TIMEOUT/.test(code ?? '')
              ? `timed out after ${crawl.timeoutMs} ms`
              : `${code ?? 'network error'}: ${(err as Error).message.slice(0, 200)}`
    return { http, body: undefined }
  } finally {
    await agent.close().catch(() => {})
  }
}
