// JSON from an instance, parsed only once it is known to be small enough to build. The body size is capped while
// it streams (crawl.maxResponseBytes), but what JSON.parse builds from it is not proportional to its bytes: 6 MB of
// `[[[[…` nests three million arrays and once took 520 MB. One pass over the bytes counts the nesting depth and
// the number of values before anything is built; PeerTube's answers are a few levels deep and a page of 100 videos
// holds about 15,000 values, so the limits below leave a wide margin and still bound memory per response.

/** The most nesting levels and values one answer may hold. */
export const JSON_LIMITS = { depth: 64, values: 250_000 } as const

/** JSON that is valid but larger than the limits, or not JSON at all; the message says which. */
export class JsonRefused extends Error {
  override name = 'JsonRefused'
}

const QUOTE = 0x22
const BACKSLASH = 0x5c
const COMMA = 0x2c
const COLON = 0x3a
const OPEN_ARRAY = 0x5b
const CLOSE_ARRAY = 0x5d
const OPEN_OBJECT = 0x7b
const CLOSE_OBJECT = 0x7d

// Whether the quote at `at` follows an odd run of backslashes (the string's opening quote stops the run).
function escaped(bytes: Buffer, at: number): boolean {
  let k = at - 1
  while (bytes[k] === BACKSLASH) k--
  return (at - 1 - k) % 2 === 1
}

/** Checks the nesting and value count of a UTF-8 JSON body, then parses it; throws JsonRefused. */
export function parseBoundedJson(bytes: Buffer, limits: { depth: number; values: number } = JSON_LIMITS): unknown {
  let depth = 0
  // Every value but the first is preceded by a comma or a colon, or opens a container: counting those bounds the
  // values (an upper bound: a key and its colon count twice), and with them what JSON.parse would allocate.
  let values = 1
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!
    if (b === QUOTE) {
      // A string is skipped whole, found by memchr rather than byte by byte here (most of a page's bytes are text):
      // it ends at the first quote after an even run of backslashes. Unterminated, it is left to JSON.parse.
      let end = i
      do end = bytes.indexOf(QUOTE, end + 1)
      while (end !== -1 && escaped(bytes, end))
      if (end === -1) break
      i = end
      continue
    }
    if (b === OPEN_ARRAY || b === OPEN_OBJECT) {
      if (++depth > limits.depth) throw new JsonRefused(`answered JSON nested deeper than ${limits.depth} levels`)
      values++
    } else if (b === CLOSE_ARRAY || b === CLOSE_OBJECT) depth--
    else if (b === COMMA || b === COLON) values++
    else continue
    if (values > limits.values) throw new JsonRefused(`answered JSON of more than ${limits.values} values`)
  }
  try {
    return JSON.parse(bytes.toString('utf8'))
  } catch {
    throw new JsonRefused('answered something that is not JSON')
  }
}
