import type { PageContext } from '../context.ts'
import { html, type Html } from '../html.ts'

/** A round avatar, or a neutral disc with the name's initial when the instance has none. */
export function avatar(url: string | null, name: string, size: number, className: string, eager = false): Html {
  if (url) {
    return html`<img class="avatar ${className}" src="${url}" alt="" width="${size}" height="${size}" loading="${eager ? 'eager' : 'lazy'}">`
  }
  const initial = [...name.trim()][0]?.toLocaleUpperCase() ?? '?'
  return html`<span class="avatar avatar-initial ${className}" aria-hidden="true">${initial}</span>`
}

/**
 * The "go there" call to action, naming the host it leads to so nobody is surprised where they land. The arrow
 * is its own flex item, so it can never wrap onto a line of its own.
 */
export function goLink(href: string, text: (host: Html) => Html, host: string): Html {
  return html`<a class="go" href="${href}" rel="noreferrer">
    <span>${text(html`<strong class="host">${host}</strong>`)}</span>
    <span class="go-arrow" aria-hidden="true">↗</span>
  </a>`
}

/**
 * A line of short facts with real separators, so screen readers and copy-paste keep them apart. `heard` is said
 * first to screen readers only: what the thumbnail shows (duration, live, number of videos), which is hidden
 * from them there because the thumbnail link repeats the title link.
 */
export function facts(items: Html[], heard: string | null = null): Html {
  return html`<p class="result-facts">${heard ? html`<span class="visually-hidden">${heard}, </span>` : ''}${items.map((item, i) => (i === 0 ? item : html` · ${item}`))}</p>`
}

/** A date as the date itself, with how long ago for recent ones ("12 Jun 2025 (3 days ago)"). */
export function when(ctx: PageContext, iso: string): Html {
  const { fmt } = ctx
  const date = fmt.date(iso)
  const recent = fmt.age(iso) < 30 * 86_400_000
  return html`<time datetime="${iso}">${recent ? ctx.t('dateRecent', { date, ago: fmt.ago(iso) }) : date}</time>`
}
