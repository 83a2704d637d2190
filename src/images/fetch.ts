// Fetching one picture from an instance for the image proxy, with the crawler's safety rules: private addresses
// refused (checked on the address actually connected to), no redirects followed, a timeout, a size cap read as
// the body streams, and only real images: the declared type must be a raster image type and the first bytes must
// say the same. SVG is refused, since served from our origin it could carry scripts.
import { isIP } from 'node:net'
import { Agent, request } from 'undici'
import type { Config } from '../config/config.ts'
import { anyAddress, isPrivateAddress, publicOnly, type Resolver } from '../crawler/addresses.ts'

/** The largest picture fetched: PeerTube's thumbnails and previews are tens of kilobytes, avatars less. */
export const MAX_IMAGE_BYTES = 4 * 1024 * 1024

/** The image types served, by the MIME type they are served with. */
export type ImageType = 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp' | 'image/avif'

/** A fetched picture: its bytes and the type its bytes show. */
export type FetchedImage = { type: ImageType; body: Buffer }

/** Why a picture could not be had; the proxy then answers with a placeholder and tries again later. */
export class ImageFetchError extends Error {
  override name = 'ImageFetchError'
}

/** Fetches pictures from instances; one per gateway, closed with it. */
export type ImageFetcher = { fetch(url: string): Promise<FetchedImage>; close(): Promise<void> }

/** Options of createImageFetcher; `resolver` replaces the system's DNS (tests). */
export type ImageFetcherOptions = { resolver?: Resolver; maxBytes?: number }

/** Builds the fetcher, with the crawler's timeout, User-Agent and private-address rule. */
export function createImageFetcher(crawl: Config['crawl'], options: ImageFetcherOptions = {}): ImageFetcher {
  const maxBytes = options.maxBytes ?? MAX_IMAGE_BYTES
  const lookup = !crawl.allowPrivateAddresses ? publicOnly(options.resolver) : options.resolver ? anyAddress(options.resolver) : undefined
  const agent = new Agent({
    connect: lookup ? { timeout: crawl.timeoutMs, lookup } : { timeout: crawl.timeoutMs },
    connections: 2,
    keepAliveTimeout: 10_000,
  })
  return {
    close: () => agent.close(),
    async fetch(target) {
      const url = new URL(target)
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ImageFetchError(`not an http(s) URL`)
      const literal = url.hostname.replace(/^\[|\]$/g, '')
      // A literal IP never goes through the lookup, so it is checked here.
      if (!crawl.allowPrivateAddresses && isIP(literal) && isPrivateAddress(literal)) throw new ImageFetchError(`refused private address ${literal}`)
      const deadline = AbortSignal.timeout(crawl.timeoutMs)
      let res: Awaited<ReturnType<typeof request>>
      try {
        res = await request(url, {
          method: 'GET',
          dispatcher: agent,
          signal: deadline,
          headers: { 'user-agent': crawl.userAgent, accept: 'image/avif,image/webp,image/png,image/jpeg,image/gif' },
          headersTimeout: crawl.timeoutMs,
          bodyTimeout: crawl.timeoutMs,
        })
      } catch (err) {
        throw new ImageFetchError(`network error: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
      }
      const { statusCode, headers, body } = res
      const discard = () => body.on('error', () => {}).destroy()
      if (statusCode !== 200) {
        discard()
        throw new ImageFetchError(`answered HTTP ${statusCode}${statusCode >= 300 && statusCode < 400 ? ' (redirects are not followed)' : ''}`)
      }
      const declared = String(headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
      if (!isImageType(declared)) {
        discard()
        throw new ImageFetchError(`answered ${declared || 'no content type'}, not a picture`)
      }
      if (Number(headers['content-length']) > maxBytes) {
        discard()
        throw new ImageFetchError(`picture larger than ${maxBytes} bytes`)
      }
      const chunks: Buffer[] = []
      let size = 0
      try {
        for await (const chunk of body) {
          size += chunk.length
          // Stop reading as soon as the cap is passed: an instance cannot make us buffer more than that.
          if (size > maxBytes) {
            discard()
            throw new ImageFetchError(`picture larger than ${maxBytes} bytes`)
          }
          chunks.push(chunk)
        }
      } catch (err) {
        if (err instanceof ImageFetchError) throw err
        throw new ImageFetchError(`network error while reading: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
      }
      const bytes = Buffer.concat(chunks)
      const sniffed = sniffImageType(bytes)
      if (!sniffed) throw new ImageFetchError(`answered ${declared} but the bytes are not a picture we serve`)
      return { type: sniffed, body: bytes }
    },
  }
}

const TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/avif']

function isImageType(type: string): type is ImageType {
  return TYPES.includes(type) || type === 'image/jpg' || type === 'image/pjpeg'
}

/** The image type the first bytes show (JPEG, PNG, GIF, WebP, AVIF), or null for anything else. */
export function sniffImageType(b: Buffer): ImageType | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg'
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png'
  if (b.length >= 6 && /^GIF8[79]a$/.test(b.subarray(0, 6).toString('latin1'))) return 'image/gif'
  if (b.length >= 12 && b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp'
  if (b.length >= 12 && b.subarray(4, 8).toString('latin1') === 'ftyp' && /^avi[fs]$/.test(b.subarray(8, 12).toString('latin1'))) return 'image/avif'
  return null
}
