// Errors in PeerTube's format (RFC 7807 problem details plus PeerTube's `error` and `invalid-params`), so clients
// written for PeerTube show them as they would show PeerTube's own. Never a stack trace, SQL or search text.
import type { Context } from 'hono'
import type { InvalidParam } from '../../search/params.ts'

const DOCS = 'https://docs.joinpeertube.org/api-rest-reference.html'
const TITLES: Record<number, string> = { 400: 'Bad Request', 404: 'Not Found', 500: 'Internal Server Error' }

/** A problem+json response with PeerTube's fields. */
export function problem(c: Context, status: 400 | 404 | 500, detail: string, extra: Record<string, unknown> = {}): Response {
  const url = new URL(c.req.url)
  const body = {
    type: 'about:blank',
    title: TITLES[status],
    detail,
    instance: url.pathname + url.search,
    status,
    ...extra,
    error: detail,
  }
  return c.body(JSON.stringify(body), status, { 'Content-Type': 'application/problem+json; charset=utf-8' })
}

/** PeerTube's 400 for parameters that failed validation, naming each of them. */
export function invalidParams(c: Context, params: Record<string, InvalidParam>, operation: string): Response {
  return problem(c, 400, `Incorrect request parameters: ${Object.keys(params).join(', ')}`, {
    'invalid-params': params,
    docs: `${DOCS}#operation/${operation}`,
  })
}
