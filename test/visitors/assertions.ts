// What every answer to a visitor must be: carrying the security headers, and showing nothing of our insides.
import assert from 'node:assert/strict'
import { hasStackTrace } from '../helpers/cli.ts'

/** The headers every response must carry, whatever produced it. */
export function assertSecurityHeaders(res: Response, what: string): void {
  const csp = res.headers.get('Content-Security-Policy') ?? ''
  for (const directive of ["default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"]) {
    assert.ok(csp.includes(directive), `${what}: CSP lacks ${directive} (${csp || 'no CSP'})`)
  }
  assert.ok(!/unsafe-inline|unsafe-eval|\*/.test(csp.replace(/img-src [^;]*/, '')), `${what}: CSP allows too much: ${csp}`)
  assert.equal(res.headers.get('Referrer-Policy'), 'no-referrer', what)
  assert.equal(res.headers.get('X-Content-Type-Options'), 'nosniff', what)
  assert.equal(res.headers.get('X-Frame-Options'), 'DENY', what)
  assert.ok(res.headers.get('Permissions-Policy'), `${what}: Permissions-Policy`)
  assert.equal(res.headers.get('Set-Cookie'), null, `${what} sets no cookie`)
}

/** Stack traces, SQL errors, source paths: what a response must never show. */
export function assertNoLeak(body: string, what: string): void {
  assert.ok(!hasStackTrace(body), `${what}: stack trace`)
  assert.ok(!/SqliteError|SQLITE_[A-Z]|sqlite3?_|no such (table|column)|syntax error|fts5:/i.test(body), `${what}: SQL text`)
  assert.ok(!/\.ts:\d|\bat \/|node_modules|\/work\//.test(body), `${what}: source path`)
}
