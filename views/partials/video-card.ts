import type { ApiVideo } from '../../src/search/types.ts'
import type { PageContext } from '../context.ts'
import { html, safeUrl, type Html } from '../html.ts'
import { avatar, goLink } from './actor.ts'

/** Descriptions are cut here: enough to recognise a video, short enough to keep the page calm and light. */
const DESCRIPTION_CHARS = 240

/** Shortens text at a word boundary, with an ellipsis when something was cut. */
export function shorten(text: string | null, max: number): string {
  const clean = (text ?? '').replace(/\s+/g, ' ').trim()
  if (clean.length <= max) return clean
  const cut = clean.slice(0, max)
  const space = cut.lastIndexOf(' ')
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s.,;:!?-]+$/, '')}…`
}

/** One video result: thumbnail, title, channel and account, facts, a short description and where it leads. */
export function videoCard(ctx: PageContext, v: ApiVideo, tagLink: (tag: string) => string): Html {
  const { t, fmt, labels } = ctx
  const href = safeUrl(v.url)
  const host = href ? new URL(href).host : v.account.host
  const thumb = safeUrl(v.thumbnailUrl) ?? safeUrl(v.previewUrl)
  const titleId = `video-${v.uuid}`
  const language = labels.language(v.language.id, v.language.id ? v.language.label : null)
  const category = labels.category(v.category.id, v.category.id !== null ? v.category.label : null)
  const channelHref = safeUrl(v.channel.url)
  const facts: Html[] = [
    html`<time datetime="${v.publishedAt}" title="${fmt.date(v.publishedAt)}">${fmt.ago(v.publishedAt)}</time>`,
    v.isLive
      ? html`<span>${t.viewers(v.viewers, fmt.compact(v.viewers))}</span>`
      : html`<span class="views" title="${t.views(v.views, fmt.number(v.views))}">${t.views(v.views, fmt.compact(v.views))}</span>`,
  ]
  if (language) facts.push(html`<span>${language}</span>`)
  if (category) facts.push(html`<span>${category}</span>`)
  const description = shorten(v.truncatedDescription ?? v.description, DESCRIPTION_CHARS)
  const media = html`
      ${thumb ? html`<img src="${thumb}" alt="" width="320" height="180" loading="lazy" decoding="async">` : html`<span class="thumb-placeholder"></span>`}
      ${v.isLive
        ? html`<span class="badge badge-live">${t.live}</span>`
        : html`<span class="badge badge-duration"><span class="visually-hidden">${t.durationLabel} </span>${fmt.duration(v.duration)}</span>`}`
  return html`<li class="result result-video${v.nsfw ? ' is-sensitive' : ''}">
  <article aria-labelledby="${titleId}">
    ${href
      ? html`<a class="thumb" href="${href}" rel="noreferrer" tabindex="-1" aria-hidden="true">${media}</a>`
      : html`<div class="thumb">${media}</div>`}
    <div class="result-body">
      <h3 class="result-title" id="${titleId}">${href ? html`<a href="${href}" rel="noreferrer">${v.name}</a>` : v.name}</h3>
      <p class="result-owner">
        ${avatar(v.channel.avatars, v.channel.displayName, 24, 'avatar-small')}
        ${channelHref ? html`<a href="${channelHref}" rel="noreferrer">${v.channel.displayName}</a>` : v.channel.displayName}
        <span class="muted">${t.byAccount(v.account.displayName)}</span>
      </p>
      <p class="result-facts">${facts}</p>
      ${v.nsfw ? html`<p><span class="badge badge-sensitive">${t.sensitive}</span></p>` : ''}
      ${description ? html`<p class="result-description">${description}</p>` : ''}
      ${v.tags.length > 0
        ? html`<ul class="tags" aria-label="${t.tagsLabel}">${v.tags.slice(0, 5).map((tag) => html`<li><a href="${tagLink(tag)}">#${tag}</a></li>`)}</ul>`
        : ''}
      ${href ? goLink(href, t.goWatchVideo, host) : ''}
    </div>
  </article>
</li>`
}
