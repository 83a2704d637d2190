// Compression of text responses (HTML, JSON, CSS, JavaScript, XML), negotiated per request, because the single
// executable may face visitors without a reverse proxy. Pages carry no secret (no session, no token), so
// compressing them next to reflected search words leaks nothing (BREACH needs a secret to guess).
import type { MiddlewareHandler } from 'hono'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

const COMPRESSIBLE = /^(text\/|application\/([\w.+-]*json|[\w.+-]*xml|javascript)|image\/svg\+xml)/
/** Below this, compression saves less than its own framing costs. */
const MIN_BYTES = 1024

/** The encoding to use for an Accept-Encoding header: brotli, then gzip, else none. */
export function negotiateEncoding(header: string | undefined): 'br' | 'gzip' | null {
  const q = new Map<string, number>()
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';')
    if (!name) continue
    const m = params.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p)).find(Boolean)
    q.set(name, m ? Number(m[1]) : 1)
  }
  const weight = (name: string) => q.get(name) ?? q.get('*') ?? 0
  if (weight('br') > 0 && weight('br') >= weight('gzip')) return 'br'
  if (weight('gzip') > 0) return 'gzip'
  return null
}

/** Middleware compressing text responses with brotli or gzip as the client accepts, and saying so in Vary. */
export function compression(): MiddlewareHandler {
  return async function compressionMiddleware(c, next) {
    await next()
    const res = c.res
    if (!res.body || res.headers.has('Content-Encoding') || !COMPRESSIBLE.test(res.headers.get('Content-Type') ?? '')) return
    const vary = res.headers.get('Vary')
    if (!vary?.split(',').some((v) => v.trim().toLowerCase() === 'accept-encoding')) {
      res.headers.set('Vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding')
    }
    if (c.req.method === 'HEAD' || /\bno-transform\b/.test(res.headers.get('Cache-Control') ?? '')) return
    const encoding = negotiateEncoding(c.req.header('Accept-Encoding'))
    if (!encoding) return
    const body = Buffer.from(await res.arrayBuffer())
    let out: Buffer = body
    if (body.length >= MIN_BYTES) {
      // Quality 5 is brotli's sweet spot for responses made per request: a few ms at most, still smaller than gzip.
      out = encoding === 'br'
        ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } })
        : gzipSync(body, { level: 6 })
    }
    const headers = new Headers(res.headers)
    headers.delete('Content-Length')
    if (out !== body) headers.set('Content-Encoding', encoding)
    // Replaced outright, not through hono's setter, which would copy the old headers (and length) back.
    c.res = undefined
    c.res = new Response(new Uint8Array(out.buffer as ArrayBuffer, out.byteOffset, out.length), { status: res.status, statusText: res.statusText, headers })
  }
}
