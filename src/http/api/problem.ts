// Errors in PeerTube's format (RFC 7807 problem details plus PeerTube's `error` and `invalid-params`), so clients
// written for PeerTube show them as they would show PeerTube's own. Never a stack trace, SQL or search text.
// Every problem+json answer of the gateway is built here, whichever layer refuses the request.
import type { Context } from 'hono'
import type { InvalidParam } from '../../search/params.ts'

const DOCS = 'https://docs.joinpeertube.org/api-rest-reference.html'
const TITLES = {
  400: 'Bad Request',
  404: 'Not Found',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
} as const

/** The statuses the gateway answers with a problem. */
export type ProblemStatus = keyof typeof TITLES

/** A problem+json response with PeerTube's fields; headers already set on `c` (Retry-After, CORS) are kept. */
export function problem(c: Context, status: ProblemStatus, detail: string, extra: Record<string, unknown> = {}): Response {
  const url = new URL(c.req.url)
  const body = {
    type: 'about:blank',
    title: TITLES[status],
    detail,
    instance: url.pathname + url.search,
    status,
    ...extra,
    // PeerTube's deprecated `error` repeats the detail; older clients read only this field.
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
