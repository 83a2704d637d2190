import type { ApiVideo } from '../../src/search/types.ts'
import type { PageContext } from '../context.ts'
import { html, safeUrl, type Html } from '../html.ts'
import { isLanguageTag } from '../i18n/labels.ts'
import { avatar, facts, goLink, when } from './actor.ts'

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

/** Whether two names from an instance say the same thing (then "X by X" is said once). */
export function sameName(a: string, b: string): boolean {
  const norm = (s: string) => s.normalize('NFKC').trim().toLocaleLowerCase()
  return norm(a) === norm(b)
}

/** How one result card loads its pictures: the first few of a page at once, the others when scrolled to. */
export type CardOptions = { eager: boolean }

/**
 * A thumbnail: the picture (or a neutral placeholder) and its badge, inside a link that repeats the title link
 * and is therefore hidden from assistive technology and the tab order; what the badge says is in the facts line.
 * A sensitive picture stays blurred until the visitor asks to see it, with a real control.
 */
export function thumbnail(ctx: PageContext, p: { href: string | null; src: string | null; badge: Html; sensitive: boolean; eager: boolean }): Html {
  const img = p.src
    ? html`<img src="${p.src}" alt="" width="320" height="180" loading="${p.eager ? 'eager' : 'lazy'}">`
    : html`<span class="thumb-placeholder"></span>`
  const media = html`${img}${p.badge}`
  return html`<div class="thumb">
      ${p.href ? html`<a class="thumb-link" href="${p.href}" rel="noreferrer" tabindex="-1" aria-hidden="true">${media}</a>` : html`<div class="thumb-link">${media}</div>`}
      ${p.sensitive && p.src ? html`<label class="reveal"><input type="checkbox" class="reveal-input"><span>${ctx.t('revealSensitive')}</span></label>` : ''}
    </div>`
}

/** One video result: thumbnail, title, channel and account, facts, a short description and where it leads. */
export function videoCard(ctx: PageContext, v: ApiVideo, tagLink: (tag: string) => string, options: CardOptions): Html {
  const { t, fmt, labels } = ctx
  const href = safeUrl(v.url)
  const host = href ? new URL(href).host : v.account.host
  const titleId = `video-${v.uuid}`
  const lang = isLanguageTag(v.language.id) ? v.language.id : null
  const language = labels.language(v.language.id, v.language.id ? v.language.label : null)
  const category = labels.category(v.category.id, v.category.id !== null ? v.category.label : null)
  const channelHref = safeUrl(v.channel.url)
  const duration = fmt.duration(v.duration)
  const items: Html[] = [when(ctx, v.publishedAt)]
  // A live video's viewer count is only as fresh as the last crawl, hours ago: showing it would mislead.
  if (!v.isLive) items.push(html`<span class="views" title="${t('views', { count: v.views, n: fmt.number(v.views) })}">${t('views', { count: v.views, n: fmt.compact(v.views) })}</span>`)
  if (language) items.push(html`<span>${language}</span>`)
  if (category) items.push(html`<span>${category}</span>`)
  if (v.originallyPublishedAt) items.push(html`<span>${t('originallyPublished', { date: fmt.date(v.originallyPublishedAt) })}</span>`)
  const description = shorten(v.truncatedDescription ?? v.description, DESCRIPTION_CHARS)
  const badge = v.isLive
    ? html`<span class="badge badge-live">${t('live')}</span>`
    : html`<span class="badge badge-duration">${duration}</span>`
  return html`<li class="result result-video${v.nsfw ? ' is-sensitive' : ''}">
  <article aria-labelledby="${titleId}">
    ${thumbnail(ctx, { href, src: ctx.images.videoThumbnail(v), badge, sensitive: v.nsfw, eager: options.eager })}
    <div class="result-body">
      <h3 class="result-title" id="${titleId}" dir="auto" ${lang ? html`lang="${lang}"` : ''}>${href ? html`<a href="${href}" rel="noreferrer">${v.name}</a>` : v.name}</h3>
      <p class="result-owner">
        ${avatar(ctx.images.videoChannelAvatar(v, 24), v.channel.displayName, 24, 'avatar-small', options.eager)}
        ${channelHref ? html`<a href="${channelHref}" rel="noreferrer" dir="auto">${v.channel.displayName}</a>` : html`<bdi>${v.channel.displayName}</bdi>`}
        ${sameName(v.channel.displayName, v.account.displayName) ? '' : html`<span class="muted">${ctx.rich('byAccount', { name: html`<bdi>${v.account.displayName}</bdi>` })}</span>`}
      </p>
      ${facts(items, v.isLive ? t('live') : t('durationHeard', { duration }))}
      ${v.nsfw ? html`<p><span class="badge badge-sensitive">${t('sensitive')}</span></p>` : ''}
      ${description ? html`<p class="result-description" dir="auto" ${lang ? html`lang="${lang}"` : ''}>${description}</p>` : ''}
      ${v.tags.length > 0
        ? html`<ul class="tags" aria-label="${t('tagsLabel')}">${v.tags.slice(0, 5).map((tag) => html`<li><a href="${tagLink(tag)}">#<bdi>${tag}</bdi></a></li>`)}</ul>`
        : ''}
      ${href ? goLink(href, (h) => ctx.rich('goWatchVideo', { host: h }), host) : ''}
    </div>
  </article>
</li>`
}
