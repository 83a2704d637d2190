import type { Context } from 'hono'
import type { Config } from '../../config/config.ts'
import { html } from '../../../views/html.ts'

// A Host header as browsers send it: a name, an IPv4 address or a bracketed IPv6 address, and an optional port.
const HOST = /^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?)(:\d{1,5})?$/i

/**
 * The gateway's public origin: `site.url` when set; otherwise the address the client says it sent this request to:
 * its Host header when that is a valid host, which takes precedence over an absolute request URI. In that case
 * `fromRequest` is true: the answer is the client's word, and must not be kept by shared caches for others.
 */
export function publicOrigin(c: Context, site: Config['site']): { origin: string; fromRequest: boolean } {
  if (site.url) return { origin: site.url.replace(/\/+$/, ''), fromRequest: false }
  const header = c.req.header('host')?.trim()
  // Only in-process requests (tests) and HTTP/1.0 clients come without a Host header: their URL's host is used.
  const host = header && HOST.test(header) ? header : new URL(c.req.url).host
  return { origin: `http://${host.toLowerCase()}`, fromRequest: true }
}

/**
 * The OpenSearch description that lets browsers add this site as a search engine, with live suggestions.
 * The html tag's escaping (& < > " ') is also valid XML escaping.
 */
export function openSearchDescription(p: { site: Config['site']; origin: string; logo: string }): string {
  const logo = /^https?:\/\//.test(p.logo) ? p.logo : `${p.origin}${p.logo}`
  // Browsers show ShortName in their menus and the spec caps it at 16 characters.
  const shortName = [...p.site.name].slice(0, 16).join('')
  return html`<?xml version="1.0" encoding="UTF-8"?>
<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/" xmlns:moz="http://www.mozilla.org/2006/browser/search/">
  <ShortName>${shortName}</ShortName>
  <Description>${p.site.description}</Description>
  <InputEncoding>UTF-8</InputEncoding>
  <Image type="image/svg+xml">${logo}</Image>
  <Url type="text/html" method="get" template="${p.origin}/search?search={searchTerms}"/>
  <Url type="application/x-suggestions+json" method="get" template="${p.origin}/suggestions?search={searchTerms}"/>
  <Url type="application/opensearchdescription+xml" rel="self" template="${p.origin}/opensearch.xml"/>
  <moz:SearchForm>${p.origin}/</moz:SearchForm>
</OpenSearchDescription>
`.toString()
}

/**
 * GET /opensearch.xml. OpenSearch templates must be absolute URLs (browsers refuse relative ones). With
 * `site.url` the document is the same for everyone and cacheable for a day; without it, it names whatever host
 * the request was sent to, so it is never stored (`no-store`, `Vary: Host`): a shared cache in front of the
 * gateway must not hand one client's Host header to everybody else.
 */
export function openSearchResponse(c: Context, site: Config['site'], logo: string): Response {
  const { origin, fromRequest } = publicOrigin(c, site)
  return c.body(openSearchDescription({ site, origin, logo }), 200, {
    'Content-Type': 'application/opensearchdescription+xml; charset=utf-8',
    ...(fromRequest ? { 'Cache-Control': 'no-store', Vary: 'Host' } : { 'Cache-Control': 'public, max-age=86400' }),
  })
}
