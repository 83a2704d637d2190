import type { ApiPlaylist } from '../../src/search/types.ts'
import type { PageContext } from '../context.ts'
import { html, safeUrl, type Html } from '../html.ts'
import { goLink } from './actor.ts'
import { shorten } from './video-card.ts'

/** One playlist result: thumbnail with its length, name, owner, date, description, where it leads. */
export function playlistCard(ctx: PageContext, p: ApiPlaylist): Html {
  const { t, fmt } = ctx
  const href = safeUrl(p.url)
  const host = href ? new URL(href).host : p.ownerAccount.host
  const thumb = safeUrl(p.thumbnailUrl)
  const titleId = `playlist-${p.uuid}`
  const owner = p.videoChannel ?? p.ownerAccount
  const ownerHref = safeUrl(owner.url)
  // The number of videos is on the thumbnail already.
  const facts = [
    html`<span>${t.updated} <time datetime="${p.updatedAt}" title="${fmt.date(p.updatedAt)}">${fmt.ago(p.updatedAt)}</time></span>`,
  ]
  const description = shorten(p.description, 200)
  const media = html`${thumb ? html`<img src="${thumb}" alt="" width="320" height="180" loading="lazy" decoding="async">` : html`<span class="thumb-placeholder"></span>`}
      <span class="badge badge-playlist">${t.videosCount(p.videosLength, fmt.number(p.videosLength))}</span>`
  return html`<li class="result result-playlist">
  <article aria-labelledby="${titleId}">
    ${href ? html`<a class="thumb" href="${href}" rel="noreferrer" tabindex="-1" aria-hidden="true">${media}</a>` : html`<div class="thumb">${media}</div>`}
    <div class="result-body">
      <h3 class="result-title" id="${titleId}">${href ? html`<a href="${href}" rel="noreferrer">${p.displayName}</a>` : p.displayName}</h3>
      <p class="result-owner">${t.playlistBy} ${ownerHref ? html`<a href="${ownerHref}" rel="noreferrer">${owner.displayName}</a>` : owner.displayName}</p>
      <p class="result-facts">${facts}</p>
      ${description ? html`<p class="result-description">${description}</p>` : ''}
      ${href ? goLink(href, t.goSeePlaylist, host) : ''}
    </div>
  </article>
</li>`
}
