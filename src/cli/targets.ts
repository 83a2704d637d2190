// What the admin types to name a host or an account/channel, read leniently (a pasted URL, a leading `@`) and
// checked strictly, so that a typo fails with a clear message instead of blocking nothing.
import { fail } from './context.ts'

// The same rule as the configuration's hosts: a lower-case name with an optional port.
const HOST = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/
// PeerTube's actor names: letters, digits, `_`, `.`, `-` and `:` (channel names), compared case-insensitively.
const NAME = /^[a-z0-9_.:-]{1,120}$/

/** A host from "video.example.org", "Video.Example.org:8443" or "https://video.example.org/about"; null if invalid. */
export function parseHost(input: string): string | null {
  let text = input.trim().toLowerCase()
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(text)) {
    try {
      text = new URL(text).host
    } catch {
      return null
    }
  }
  text = text.replace(/\/+$/, '')
  return HOST.test(text) && text.length <= 253 ? text : null
}

/** Like parseHost, but exits with a message naming the problem. */
export function hostArg(input: string): string {
  return parseHost(input) ?? fail(`"${input}" is not a host name such as video.example.org`)
}

/** `name@host` (or `@name@host`) → its parts, lower-cased; null if invalid. */
export function parseHandle(input: string): { name: string; host: string } | null {
  const m = /^@?([^@\s]+)@([^@\s]+)$/.exec(input.trim())
  if (!m) return null
  const name = m[1]!.toLowerCase()
  const host = parseHost(m[2]!)
  return NAME.test(name) && host ? { name, host } : null
}

/** Like parseHandle, but exits with a message naming the problem. */
export function handleArg(input: string, what: 'account' | 'channel'): { name: string; host: string } {
  const example = what === 'account' ? 'an account handle such as alice' : 'a channel handle such as alice_channel'
  return parseHandle(input) ?? fail(`"${input}" is not ${example}@video.example.org`)
}
