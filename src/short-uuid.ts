// PeerTube's short UUIDs, both ways: the crawler computes them, the search reads them in queries and URLs.
// A shortUUID is the uuid's 128-bit number written in the flickrBase58 alphabet and left-padded with the
// alphabet's first letter to 22 characters (the `short-uuid` npm package's translator.fromUUID, which PeerTube
// uses). We compute it ourselves instead of trusting the instance's value, so a hostile instance cannot make one
// of its videos collide with another instance's short id.

const FLICKR_BASE58 = '123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ'
const LENGTH = 22 // ceil(128 / log2(58))
const SHORT_UUID = /^[1-9a-km-zA-HJ-NP-Z]{20,22}$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** True when the text is a canonical, hyphenated uuid (any version). */
export function isUuid(text: string): boolean {
  return UUID.test(text)
}

/** The short UUID PeerTube shows for a uuid (e.g. in /w/<shortUUID> links); throws on a malformed uuid. */
export function shortUuid(uuid: string): string {
  if (!isUuid(uuid)) throw new Error(`not a uuid: ${uuid}`)
  let n = BigInt('0x' + uuid.replaceAll('-', ''))
  let out = ''
  while (n > 0n) {
    out = FLICKR_BASE58[Number(n % 58n)] + out
    n /= 58n
  }
  return out.padStart(LENGTH, FLICKR_BASE58[0])
}

/** The uuid a PeerTube short uuid stands for, or null if the text is not one. */
export function uuidFromShort(short: string): string | null {
  if (!SHORT_UUID.test(short)) return null
  let n = 0n
  for (const ch of short) n = n * 58n + BigInt(FLICKR_BASE58.indexOf(ch))
  if (n >= 1n << 128n) return null
  const hex = n.toString(16).padStart(32, '0')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
