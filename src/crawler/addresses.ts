import { BlockList, isIP } from 'node:net'
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns'

// Addresses a crawler must never be talked into reaching: the host's own services, the LAN, cloud metadata
// (169.254.169.254), and ranges that are not unicast on the public Internet. IPv4-mapped IPv6 addresses
// (::ffff:127.0.0.1) are checked against the IPv4 rules by BlockList itself.
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
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // old site-local
  ['ff00::', 8], // multicast
] as const) {
  blocked.addSubnet(net, bits, 'ipv6')
}

/** True for loopback, private, link-local, unique-local, multicast and other non-public addresses (v4 and v6). */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address)
  if (family === 0) return false
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6')
}

/** The error a refused address produces; its message is what the crawl reports. */
export function privateAddressError(address: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`refused private address ${address}`)
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
