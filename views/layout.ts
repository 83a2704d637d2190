import type { PageContext } from './context.ts'
import { html, type Html } from './html.ts'
import { searchForm } from './partials/search-form.ts'

/** What the layout needs from a page besides its body. */
export type LayoutProps = {
  /** The page's own title; the layout adds the site's name unless `titleNamesSite` says it is already there. */
  title: string
  titleNamesSite?: boolean
  /** Which page this is: a body class for styles, and whether the header carries its own search box. */
  kind: 'home' | 'search' | 'about' | 'error'
  /** Result pages are private to their visitor's question: keep them out of other search engines. */
  noindex?: boolean
  /** The search box of the header, prefilled on result pages; null hides it (the home page has its own). */
  headerSearch: { search: string; hidden: [string, string][] } | null
}

/** The page shell: head, skip link, header with the site's identity and language switch, main, footer. */
export function layout(ctx: PageContext, props: LayoutProps, body: Html): Html {
  const { t, site } = ctx
  const fullTitle = props.titleNamesSite ? props.title : `${props.title} – ${site.name}`
  return html`<!doctype html>
<html lang="${ctx.locale}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="color-scheme" content="light dark">
<meta name="theme-color" content="${site.themeColor}">
${props.noindex ? html`<meta name="robots" content="noindex">` : ''}
<title>${fullTitle}</title>
<meta name="description" content="${site.description}">
<link rel="stylesheet" href="${ctx.assets.css}">
<link rel="icon" href="${ctx.assets.logo}">
<link rel="search" type="application/opensearchdescription+xml" title="${site.name}" href="/opensearch.xml">
<script src="${ctx.assets.js}" defer></script>
</head>
<body class="page-${props.kind}">
<a class="skip-link" href="#main">${t('skipToContent')}</a>
<header class="site-header">
  <a class="brand" href="${ctx.link('/')}">
    <img class="brand-logo" src="${ctx.assets.logo}" alt="" width="32" height="32">
    <span class="brand-name">${site.name}</span>
  </a>
  ${props.headerSearch ? searchForm(ctx, { ...props.headerSearch, size: 'compact' }) : ''}
  ${languageSwitch(ctx)}
</header>
<main id="main" tabindex="-1">
${body}
</main>
<footer class="site-footer">
  <nav aria-label="${t('footerNavLabel')}">
    <ul class="footer-links">
      <li><a href="${ctx.link('/about')}">${t('aboutLink', { name: site.name })}</a></li>
      <li><a href="${ctx.link('/about')}#instances">${t('instancesLink')}</a></li>
      ${site.legalNoticesUrl ? html`<li><a href="${site.legalNoticesUrl}" rel="noreferrer">${t('legalNotices')}</a></li>` : ''}
      <li><a href="${site.sourceUrl}" rel="noreferrer">${t('sourceCode')}</a></li>
    </ul>
  </nav>
  <p class="footer-promise">${t('footerPromise')}</p>
</footer>
</body>
</html>`
}

// A disclosure rather than a row of links: it stays one line on a phone however many languages there are, and
// works without JavaScript. Each language is named in itself.
function languageSwitch(ctx: PageContext): Html {
  const current = ctx.languageLinks.find((l) => l.current)
  return html`<nav class="lang-switch" aria-label="${ctx.t('languageSwitchLabel')}">
  <details>
    <summary><svg aria-hidden="true" viewBox="0 0 24 24" width="18" height="18"><circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" stroke-width="1.8"/><path d="M3 12h18M12 3c2.6 2.6 3.8 5.6 3.8 9s-1.2 6.4-3.8 9c-2.6-2.6-3.8-5.6-3.8-9S9.4 5.6 12 3z" fill="none" stroke="currentColor" stroke-width="1.8"/></svg><span class="visually-hidden">${ctx.t('languageSwitchLabel')}: </span><span lang="${current?.locale}">${current?.name}</span></summary>
    <ul>
      ${ctx.languageLinks.map((l) =>
        l.current
          ? html`<li><a href="${l.href}" hreflang="${l.locale}" lang="${l.locale}" aria-current="true">${l.name}</a></li>`
          : html`<li><a href="${l.href}" hreflang="${l.locale}" lang="${l.locale}">${l.name}</a></li>`,
      )}
    </ul>
  </details>
</nav>`
}
