// Reads search parameters from wherever a client puts them: the query string (repeated keys, `key[]=`,
// `key[0]=`), a JSON body on POST, or a JSON body on GET (PeerTube 2.3 to 3.1 forwarded searches that way).
import type { Context } from 'hono'

/** Parameters as a plain object, or a reason the body could not be read. */
export type Input = { ok: true; params: Record<string, unknown>; location: 'query' | 'body' } | { ok: false; detail: string }

// `tagsOneOf[]` and `tagsOneOf[0]` are `tagsOneOf` (qs, which Express and PeerTube use, reads them so).
function fromQuery(c: Context): Record<string, unknown> {
  const out: Record<string, string[]> = Object.create(null)
  for (const [rawKey, values] of Object.entries(c.req.queries())) {
    const key = rawKey.replace(/\[\d*\]$/, '')
    ;(out[key] ??= []).push(...values)
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.length === 1 ? v[0] : v]))
}

/** The request's parameters: query string merged with a JSON body when there is one (the body wins). */
export async function readInput(c: Context): Promise<Input> {
  const query = fromQuery(c)
  const text = await c.req.text().catch(() => '')
  if (text.trim() === '') return { ok: true, params: query, location: 'query' }
  const type = c.req.header('content-type') ?? ''
  // A GET with a stray non-JSON body is read from its query string, as Express would.
  if (c.req.method === 'GET' && !/json/i.test(type)) return { ok: true, params: query, location: 'query' }
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return { ok: false, detail: 'Request body is not valid JSON.' }
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, detail: 'Request body must be a JSON object.' }
  }
  return { ok: true, params: { ...query, ...(body as Record<string, unknown>) }, location: 'body' }
}
