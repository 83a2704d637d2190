import type { PageContext } from '../context.ts'
import { html, type Html } from '../html.ts'

/** The pages to list around the current one: first, last, and two either side, with gaps as null. */
export function pageWindow(current: number, last: number): (number | null)[] {
  const pages = new Set([1, last])
  for (let p = current - 2; p <= current + 2; p++) if (p >= 1 && p <= last) pages.add(p)
  const sorted = [...pages].sort((a, b) => a - b)
  const out: (number | null)[] = []
  for (const [i, p] of sorted.entries()) {
    const prev = sorted[i - 1]
    if (prev !== undefined && p - prev > 1) out.push(null)
    out.push(p)
  }
  return out
}

/** Previous / numbered / next page links; nothing when everything fits on one page. */
export function pagination(ctx: PageContext, props: { page: number; lastPage: number; href: (page: number) => string }): Html {
  const { t } = ctx
  const { page, lastPage } = props
  if (lastPage <= 1 || page > lastPage) return html``
  // A missing step is left out rather than shown greyed: a disabled link is noise to every visitor.
  return html`<nav class="pagination" aria-label="${t('paginationLabel')}">
    ${page > 1 ? html`<a class="page-step" rel="prev" href="${props.href(page - 1)}">${t('previousPage')}</a>` : ''}
    <ol class="page-numbers">
      ${pageWindow(page, lastPage).map((p) =>
        p === null
          ? html`<li class="page-gap" aria-hidden="true">…</li>`
          : p === page
            ? html`<li><a href="${props.href(p)}" aria-current="page" aria-label="${t('pageN', { n: p })}">${p}</a></li>`
            : html`<li><a href="${props.href(p)}" aria-label="${t('pageN', { n: p })}">${p}</a></li>`,
      )}
    </ol>
    ${page < lastPage ? html`<a class="page-step" rel="next" href="${props.href(page + 1)}">${t('nextPage')}</a>` : ''}
  </nav>`
}
