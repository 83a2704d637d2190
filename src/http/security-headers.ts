import type { MiddlewareHandler } from 'hono'
import type { Config } from '../config/config.ts'

/** Options of securityHeaders(). */
export type SecurityHeadersOptions = {
  /**
   * Where pictures may load from besides this site: nowhere when the gateway proxies them (site.proxyImages), so
   * a browser cannot contact an instance even by mistake; else any https origin (thumbnails live on the
   * instances), and http ones too when the crawler itself talks http (tests against a local fake federation).
   */
  remoteImages?: 'none' | 'https' | 'http'
  /** Origins pictures may also come from: a logo the admin hosts elsewhere (site.logoUrl). */
  imageOrigins?: string[]
}

/** The options a configuration calls for. */
export function securityOptions(config: Config): SecurityHeadersOptions {
  const logo = config.site.logoUrl && /^https?:\/\//.test(config.site.logoUrl) ? [new URL(config.site.logoUrl).origin] : []
  return {
    remoteImages: config.site.proxyImages ? 'none' : config.crawl.useHttp ? 'http' : 'https',
    imageOrigins: logo,
  }
}

/**
 * The Content-Security-Policy of every response: only our own scripts and styles (never inline ones), pictures
 * from here (and from the instances when they are not proxied), nothing else.
 */
export function contentSecurityPolicy({ remoteImages = 'https', imageOrigins = [] }: SecurityHeadersOptions = {}): string {
  const remote = remoteImages === 'none' ? [] : remoteImages === 'http' ? ['https:', 'http:'] : ['https:']
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    ['img-src', "'self'", 'data:', ...remote, ...imageOrigins].join(' '),
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
