import type { ApiChannel } from '../../src/search/types.ts'
import type { PageContext } from '../context.ts'
import { html, safeUrl, type Html } from '../html.ts'
import { avatar, goLink } from './actor.ts'
import { shorten } from './video-card.ts'

/** One channel result: avatar, name and handle, followers and videos, description, where it leads. */
export function channelCard(ctx: PageContext, ch: ApiChannel): Html {
  const { t, fmt } = ctx
  const href = safeUrl(ch.url)
  const host = href ? new URL(href).host : ch.host
  const titleId = `channel-${ch.name}-${ch.host}`.replace(/[^\w-]/g, '-')
  const facts = [
    html`<span>${t.followers(ch.followersCount, fmt.compact(ch.followersCount))}</span>`,
    html`<span>${t.videosCount(ch.videosCount, fmt.compact(ch.videosCount))}</span>`,
  ]
  const description = shorten(ch.description, 200)
  return html`<li class="result result-channel">
  <article aria-labelledby="${titleId}">
    ${avatar(ch.avatars, ch.displayName, 64, 'avatar-large')}
    <div class="result-body">
      <h3 class="result-title" id="${titleId}">${href ? html`<a href="${href}" rel="noreferrer">${ch.displayName}</a>` : ch.displayName}</h3>
      <p class="result-handle muted">${ch.name}@${ch.host}</p>
      <p class="result-facts">${facts}</p>
      ${description ? html`<p class="result-description">${description}</p>` : ''}
      ${href ? goLink(href, t.goSeeChannel, host) : ''}
    </div>
  </article>
</li>`
}
