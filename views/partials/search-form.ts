import type { PageContext } from '../context.ts'
import { html, type Html } from '../html.ts'

/** The id of the search form; filter fields elsewhere on the page join it with form="…". */
export const SEARCH_FORM_ID = 'search-form'

/**
 * The search box: a GET form to /search, so it works without JavaScript and its URL can be shared. Never
 * autofocused: the skip link and the language switch must come first for keyboard users.
 */
export function searchForm(
  ctx: PageContext,
  props: { search: string; hidden: [string, string][]; size: 'large' | 'compact' },
): Html {
  const { t } = ctx
  const hidden: [string, string][] = [...props.hidden]
  if (ctx.explicitLocale) hidden.push(['lang', ctx.explicitLocale])
  return html`<form class="search-form search-form-${props.size}" id="${SEARCH_FORM_ID}" role="search" action="/search" method="get">
    <label class="visually-hidden" for="search-input">${t('searchLabel')}</label>
    <input id="search-input" type="search" name="search" value="${props.search}" placeholder="${t('searchPlaceholder')}"
      maxlength="500" enterkeyhint="search" dir="auto">
    ${hidden.map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
    <button type="submit" class="search-button">
      <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20"><circle cx="10.5" cy="10.5" r="6.5" fill="none" stroke="currentColor" stroke-width="2.2"/><path d="m15.5 15.5 5 5" stroke="currentColor" stroke-width="2.2" stroke-linecap="round"/></svg>
      <span class="search-button-text">${t('searchButton')}</span>
    </button>
  </form>`
}
