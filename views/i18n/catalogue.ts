// Message catalogues: one JSON file per language in this folder (see README.md), a flat object from message key
// to ICU MessageFormat text. English (en.json) is the reference: it defines the keys, and stands in for any
// message another catalogue lacks, so a half-finished translation still gives whole pages.
import { isHtml, text, type Html } from '../html.ts'
import { raw } from 'hono/html'
import { formatParts, parseMessage, type Message } from './messageformat.ts'

/** A key of the English catalogue, so a mistyped key fails the typecheck. */
export type MessageKey = keyof typeof import('./en.json', { with: { type: 'json' } })

/** The language every page falls back to, and whose catalogue defines the keys. */
export const REFERENCE_LOCALE = 'en'

/** One language's parsed messages. */
export type Catalogue = { locale: string; messages: Map<string, Message> }

/** A message as plain text, for attributes, titles and anything the html tag escapes itself. */
export type Translate = (key: MessageKey, args?: Record<string, string | number>) => string
/** A message with escaped fragments (links, emphasis) among its arguments; text is escaped, fragments kept. */
export type RichTranslate = (key: MessageKey, args: Record<string, string | number | Html>) => Html

/** Parses a catalogue file; a syntax error names the language and the key. */
export function parseCatalogue(locale: string, json: string): Catalogue {
  let data: unknown
  try {
    data = JSON.parse(json)
  } catch (err) {
    throw new Error(`catalogue ${locale}: not valid JSON: ${(err as Error).message}`)
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error(`catalogue ${locale}: not a JSON object`)
  const messages = new Map<string, Message>()
  for (const [key, value] of Object.entries(data)) {
    if (typeof value !== 'string') throw new Error(`catalogue ${locale}: "${key}" is not a string`)
    try {
      messages.set(key, parseMessage(value))
    } catch (err) {
      throw new Error(`catalogue ${locale}: "${key}": ${(err as Error).message}`)
    }
  }
  return { locale, messages }
}

/** The plain and rich translation functions of a language, falling back to the reference catalogue per key. */
export function translators(catalogue: Catalogue, reference: Catalogue): { t: Translate; rich: RichTranslate } {
  const plural = new Intl.PluralRules(catalogue.locale)
  const number = new Intl.NumberFormat(catalogue.locale)
  const env = { plural: (n: number) => plural.select(n), number: (n: number) => number.format(n) }
  const message = (key: string): Message => {
    const m = catalogue.messages.get(key) ?? reference.messages.get(key)
    if (!m) throw new Error(`no message "${key}"`)
    return m
  }
  // Most messages of a page take no arguments: each is formatted once (the keys are the catalogue's, a finite set).
  const plain = new Map<string, string>()
  return {
    t: (key, args) => {
      if (args) return formatParts(message(key), args, env).join('')
      let s = plain.get(key)
      if (s === undefined) plain.set(key, (s = formatParts(message(key), {}, env).join('')))
      return s
    },
    rich: (key, args) =>
      raw(formatParts(message(key), args, env).map((p) => (isHtml(p) ? p.toString() : text(String(p)).toString())).join('')) as Html,
  }
}
