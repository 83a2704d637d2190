// The private-address rules, IPv6 transition ranges included (issue 9, item 6): an address that leads to a private
// IPv4 address through NAT64, SIIT, 6to4 or Teredo is private, whatever it looks like.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { LookupAddress } from 'node:dns'
import { embeddedIpv4, ipv6Groups, isPrivateAddress } from '../../src/crawler/addresses.ts'
import { createFetcher, FetchError } from '../../src/crawler/http.ts'
import type { Resolver } from '../../src/crawler/addresses.ts'
import { parseConfig } from '../../src/config/config.ts'
import { startServer } from '../helpers/server.ts'

test('IPv6 addresses are read into their eight groups, dotted IPv4 tails and zones included', () => {
  const hex = (a: string) => ipv6Groups(a)?.map((g) => g.toString(16)).join(':')
  assert.equal(hex('::ffff:1.2.3.4'), '0:0:0:0:0:ffff:102:304')
  assert.equal(hex('1::2:3.4.5.6'), '1:0:0:0:0:2:304:506')
  assert.equal(hex('64:ff9b::7f00:1'), '64:ff9b:0:0:0:0:7f00:1')
  assert.equal(hex('fe80::1%eth0'), 'fe80:0:0:0:0:0:0:1')
  assert.equal(hex('::'), '0:0:0:0:0:0:0:0')
  assert.equal(ipv6Groups('1.2.3.4'), null)
  assert.equal(ipv6Groups('not an address'), null)
})

test('transition ranges lead to the IPv4 address they embed, and a private one makes them private', () => {
  const cases: [string, string | null, boolean][] = [
    // NAT64, well-known prefix (RFC 6052): the last 32 bits.
    ['64:ff9b::7f00:1', '127.0.0.1', true],
    ['64:ff9b::127.0.0.1', '127.0.0.1', true],
    ['64:ff9b::a9fe:a9fe', '169.254.169.254', true],
    ['64:ff9b::808:808', '8.8.8.8', false],
    // NAT64, local-use prefix (RFC 8215): never public, whatever follows.
    ['64:ff9b:1::808:808', null, true],
    // IPv4-translated (SIIT): ::ffff:0:a.b.c.d.
    ['::ffff:0:7f00:1', '127.0.0.1', true],
    ['::ffff:0:10.0.0.1', '10.0.0.1', true],
    ['::ffff:0:808:808', '8.8.8.8', false],
    // 6to4: bits 16 to 47.
    ['2002:7f00:1::', '127.0.0.1', true],
    ['2002:c0a8:101::1', '192.168.1.1', true],
    ['2002:808:808::1', '8.8.8.8', false],
    // Teredo: the client's address, inverted, in the last 32 bits.
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', '127.0.0.1', true],
    ['2001:0:4136:e378:8000:63bf:f5ff:fffe', '10.0.0.1', true],
    ['2001:0:4136:e378:8000:63bf:f7f7:f7f7', '8.8.8.8', false],
    // Ordinary public IPv6: nothing embedded.
    ['2606:4700::1111', null, false],
    ['2a01:4f8::1', null, false],
  ]
  for (const [address, inner, isPrivate] of cases) {
    assert.equal(embeddedIpv4(address), inner, `${address} embeds ${inner}`)
    assert.equal(isPrivateAddress(address), isPrivate, `${address} is ${isPrivate ? '' : 'not '}private`)
  }
})

test('a transition address is refused before any connection, as a literal or behind a name', async () => {
  const server = await startServer((_req, res) => res.end('{}'))
  const crawl = parseConfig({ crawl: { useHttp: true, allowPrivateAddresses: false, maxRetries: 0, timeoutMs: 2000 } }).crawl
  const dns: Resolver = (hostname, _options, callback) => {
    const table: Record<string, string> = { 'nat64.example.org': '64:ff9b::7f00:1', 'teredo.example.org': '2001:0:4136:e378:8000:63bf:80ff:fffe' }
    const address = table[hostname]
    if (!address) return callback(Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' }), [])
    callback(null, [{ address, family: 6 } as LookupAddress])
  }
  const fetcher = createFetcher(crawl, undefined, { resolver: dns })
  try {
    const failures: string[] = []
    for (const url of [
      `http://[64:ff9b::7f00:1]:${server.port}/`,
      `http://[2002:7f00:1::]:${server.port}/`,
      `http://nat64.example.org:${server.port}/`,
      `http://teredo.example.org:${server.port}/`,
    ]) {
      const err = await fetcher.getJson(url).then(() => null, (e: unknown) => e)
      assert.ok(err instanceof FetchError, `${url}: ${err}`)
      failures.push(err.message)
    }
    assert.deepEqual(failures, [
      'refused private address 64:ff9b::7f00:1 (it leads to 127.0.0.1)',
      'refused private address 2002:7f00:1:: (it leads to 127.0.0.1)',
      'refused private address 64:ff9b::7f00:1 (it leads to 127.0.0.1)',
      'refused private address 2001:0:4136:e378:8000:63bf:80ff:fffe (it leads to 127.0.0.1)',
    ])
    assert.equal(server.requests.length, 0)
  } finally {
    await fetcher.close()
    await server.close()
  }
})
