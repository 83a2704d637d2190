import type { MiddlewareHandler } from 'hono'

/** Options of securityHeaders(). */
export type SecurityHeadersOptions = {
  /**
   * Also let result thumbnails and avatars load over plain http (only when the crawler itself talks http, as in
   * tests against a local fake federation); https images from any origin are always allowed.
   */
  allowHttpImages?: boolean
}

/**
 * The Content-Security-Policy of every response: only our own scripts and styles (never inline ones), images
 * from anywhere over https because result thumbnails and avatars live on the instances, nothing else.
 */
export function contentSecurityPolicy({ allowHttpImages = false }: SecurityHeadersOptions = {}): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' data: https:${allowHttpImages ? ' http:' : ''}`,
    "connect-src 'self'",
    "manifest-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/**
 * Middleware setting the headers that keep visitors private and pages unframeable: a strict CSP, no Referer
 * sent to instances (so they never learn what was searched), no MIME sniffing, no powerful browser features.
 */
export function securityHeaders(options: SecurityHeadersOptions = {}): MiddlewareHandler {
  const headers: [string, string][] = [
    ['Content-Security-Policy', contentSecurityPolicy(options)],
    ['Referrer-Policy', 'no-referrer'],
    ['X-Content-Type-Options', 'nosniff'],
    ['X-Frame-Options', 'DENY'],
    ['Cross-Origin-Opener-Policy', 'same-origin'],
    [
      'Permissions-Policy',
      'accelerometer=(), browsing-topics=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), ' +
        'magnetometer=(), microphone=(), payment=(), usb=()',
    ],
  ]
  return async function securityHeadersMiddleware(c, next) {
    await next()
    for (const [name, value] of headers) {
      if (!c.res.headers.has(name)) c.res.headers.set(name, value)
    }
  }
}
