import type { PageContext } from '../context.ts'
import { html, type Html } from '../html.ts'
import { layout } from '../layout.ts'
import { searchForm } from '../partials/search-form.ts'

/** What the home page shows about the index. */
export type HomeProps = { counts: { videos: number; instances: number } }

/** The home page: what this is, a search box, how much is indexed, and what a click on a result does. */
export function homePage(ctx: PageContext, p: HomeProps): Html {
  const { t, fmt, site } = ctx
  const body = html`<section class="hero" aria-labelledby="site-title">
  <img class="hero-logo" src="${ctx.assets.logo}" alt="" width="88" height="88">
  <h1 id="site-title">${site.name}</h1>
  <p class="hero-description">${site.description}</p>
  ${searchForm(ctx, { search: '', hidden: [], size: 'large' })}
  <p class="hero-stats">${t('indexStats', { videos: p.counts.videos, v: fmt.number(p.counts.videos), instances: p.counts.instances, i: fmt.number(p.counts.instances) })}</p>
</section>
<section class="explain" aria-labelledby="explain-title">
  <h2 id="explain-title" class="visually-hidden">${t('howItWorks')}</h2>
  <ul class="explain-list">
    <li>
      <h3>${t('explainFederationTitle')}</h3>
      <p>${t('explainFederation')}</p>
    </li>
    <li>
      <h3>${t('explainOriginTitle')}</h3>
      <p>${t('explainOrigin')}</p>
    </li>
    <li>
      <h3>${t('explainPrivacyTitle')}</h3>
      <p>${t('explainPrivacy')}</p>
    </li>
  </ul>
  <p class="explain-more"><a href="${ctx.link('/about')}">${t('aboutMore', { name: site.name })}</a></p>
</section>`
  return layout(ctx, { title: `${site.name} – ${t('tagline')}`, titleNamesSite: true, kind: 'home', headerSearch: null }, body)
}
