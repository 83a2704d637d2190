// Plain-text output shared by the admin commands: aligned columns and short UTC dates, nothing fancy, so that
// the output reads well over SSH and greps well in scripts.
import { terminalSafe } from '../terminal.ts'

/** A date as "2024-05-01 12:34" (UTC), or "-" for none. */
export function when(t: number | null | undefined): string {
  return t === null || t === undefined ? '-' : new Date(t).toISOString().slice(0, 16).replace('T', ' ')
}

/** Aligned columns separated by two spaces; the last column is not padded. A cell is one line, whatever it holds. */
export function formatTable(header: string[], cells: string[][]): string {
  const rows = cells.map((r) => r.map((cell) => terminalSafe(cell)))
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)))
  const fmt = (r: string[]) =>
    r
      .map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd()
  return [fmt(header), ...rows.map(fmt)].join('\n')
}

/** "1 video" / "2 videos". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}
