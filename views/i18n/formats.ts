// Numbers, dates and durations in the visitor's language, through the runtime's Intl (no data shipped here).

/** Number, date and duration formatting in one interface language. */
export type Formats = {
  number(n: number): string
  compact(n: number): string
  date(iso: string | number): string
  ago(iso: string | number): string
  /** Milliseconds from then to now (negative in the future), or NaN when the date cannot be read. */
  age(iso: string | number): number
  duration(seconds: number): string
}

type Formatters = { number: Intl.NumberFormat; compact: Intl.NumberFormat; date: Intl.DateTimeFormat; relative: Intl.RelativeTimeFormat }

// Building Intl formatters costs more than a page's whole use of them: one set per language, kept.
const formatters = new Map<string, Formatters>()

function formattersOf(locale: string): Formatters {
  let f = formatters.get(locale)
  if (!f) {
    f = {
      number: new Intl.NumberFormat(locale),
      compact: new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 }),
      date: new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }),
      relative: new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }),
    }
    formatters.set(locale, f)
  }
  return f
}

/** Builds the formatters of a language; `now` anchors relative dates ("3 days ago"). */
export function formatsFor(locale: string, now: number): Formats {
  const { number, compact, date, relative } = formattersOf(locale)
  const toMs = (v: string | number) => (typeof v === 'number' ? v : Date.parse(v))
  return {
    number: (n) => number.format(n),
    compact: (n) => compact.format(n),
    date: (v) => {
      const ms = toMs(v)
      return Number.isFinite(ms) ? date.format(ms) : ''
    },
    age: (v) => now - toMs(v),
    ago: (v) => {
      const ms = toMs(v)
      if (!Number.isFinite(ms)) return ''
      const seconds = Math.round((ms - now) / 1000)
      const abs = Math.abs(seconds)
      const units: [Intl.RelativeTimeFormatUnit, number][] = [
        ['year', 365 * 86400],
        ['month', 30 * 86400],
        ['week', 7 * 86400],
        ['day', 86400],
        ['hour', 3600],
        ['minute', 60],
      ]
      for (const [unit, size] of units) {
        if (abs >= size) return relative.format(Math.trunc(seconds / size), unit)
      }
      return relative.format(0, 'minute')
    },
    duration: (total) => {
      const s = Math.max(0, Math.floor(total))
      const h = Math.floor(s / 3600)
      const m = Math.floor((s % 3600) / 60)
      const sec = String(s % 60).padStart(2, '0')
      return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`
    },
  }
}
