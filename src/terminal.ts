// Text that came from outside (an instance's name, version or error answer, a video title, a robots.txt line) must
// not act on the terminal it is printed to: an escape sequence in it could clear the screen, set the window title,
// rewrite earlier lines or worse. Every line the CLI and the log print goes through terminalSafe.

// C0 controls (but tab and, where allowed, newline), DEL, C1 controls, and the Unicode controls that reorder or
// hide text (bidirectional overrides and isolates, which can make a line read differently from what it says).
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g
const UNSAFE_KEEPING_NEWLINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g

/**
 * The text with every control character shown as a `\uXXXX` escape instead of acting; newlines are kept when
 * `newlines` (whole outputs), escaped otherwise (one table cell or field). The escape is the one JSON uses, so JSON
 * output stays valid JSON with the same value.
 */
export function terminalSafe(text: string, options: { newlines?: boolean } = {}): string {
  const pattern = options.newlines ? UNSAFE_KEEPING_NEWLINES : UNSAFE
  return text.replace(pattern, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
