// Reads search parameters from wherever a client puts them: the query string (repeated keys, `key[]=`,
// `key[0]=`), a JSON body on POST, or a JSON body on GET (PeerTube 2.3 to 3.1 forwarded searches that way).
import type { IncomingMessage } from 'node:http'
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

// The Fetch API drops a GET's body, so under @hono/node-server it is read from the raw Node request (c.env.incoming),
// up to the same size limit as other bodies.
async function getBody(c: Context, maxBytes: number): Promise<string | null> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming
  if (!incoming || (!incoming.headers['content-length'] && !incoming.headers['transfer-encoding'])) return ''
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of incoming as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > maxBytes) return null
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** The request's parameters: query string merged with a JSON body when there is one (the body wins). */
export async function readInput(c: Context, maxBodyBytes: number): Promise<Input> {
  const query = fromQuery(c)
  const isGet = c.req.method === 'GET'
  // A GET with a stray non-JSON body is read from its query string alone, as Express would.
  if (isGet && !/json/i.test(c.req.header('content-type') ?? '')) return { ok: true, params: query, location: 'query' }
  const text = isGet ? await getBody(c, maxBodyBytes) : await c.req.text().catch(() => '')
  if (text === null) return { ok: false, detail: `Request body larger than ${maxBodyBytes} bytes.` }
  if (text.trim() === '') return { ok: true, params: query, location: 'query' }
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
