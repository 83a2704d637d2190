// The mixed load of issue 12, as request paths: what the API and the site of a public gateway mostly answer. The
// words come from the synthetic index's own vocabulary (bench/generate.ts), so they match what is indexed.
import { benchVocabulary, rng } from './generate.ts'

/** One kind of request of the mix. */
export type RequestClass = { name: string; path: (random: () => number) => string }

/** The classes of the mix, each drawing its words with the given generator. */
export function requestClasses(): RequestClass[] {
  const { words } = benchVocabulary()
  const pick = (random: () => number, from: number, to: number) => words[from + Math.floor(random() * (to - from))]!
  const common = (r: () => number) => pick(r, 0, 60)
  const mid = (r: () => number) => pick(r, 60, 2000)
  const either = (r: () => number) => (r() < 0.5 ? common(r) : mid(r))
  const q = (params: Record<string, string>) => new URLSearchParams(params).toString()
  const sorts = ['-views', '-publishedAt', '-likes', 'name', '-hot']
  const languages = ['en', 'fr', 'de', 'es', 'it']
  const at = <T>(r: () => number, list: T[]) => list[Math.floor(r() * list.length)]!
  return [
    { name: 'API: common word', path: (r) => `/api/v1/search/videos?${q({ search: common(r) })}` },
    { name: 'API: mid-frequency word', path: (r) => `/api/v1/search/videos?${q({ search: mid(r) })}` },
    { name: 'API: two words', path: (r) => `/api/v1/search/videos?${q({ search: `${mid(r)} ${common(r)}` })}` },
    {
      name: 'API: filtered sort',
      path: (r) => `/api/v1/search/videos?${q({ search: either(r), sort: at(r, sorts), languageOneOf: at(r, languages), nsfw: 'false' })}`,
    },
    { name: 'API: channels', path: (r) => `/api/v1/search/video-channels?${q({ search: either(r) })}` },
    { name: 'site: result page', path: (r) => `/search?${q({ search: either(r) })}` },
  ]
}

/** `n` requests of the mix, the classes in turn, the words drawn from `seed`: the same list for every run. */
export function mixedRequests(n: number, seed: number): { name: string; path: string }[] {
  const classes = requestClasses()
  const random = rng(seed)
  return Array.from({ length: n }, (_, i) => {
    const c = classes[i % classes.length]!
    return { name: c.name, path: c.path(random) }
  })
}
