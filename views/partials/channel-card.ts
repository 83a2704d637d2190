import type { ApiChannel } from '../../src/search/types.ts'
import type { PageContext } from '../context.ts'
import { html, safeUrl, type Html } from '../html.ts'
import { avatar, facts, goLink } from './actor.ts'
import { shorten } from './video-card.ts'

/** One channel result: avatar, name and handle, followers and videos, description, where it leads. */
export function channelCard(ctx: PageContext, ch: ApiChannel, options: { eager: boolean }): Html {
  const { t, fmt } = ctx
  const href = safeUrl(ch.url)
  const host = href ? new URL(href).host : ch.host
  const titleId = `channel-${ch.name}-${ch.host}`.replace(/[^\w-]/g, '-')
  const description = shorten(ch.description, 200)
  return html`<li class="result result-channel">
  <article aria-labelledby="${titleId}">
    ${avatar(ctx.images.channelAvatar(ch, 64), ch.displayName, 64, 'avatar-large', options.eager)}
    <div class="result-body">
      <h3 class="result-title" id="${titleId}" dir="auto">${href ? html`<a href="${href}" rel="noreferrer">${ch.displayName}</a>` : ch.displayName}</h3>
      <p class="result-handle muted">${ch.name}@${ch.host}</p>
      ${facts([
        html`<span>${t('followers', { count: ch.followersCount, n: fmt.compact(ch.followersCount) })}</span>`,
        html`<span>${t('videosCount', { count: ch.videosCount, n: fmt.compact(ch.videosCount) })}</span>`,
      ])}
      ${description ? html`<p class="result-description" dir="auto">${description}</p>` : ''}
      ${href ? goLink(href, (h) => ctx.rich('goSeeChannel', { host: h }), host) : ''}
    </div>
  </article>
</li>`
}
