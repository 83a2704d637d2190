import { readFileSync } from 'node:fs'

/** The HTTP body of a real recorded response in test/fixtures/ (see its SOURCES.md), unwrapped from its recorder. */
export function realFixture(name: string): any {
  const raw = JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'))
  if (name.startsWith('newpipe__')) return JSON.parse(raw.response.responseBody)
  if (name.startsWith('fjernsyn__')) return raw.body
  return raw
}
