// Choosing the interface language of a request. It comes from an explicit `?lang=` parameter (carried through every
// link and form, so no cookie is needed) or else from Accept-Language; the browser's languages are also offered
// to the search as a ranking hint (boostLanguages), never as a filter. The languages themselves live in
// views/i18n/ (one catalogue file each).

/** The language tags of an Accept-Language header, best first (q=0 entries dropped, at most 8 kept). */
export function acceptedLanguages(header: string | undefined): string[] {
  if (!header) return []
  const entries: { tag: string; q: number; index: number }[] = []
  for (const [index, part] of header.split(',').slice(0, 32).entries()) {
    const [rawTag, ...params] = part.trim().split(';')
    const tag = rawTag?.trim() ?? ''
    if (!/^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(tag)) continue
    let q = 1
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p)
      if (m) q = Number(m[1])
    }
    if (!(q > 0)) continue
    entries.push({ tag, q, index })
  }
  entries.sort((a, b) => b.q - a.q || a.index - b.index)
  return entries.slice(0, 8).map((e) => e.tag)
}

/**
 * Picks the interface language among `locales` (the reference language first): an explicit choice wins, then the
 * first browser language we have (`pt-BR` finds `pt`), then the reference language.
 */
export function negotiateLocale(locales: readonly string[], explicit: string | undefined, acceptLanguage: string | undefined): string {
  if (explicit && locales.includes(explicit)) return explicit
  for (const tag of acceptedLanguages(acceptLanguage)) {
    const exact = locales.find((l) => l.toLowerCase() === tag.toLowerCase())
    if (exact) return exact
    const primary = tag.split('-')[0]!.toLowerCase()
    if (locales.includes(primary)) return primary
  }
  return locales[0]!
}

// PeerTube language ids that carry a region or script; any other browser tag is reduced to its primary subtag.
const PEERTUBE_TAGGED_LANGUAGES = new Map(
  ['pt-PT', 'es-419', 'zh-Hans', 'zh-Hant', 'ca-valencia'].map((id) => [id.toLowerCase(), id]),
)

/** The browser's languages as PeerTube language ids, for the boostLanguages ranking hint. */
export function boostLanguagesFrom(acceptLanguage: string | undefined): string[] {
  const ids: string[] = []
  for (const tag of acceptedLanguages(acceptLanguage)) {
    const tagged = PEERTUBE_TAGGED_LANGUAGES.get(tag.toLowerCase())
    const primary = tag.split('-')[0]!.toLowerCase()
    for (const id of [tagged, primary]) {
      if (id && !ids.includes(id)) ids.push(id)
    }
  }
  return ids.slice(0, 8)
}
