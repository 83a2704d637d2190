// ICU MessageFormat, the part of it Sepia's catalogues use, as translation tools (Weblate, Crowdin, Lokalise) edit
// it: `{name}`, `{n, plural, =0 {…} one {…} other {…}}` with `#` for the number, `{x, select, a {…} other {…}}`,
// and ICU's apostrophe quoting (`''` is one apostrophe, `'{…}'` is literal text, any other apostrophe is itself).
// Anything else (offsets, number or date styles) is refused when the catalogue is loaded, not when a page renders.

/** One piece of a parsed message. */
export type Node =
  | { kind: 'text'; value: string }
  | { kind: 'arg'; name: string }
  /** `#` inside a plural branch: the number of the nearest enclosing plural. */
  | { kind: 'pound'; name: string }
  | { kind: 'plural'; name: string; options: Map<string, Node[]> }
  | { kind: 'select'; name: string; options: Map<string, Node[]> }

/** A parsed message. */
export type Message = Node[]

/** A message that does not follow the syntax above; the text says where. */
export class MessageSyntaxError extends Error {
  override name = 'MessageSyntaxError'
}

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/y
const SELECTOR = /=\d+|[A-Za-z_][A-Za-z0-9_]*/y

/** Parses one message. */
export function parseMessage(source: string): Message {
  let i = 0
  const fail = (what: string): never => {
    throw new MessageSyntaxError(`${what} at character ${i + 1} of "${source}"`)
  }
  const skipSpace = () => {
    while (i < source.length && /\s/.test(source[i]!)) i++
  }
  const expect = (ch: string) => {
    if (source[i] !== ch) fail(`expected "${ch}"`)
    i++
  }
  const token = (re: RegExp, what: string): string => {
    re.lastIndex = i
    const m = re.exec(source)
    if (!m) return fail(`expected ${what}`)
    i += m[0].length
    return m[0]
  }

  // `plural` names the enclosing plural argument (for `#`); `nested` is true inside a branch, which ends at `}`.
  function message(plural: string | null, nested: boolean): Node[] {
    const nodes: Node[] = []
    let text = ''
    const flush = () => {
      if (text) nodes.push({ kind: 'text', value: text })
      text = ''
    }
    while (i < source.length) {
      const ch = source[i]!
      if (ch === "'") {
        const next = source[i + 1]
        if (next === "'") {
          text += "'"
          i += 2
        } else if (next === '{' || next === '}' || (plural !== null && next === '#')) {
          // Quoted literal text, up to the next lone apostrophe (or the end, as ICU does).
          i++
          while (i < source.length) {
            if (source[i] === "'" && source[i + 1] === "'") {
              text += "'"
              i += 2
            } else if (source[i] === "'") {
              i++
              break
            } else {
              text += source[i++]
            }
          }
        } else {
          text += "'"
          i++
        }
      } else if (ch === '{') {
        flush()
        nodes.push(argument(plural))
      } else if (ch === '}') {
        if (!nested) fail('unmatched "}"')
        break
      } else if (ch === '#' && plural !== null) {
        flush()
        nodes.push({ kind: 'pound', name: plural })
        i++
      } else {
        text += ch
        i++
      }
    }
    flush()
    return nodes
  }

  function argument(plural: string | null): Node {
    expect('{')
    skipSpace()
    const name = token(IDENTIFIER, 'an argument name')
    skipSpace()
    if (source[i] === '}') {
      i++
      return { kind: 'arg', name }
    }
    expect(',')
    skipSpace()
    const type = token(IDENTIFIER, 'plural or select')
    if (type !== 'plural' && type !== 'select') fail(`unsupported argument type "${type}"`)
    skipSpace()
    expect(',')
    skipSpace()
    const options = new Map<string, Node[]>()
    while (source[i] !== '}') {
      if (i >= source.length) fail('unterminated argument')
      const key = token(SELECTOR, 'a plural or select key')
      if (key.startsWith('=') && type === 'select') fail('"=n" keys belong to plural')
      if (options.has(key)) fail(`duplicate key "${key}"`)
      skipSpace()
      expect('{')
      options.set(key, message(type === 'plural' ? name : plural, true))
      expect('}')
      skipSpace()
    }
    i++
    if (!options.has('other')) fail(`"${name}" needs an "other" branch`)
    return { kind: type as 'plural' | 'select', name, options }
  }

  const nodes = message(null, false)
  return nodes
}

/** The arguments a message uses, each with how it is used (text, plural or select) and its keys. */
export function argumentsOf(message: Message): Map<string, { kind: 'arg' | 'plural' | 'select'; keys: Set<string> }> {
  const found = new Map<string, { kind: 'arg' | 'plural' | 'select'; keys: Set<string> }>()
  const walk = (nodes: Node[]) => {
    for (const n of nodes) {
      if (n.kind === 'arg') {
        if (!found.has(n.name)) found.set(n.name, { kind: 'arg', keys: new Set() })
      } else if (n.kind === 'plural' || n.kind === 'select') {
        const entry = found.get(n.name)
        const keys = entry && entry.kind === n.kind ? entry.keys : new Set<string>()
        for (const k of n.options.keys()) keys.add(k)
        found.set(n.name, { kind: n.kind, keys })
        for (const branch of n.options.values()) walk(branch)
      }
    }
  }
  walk(message)
  return found
}

/** An argument value: text, a number (plurals and `#`), or something the caller renders itself (markup). */
export type ArgValue = string | number | { toString(): string }

/** How a message is turned into output: where text and values go, how numbers print and plurals are chosen. */
export type FormatEnv = {
  plural(n: number): string
  number(n: number): string
}

/**
 * Formats a message into parts: literal text and argument values in order, so the caller decides how each is
 * escaped (text and string values always are; pre-escaped markup passes through).
 */
export function formatParts(message: Message, args: Record<string, ArgValue>, env: FormatEnv): ArgValue[] {
  const out: ArgValue[] = []
  const value = (name: string): ArgValue => {
    if (!Object.hasOwn(args, name)) throw new Error(`missing message argument "${name}"`)
    return args[name]!
  }
  const walk = (nodes: Node[]) => {
    for (const n of nodes) {
      if (n.kind === 'text') out.push(n.value)
      else if (n.kind === 'arg') out.push(value(n.name))
      else if (n.kind === 'pound') out.push(env.number(Number(value(n.name))))
      else if (n.kind === 'plural') {
        const count = Number(value(n.name))
        walk(n.options.get(`=${count}`) ?? n.options.get(env.plural(count)) ?? n.options.get('other')!)
      } else {
        walk(n.options.get(String(value(n.name))) ?? n.options.get('other')!)
      }
    }
  }
  walk(message)
  return out
}
