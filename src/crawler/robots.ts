// Consent: an instance's robots.txt decides whether Sepia may crawl it (RFC 9309). The parser is small and strict
// about what matters: groups by user-agent (ours by product token, else `*`), the longest matching Allow/Disallow
// wins (Allow on a tie), `*` and `$` wildcards. A robots.txt that is missing or cannot be read allows everything,
// as the RFC says for 4xx (and as Sepia chooses for network trouble: an instance that is down fails anyway).
import { CrawlAborted, FetchError, type Fetcher } from './http.ts'

/** One Allow or Disallow line. */
export type RobotsRule = { allow: boolean; pattern: string }

/** The rules that apply to one set of user agents (lower-cased product tokens, or `*`). */
export type RobotsGroup = { agents: string[]; rules: RobotsRule[] }

/** A parsed robots.txt. */
export type Robots = { groups: RobotsGroup[] }

/** Whether a path may be fetched, and which line decided it (null: no line matched, so allowed). */
export type RobotsVerdict = { allowed: boolean; rule: RobotsRule | null; agent: string | null }

// The RFC asks parsers to read at least 500 KiB; more than that is not a robots.txt anyone wrote by hand.
const MAX_BYTES = 512 * 1024
const MAX_RULES = 10_000

/** Parses robots.txt text; unknown lines, and rules before any user-agent line, are ignored. */
export function parseRobots(text: string): Robots {
  const groups: RobotsGroup[] = []
  let current: RobotsGroup | null = null
  let rules = 0
  for (const rawLine of text.slice(0, MAX_BYTES).split(/\r\n|\r|\n/)) {
    const line = rawLine.replace(/#.*$/, '').trim()
    const colon = line.indexOf(':')
    if (colon < 0) continue
    const field = line.slice(0, colon).trim().toLowerCase().replace(/[\s_]+/g, '-')
    const value = line.slice(colon + 1).trim()
    if (field === 'user-agent' || field === 'useragent') {
      // Consecutive user-agent lines share the rules that follow them; one after rules starts a new group.
      if (!current || current.rules.length > 0) groups.push((current = { agents: [], rules: [] }))
      const agent = value === '*' ? '*' : productToken(value).toLowerCase()
      if (agent) current.agents.push(agent)
    } else if ((field === 'allow' || field === 'disallow') && current && rules < MAX_RULES) {
      // An empty Disallow means "nothing is disallowed": it matches no path, so it is simply not a rule.
      if (value === '') continue
      current.rules.push({ allow: field === 'allow', pattern: normalizePattern(value) })
      rules++
    }
  }
  return { groups: groups.filter((g) => g.agents.length > 0) }
}

/** The product token of a User-Agent ("Sepia/0.1 (…)" → "Sepia"), the name robots.txt groups match. */
export function productToken(userAgent: string): string {
  return /^[A-Za-z_-]*/.exec(userAgent.trim())![0]
}

/** Decides whether `token` (our product token) may fetch `path` (path and query, as requested). */
export function robotsVerdict(robots: Robots, token: string, path: string): RobotsVerdict {
  const ours = token.toLowerCase()
  let groups = robots.groups.filter((g) => g.agents.includes(ours))
  let agent = token
  if (groups.length === 0) {
    groups = robots.groups.filter((g) => g.agents.includes('*'))
    agent = '*'
  }
  if (groups.length === 0 || path === '/robots.txt') return { allowed: true, rule: null, agent: null }
  const target = normalizePath(path)
  let best: RobotsRule | null = null
  for (const g of groups) {
    for (const rule of g.rules) {
      if (!matches(rule.pattern, target)) continue
      const longer = !best || rule.pattern.length > best.pattern.length
      const tieWonByAllow = best !== null && rule.pattern.length === best.pattern.length && rule.allow && !best.allow
      if (longer || tieWonByAllow) best = rule
    }
  }
  return { allowed: best?.allow ?? true, rule: best, agent: best ? agent : null }
}

// Paths and patterns are compared in one form: non-ASCII characters percent-encoded as UTF-8, hex digits upper-case.
function normalizePath(path: string): string {
  const encoded = path.replace(/[^\x21-\x7e]/gu, (ch) => encodeURIComponent(ch))
  return encoded.replace(/%[0-9a-f]{2}/gi, (h) => h.toUpperCase())
}

function normalizePattern(pattern: string): string {
  const p = normalizePath(pattern).replace(/\*+/g, '*')
  // Patterns are paths; a missing leading slash is a common slip that the big crawlers forgive.
  return p.startsWith('/') || p.startsWith('*') ? p : `/${p}`
}

/**
 * Whether a pattern matches a path from its start: `*` is any run of characters, a final `$` anchors the end,
 * otherwise the pattern is a prefix. Greedy matching with backtracking to the last `*` only: linear in practice
 * and never exponential, whatever a hostile robots.txt contains.
 */
export function matches(pattern: string, path: string): boolean {
  const anchored = pattern.endsWith('$')
  const p = anchored ? pattern.slice(0, -1) : pattern + '*'
  let i = 0 // in path
  let j = 0 // in pattern
  let star = -1
  let resume = 0
  while (i < path.length) {
    if (j < p.length && p[j] !== '*' && p[j] === path[i]) {
      i++
      j++
    } else if (j < p.length && p[j] === '*') {
      star = j++
      resume = i
    } else if (star >= 0) {
      j = star + 1
      i = ++resume
    } else {
      return false
    }
  }
  while (j < p.length && p[j] === '*') j++
  return j === p.length
}

/** What fetching an instance's robots.txt gave: rules, none (4xx), or nothing readable (network, 5xx). */
export type RobotsFile =
  | { status: 'found'; robots: Robots }
  | { status: 'missing'; detail: string }
  | { status: 'unreadable'; detail: string }

/**
 * Fetches `origin/robots.txt` through the crawl's fetcher (same pacing, size cap and address rules), once: it
 * allows everything when unreadable anyway, so retrying an instance that is down would only double the load.
 */
export async function fetchRobots(fetcher: Fetcher, origin: string): Promise<RobotsFile> {
  try {
    return { status: 'found', robots: parseRobots(await fetcher.getText(`${origin}/robots.txt`, { retries: 0 })) }
  } catch (err) {
    if (err instanceof CrawlAborted) throw err
    if (err instanceof FetchError && err.status !== null && err.status >= 300 && err.status < 500) {
      return { status: 'missing', detail: err.message }
    }
    return { status: 'unreadable', detail: err instanceof FetchError ? err.message : (err as Error).message }
  }
}

/**
 * Why robots.txt forbids crawling, checking each path Sepia would request; null when every one is allowed.
 * The message names the first refused path and the line that refused it.
 */
export function robotsRefusal(file: RobotsFile, userAgent: string, paths: readonly string[]): string | null {
  if (file.status !== 'found') return null
  const token = productToken(userAgent)
  for (const path of paths) {
    const verdict = robotsVerdict(file.robots, token, path)
    if (!verdict.allowed) {
      const shown = path.split('?')[0]
      return `robots.txt disallows ${shown} for ${verdict.agent === '*' ? 'all crawlers' : token} (Disallow: ${verdict.rule!.pattern})`
    }
  }
  return null
}
