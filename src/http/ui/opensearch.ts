import type { Config } from '../../config/config.ts'
import { html } from '../../../views/html.ts'

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
