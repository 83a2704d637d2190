// Filters and block lists as restrictions (engine.ts): FTS5 facet expressions where they are cheap, row
// conditions where they are not. Every kind builds its restrictions with these, so a filter means the same thing,
// and costs the same, everywhere.
import type { Db } from '../db/open.ts'
import { prepared } from '../db/prepared.ts'
import type { Condition, Restrictions } from './engine.ts'
import { NOTHING, facetToken } from './facets.ts'
import { ftsToken } from './text.ts'

// An FTS5 OR of facet tokens costs one term lookup per token on every query of a search (about 15 µs each, a
// search runs a dozen queries); past this many values a row condition (a row read per match walked) is cheaper.
const MAX_FACET_TOKENS = 32

/** Restrictions under construction: facets every match has, facets none has, row conditions, allowed keys. */
export type RestrictionsBuilder = { all: string[]; none: string[]; post: Condition[]; only: number[] | null; minKey: number | null }

/** An empty builder. */
export const restrictionsBuilder = (): RestrictionsBuilder => ({ all: [], none: [], post: [], only: null, minKey: null })

/** `{facets}: ("a" OR "b")` for raw tokens. */
export function anyOf(tokens: string[]): string {
  return `{facets}: (${tokens.map(ftsToken).join(' OR ')})`
}

/**
 * "One of these values" (`tokens[i]` is the facet token of `values[i]`): facet tokens when few. A long list is
 * first reduced to the values the index holds (one capped lookup each: 500 made-up languages must not cost a row
 * read per match); what remains, if still long, becomes the row condition `condition(values)` (then the values
 * are common ones and the condition keeps many rows).
 */
export function oneOf<V>(db: Db, fts: string, b: RestrictionsBuilder, tokens: string[], values: V[], condition: (values: V[]) => Condition): void {
  if (tokens.length <= MAX_FACET_TOKENS) {
    b.all.push(anyOf(tokens))
    return
  }
  const probe = prepared(db, `SELECT 1 FROM ${fts} WHERE ${fts} MATCH ? LIMIT 1`)
  const held = tokens.flatMap((t, i) => (probe.get(`{facets}: ${ftsToken(t)}`) ? [i] : []))
  if (held.length === 0) b.all.push(NOTHING)
  else if (held.length <= MAX_FACET_TOKENS) b.all.push(anyOf(held.map((i) => tokens[i]!)))
  else b.post.push(condition(held.map((i) => values[i]!)))
}

/** The finished restrictions. */
export function build(b: RestrictionsBuilder): Restrictions {
  return {
    facets: b.all.length ? b.all.join(' AND ') : null,
    blocked: b.none.length ? `{facets}: (${b.none.map(ftsToken).join(' OR ')})` : null,
    post: b.post,
    only: b.only,
    minKey: b.minKey,
  }
}

/** The columns of a kind's table that name the owner account (`name`, `host`). */
export type OwnerColumns = { name: string; host: string }

/**
 * Block lists (PeerTube instances forward theirs with every search, thousands of entries at times). Only hosts the
 * index holds can match anything, so the lists are first reduced to those; what remains becomes facet exclusions,
 * or row conditions when it is long.
 */
export function blocks(db: Db, b: RestrictionsBuilder, owner: OwnerColumns, accounts: string[], hosts: string[]): void {
  if (accounts.length === 0 && hosts.length === 0) return
  const indexed = new Set(
    (prepared(db, 'SELECT lower(host) AS host FROM instances WHERE lower(host) IN (SELECT value FROM json_each(?))')
      .all(JSON.stringify([...hosts, ...accounts.map((a) => a.slice(a.lastIndexOf('@') + 1))])) as { host: string }[]).map((r) => r.host),
  )
  const blockedHosts = hosts.filter((h) => indexed.has(h))
  const hostSet = new Set(blockedHosts)
  const blockedAccounts = accounts.filter((a) => {
    const host = a.slice(a.lastIndexOf('@') + 1)
    return /^[^@\s]+@[^@\s]+$/.test(a) && indexed.has(host) && !hostSet.has(host)
  })
  if (blockedHosts.length + blockedAccounts.length <= MAX_FACET_TOKENS) {
    b.none.push(...blockedHosts.map((h) => facetToken('host', h)), ...blockedAccounts.map((a) => facetToken('account', a)))
    return
  }
  if (blockedHosts.length) b.post.push({ sql: `lower(${owner.host}) NOT IN (SELECT value FROM json_each(?))`, params: [JSON.stringify(blockedHosts)] })
  if (blockedAccounts.length) {
    b.post.push({
      sql: `(lower(${owner.name}) || '@' || lower(${owner.host})) NOT IN (SELECT value FROM json_each(?))`,
      params: [JSON.stringify(blockedAccounts)],
    })
  }
}
