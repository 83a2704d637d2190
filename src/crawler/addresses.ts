import { BlockList, isIP } from 'node:net'
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns'

// Addresses a crawler must never be talked into reaching: the host's own services, the LAN, cloud metadata
// (169.254.169.254), and ranges that are not unicast on the public Internet. IPv4-mapped IPv6 addresses
// (::ffff:127.0.0.1) are checked against the IPv4 rules by BlockList itself; the IPv6 transition ranges that carry
// an IPv4 address elsewhere (NAT64, IPv4-translated, 6to4, Teredo) are unpacked and checked below.
const blocked = new BlockList()
for (const [net, bits] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(net, bits, 'ipv4')
}
for (const [net, bits] of [
  ['::', 96], // unspecified, loopback (::1) and the deprecated IPv4-compatible form
  ['100::', 64], // discard
  ['64:ff9b:1::', 48], // local-use NAT64 (RFC 8215): operator-defined, never public
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // old site-local
  ['ff00::', 8], // multicast
] as const) {
  blocked.addSubnet(net, bits, 'ipv6')
}

// IPv6 ranges that carry an IPv4 address inside them: a packet to one of these reaches that IPv4 address through
// a translator or tunnel, so the embedded address must pass the IPv4 rules. Each entry: prefix, prefix length, and
// how to read the IPv4 address out of the 8 groups.
const EMBEDDING: { net: string; bits: number; ipv4: (g: number[]) => number }[] = [
  { net: '64:ff9b::', bits: 96, ipv4: (g) => join32(g[6]!, g[7]!) }, // NAT64 well-known prefix (RFC 6052)
  { net: '::ffff:0:0:0', bits: 96, ipv4: (g) => join32(g[6]!, g[7]!) }, // IPv4-translated (SIIT, RFC 2765)
  { net: '2002::', bits: 16, ipv4: (g) => join32(g[1]!, g[2]!) }, // 6to4 (RFC 3056)
  // Teredo (RFC 4380): the client's address, inverted, in the last 32 bits.
  { net: '2001::', bits: 32, ipv4: (g) => ~join32(g[6]!, g[7]!) >>> 0 },
]
const embedding = EMBEDDING.map((e) => {
  const list = new BlockList()
  list.addSubnet(e.net, e.bits, 'ipv6')
  return { list, ipv4: e.ipv4 }
})

function join32(high: number, low: number): number {
  return ((high << 16) | low) >>> 0
}

/** The eight 16-bit groups of an IPv6 address (a zone such as %eth0 ignored), or null if it is not one. */
export function ipv6Groups(address: string): number[] | null {
  const text = address.replace(/%.*$/, '')
  if (isIP(text) !== 6) return null
  let tail: number[] = []
  let head = text
  // A dotted IPv4 tail (::ffff:1.2.3.4) stands for the last two groups.
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text)
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number]
    tail = [(a << 8) | b, (c << 8) | d]
    head = text.slice(0, dotted.index)
    if (!head.endsWith('::')) head = head.slice(0, -1)
  }
  const [left, right] = head.includes('::') ? head.split('::') : [head, null]
  const parse = (part: string | undefined) => (part ? part.split(':').map((h) => Number.parseInt(h, 16)) : [])
  const l = parse(left)
  const r = parse(right ?? undefined)
  const missing = 8 - tail.length - l.length - r.length
  const groups = right === null ? [...l, ...tail] : [...l, ...Array<number>(missing).fill(0), ...r, ...tail]
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null
}

/** The IPv4 address an IPv6 transition address (NAT64, IPv4-translated, 6to4, Teredo) leads to, or null. */
export function embeddedIpv4(address: string): string | null {
  const family = isIP(address.replace(/%.*$/, ''))
  if (family !== 6) return null
  const groups = ipv6Groups(address)
  if (!groups) return null
  for (const e of embedding) {
    if (!e.list.check(address.replace(/%.*$/, ''), 'ipv6')) continue
    const n = e.ipv4(groups)
    return [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff].join('.')
  }
  return null
}

/**
 * True for loopback, private, link-local, unique-local, multicast and other non-public addresses (v4 and v6),
 * and for IPv6 transition addresses whose embedded IPv4 address is one of those.
 */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/%.*$/, '')
  const family = isIP(bare)
  if (family === 0) return false
  if (blocked.check(bare, family === 4 ? 'ipv4' : 'ipv6')) return true
  const inner = family === 6 ? embeddedIpv4(bare) : null
  return inner !== null && blocked.check(inner, 'ipv4')
}

/** The error a refused address produces; its message is what the crawl reports. */
export function privateAddressError(address: string): NodeJS.ErrnoException {
  const inner = embeddedIpv4(address)
  const err: NodeJS.ErrnoException = new Error(`refused private address ${address}${inner ? ` (it leads to ${inner})` : ''}`)
  err.code = 'ESEPIAPRIVATE'
  return err
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void

/** How host names become addresses: node's own dns.lookup, or (in tests) a fake DNS. Always asked for all addresses. */
export type Resolver = (hostname: string, options: LookupAllOptions, callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void

/** A `lookup` for net/tls connect options: the resolver's answer, first address or all of them as asked. */
export type Lookup = (hostname: string, options: LookupOneOptions | LookupAllOptions, callback: LookupCallback) => void

const systemResolver: Resolver = (hostname, options, callback) => dnsLookup(hostname, options, callback)

/**
 * A `lookup` for net/tls connect options that resolves as usual but fails when any resolved address is private,
 * so that the check applies to the address actually connected to (a public name pointing at 127.0.0.1 too).
 * Refusing when *any* address is private, not only the first, leaves no room for a name that alternates.
 */
export function publicOnly(resolve: Resolver = systemResolver): Lookup {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, [])
      const bad = addresses.find((a) => isPrivateAddress(a.address))
      if (bad) return callback(privateAddressError(bad.address), [])
      answer(hostname, options, addresses, callback)
    })
  }
}

/** A `lookup` that answers what the resolver says, unchecked (crawl.allowPrivateAddresses, tests). */
export function anyAddress(resolve: Resolver): Lookup {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, [])
      answer(hostname, options, addresses, callback)
    })
  }
}

/** The default checked lookup, on the system resolver. */
export const publicOnlyLookup: Lookup = publicOnly()

function answer(hostname: string, options: LookupOneOptions | LookupAllOptions, addresses: LookupAddress[], callback: LookupCallback): void {
  if (options.all) return callback(null, addresses)
  const first = addresses[0]
  if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), [])
  callback(null, first.address, first.family)
}
