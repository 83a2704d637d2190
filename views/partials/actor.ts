import type { ApiActorImage } from '../../src/search/types.ts'
import { html, safeUrl, type Html } from '../html.ts'

/** The smallest avatar at least `size` pixels wide (else the largest), as an absolute http(s) URL. */
export function pickAvatar(avatars: ApiActorImage[], size: number): string | null {
  const usable = avatars
    .map((a) => ({ width: a.width, url: safeUrl(a.fileUrl) ?? safeUrl(a.url) }))
    .filter((a): a is { width: number; url: string } => a.url !== null)
    .sort((a, b) => a.width - b.width)
  return (usable.find((a) => a.width >= size) ?? usable.at(-1))?.url ?? null
}

/** A round avatar, or a neutral disc with the name's initial when the instance has none. */
export function avatar(avatars: ApiActorImage[], name: string, size: number, className: string): Html {
  const url = pickAvatar(avatars, size)
  if (url) {
    return html`<img class="avatar ${className}" src="${url}" alt="" width="${size}" height="${size}" loading="lazy" decoding="async">`
  }
  const initial = [...name.trim()][0]?.toLocaleUpperCase() ?? '?'
  return html`<span class="avatar avatar-initial ${className}" aria-hidden="true">${initial}</span>`
}

/** The "go there" call to action, naming the host it leads to so nobody is surprised where they land. */
export function goLink(href: string, text: (host: Html) => Html, host: string): Html {
  return html`<a class="go" href="${href}" rel="noreferrer">
    <span>${text(html`<strong class="host">${host}</strong>`)}</span>
    <span class="go-arrow" aria-hidden="true">↗</span>
  </a>`
}
