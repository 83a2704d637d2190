import type { ApiPlaylist } from '../../src/search/types.ts'
import type { PageContext } from '../context.ts'
import { html, safeUrl, type Html } from '../html.ts'
import { facts, goLink, when } from './actor.ts'
import { shorten, thumbnail } from './video-card.ts'

/** One playlist result: thumbnail with its length, name, owner, date, description, where it leads. */
export function playlistCard(ctx: PageContext, p: ApiPlaylist, options: { eager: boolean }): Html {
  const { t, fmt } = ctx
  const href = safeUrl(p.url)
  const host = href ? new URL(href).host : p.ownerAccount.host
  const titleId = `playlist-${p.uuid}`
  const owner = p.videoChannel ?? p.ownerAccount
  const ownerHref = safeUrl(owner.url)
  const description = shorten(p.description, 200)
  const count = t('videosCount', { count: p.videosLength, n: fmt.number(p.videosLength) })
  const ownerName = ownerHref ? html`<a href="${ownerHref}" rel="noreferrer" dir="auto">${owner.displayName}</a>` : html`<bdi>${owner.displayName}</bdi>`
  return html`<li class="result result-playlist">
  <article aria-labelledby="${titleId}">
    ${thumbnail(ctx, { href, src: ctx.images.playlistThumbnail(p), badge: html`<span class="badge badge-playlist">${count}</span>`, sensitive: false, eager: options.eager })}
    <div class="result-body">
      <h3 class="result-title" id="${titleId}" dir="auto">${href ? html`<a href="${href}" rel="noreferrer">${p.displayName}</a>` : p.displayName}</h3>
      <p class="result-owner">${ctx.rich('playlistBy', { owner: ownerName })}</p>
      ${facts([html`<span>${ctx.rich('updated', { date: when(ctx, p.updatedAt) })}</span>`], count)}
      ${description ? html`<p class="result-description" dir="auto">${description}</p>` : ''}
      ${href ? goLink(href, (h) => ctx.rich('goSeePlaylist', { host: h }), host) : ''}
    </div>
  </article>
</li>`
}
