import type { PageContext } from '../context.ts'
import { html, type Html } from '../html.ts'
import { layout } from '../layout.ts'

/** What went wrong, in the visitor's words; never internal details. */
export type ErrorProps = { title: string; message: string }

/** The page for a missing page or a failure of ours: says so plainly and offers a way on. */
export function errorPage(ctx: PageContext, p: ErrorProps): Html {
  const body = html`<div class="error-page">
  <h1>${p.title}</h1>
  <p>${p.message}</p>
  <p><a class="button" href="${ctx.link('/')}">${ctx.t('backHome')}</a></p>
</div>`
  return layout(ctx, { title: p.title, kind: 'error', noindex: true, headerSearch: { search: '', hidden: [] } }, body)
}
