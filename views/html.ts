// The only way views produce markup: hono's `html` tag, which escapes every interpolated string. The Interp type
// refuses anything but text, numbers, booleans (skipped), nullish values and already-built fragments, so an
// object or a promise can never slip into a page as "[object Object]" or leak through unescaped.
import { html as honoHtml, raw } from 'hono/html'

/** A fragment of markup that is already escaped. */
export type Html = ReturnType<typeof raw>

/** What may be interpolated into a view. */
export type Interp = string | number | boolean | null | undefined | Html | readonly Interp[]

// The templates are indented for their readers, not for browsers: a results page carries a fifth less without
// the indentation. It is taken out of each template's own text once (a template's strings are one object for the
// life of the process), never out of the values: no page element keeps leading spaces (no <pre>, <textarea> or
// white-space: pre), and text from instances is shown with collapsed white space anyway.
const unindented = new WeakMap<TemplateStringsArray, TemplateStringsArray>()

function withoutIndentation(strings: TemplateStringsArray): TemplateStringsArray {
  let out = unindented.get(strings)
  if (!out) {
    const parts = strings.map((s) => s.replace(/\n[ \t]+/g, '\n'))
    unindented.set(strings, (out = Object.assign(parts, { raw: parts }) as unknown as TemplateStringsArray))
  }
  return out
}

/** hono's `html` tag, narrowed to synchronous, escaped-by-construction values, without the templates' indentation. */
export function html(strings: TemplateStringsArray, ...values: Interp[]): Html {
  // Every value is text or an already escaped fragment, never a promise, so hono answers synchronously.
  return honoHtml(withoutIndentation(strings), ...values) as Html
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Text as an escaped fragment (the same escaping as the html tag's, valid in text and in quoted attributes). */
export function text(value: string): Html {
  return raw(value.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!)) as Html
}

/** Whether a value is an already escaped fragment rather than text. */
export function isHtml(value: unknown): value is Html {
  return value instanceof String && (value as { isEscaped?: boolean }).isEscaped === true
}

/** An http(s) URL from an instance, or null: keeps `javascript:` and other schemes out of href and src. */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null
  try {
    const u = new URL(url)
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null
  } catch {
    return null
  }
}

/** The host part of an http(s) URL, for "this link leads to <host>" labels. */
export function urlHost(url: string | null | undefined): string | null {
  const safe = safeUrl(url)
  return safe ? new URL(safe).host : null
}
