// Words as people type them, on the standard fake federation crawled over HTTP: plurals, typos, split and joined
// words find what a person means through the API, with the exact matches first.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { Hono } from 'hono'
import { createApp } from '../../src/http/app.ts'
import { crawledFederation, type CrawledFederation } from '../helpers/crawled.ts'

let fed: CrawledFederation
let app: Hono

before(async () => {
  fed = await crawledFederation()
  app = createApp({ db: fed.db, config: fed.config })
})
after(() => fed.close())

async function titles(search: string, count = 100): Promise<string[]> {
  const res = await app.request(`/api/v1/search/videos?search=${encodeURIComponent(search)}&count=${count}&nsfw=both`)
  assert.equal(res.status, 200)
  return ((await res.json()) as { data: { name: string }[] }).data.map((v) => v.name)
}

test('a French plural finds the singular titles ("tutoriels" → "Tutoriel …")', async () => {
  const found = await titles('tutoriels')
  const singular = found.filter((t) => /^Tutoriel /.test(t))
  assert.equal(singular.length, 24, found.join(' | '))
  // Other forms and typo neighbours may follow, never before.
  assert.deepEqual(found.slice(0, singular.length), singular)
})

test('a typo finds the word meant ("photograhpie", "linnux"), and the exact word ranks first', async () => {
  const photo = await titles('photograhpie')
  assert.ok(photo.length > 0 && photo.every((t) => /photographie/i.test(t)), photo.join(' | '))
  const typo = await titles('linnux', 5)
  assert.ok(typo.length > 0 && typo.every((t) => /linux/i.test(t)), typo.join(' | '))
  const exact = await titles('linux')
  assert.ok(exact.every((t) => /linux/i.test(t)), 'nothing but Linux for the exact word')
})

test('split and joined words: "wood working" finds "Woodworking", "coffeeroasting" finds "Coffee roasting"', async () => {
  const wood = await titles('wood working')
  assert.ok(wood.length > 0 && /^Woodworking/.test(wood[0]!), wood.join(' | '))
  const coffee = await titles('coffeeroasting')
  assert.ok(coffee.length > 0 && /^Coffee roasting/.test(coffee[0]!), coffee.join(' | '))
})

test('sorting by date keeps exact matches before typo matches', async () => {
  const res = await app.request('/api/v1/search/videos?search=linnux&sort=-publishedAt&count=100&nsfw=both')
  const names = ((await res.json()) as { data: { name: string }[] }).data.map((v) => v.name)
  assert.ok(names.length > 0 && names.every((t) => /linux/i.test(t)))
})
