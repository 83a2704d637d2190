import type { ApiChannel, ApiPlaylist, ApiVideo, ResultList } from '../../src/search/types.ts'
import type { PageContext } from '../context.ts'
import { html, type Html } from '../html.ts'
import type { MessageKey } from '../i18n/catalogue.ts'
import { layout } from '../layout.ts'
import { channelCard } from '../partials/channel-card.ts'
import { filterChips, filtersPanel, groupLabel, sortControl } from '../partials/filters.ts'
import { pagination } from '../partials/pagination.ts'
import { playlistCard } from '../partials/playlist-card.ts'
import { videoCard } from '../partials/video-card.ts'
import { withoutGroup, type FilterGroup, type ResultType, type SearchState } from '../search-model.ts'

/** What the search would give with fewer filters, when the filters left nothing (see src/http/ui/run-search.ts). */
export type RelaxedCounts = { total: number; groups: { group: FilterGroup; total: number }[] }

/** What the results page shows; a null list is a search that was not run (other tab, or filters it ignores). */
export type ResultsProps = {
  state: SearchState
  /** The sort in effect for the main list, as the sort control offers it ('' for best match). */
  sort: string
  /** Parameters of the URL that could not be understood, by name; the page then explains instead of searching. */
  invalid: Record<string, string> | null
  videos: ResultList<ApiVideo> | null
  channels: ResultList<ApiChannel> | null
  playlists: ResultList<ApiPlaylist> | null
  /** Whether the search had neither text nor filters, so the list simply shows the latest additions. */
  browsing: boolean
  lastPage: number
  /** The page asked for lies past the last page of results. */
  pastEnd: boolean
  relaxed: RelaxedCounts | null
  /** A link to this search with a few things changed. */
  href(overrides: Partial<SearchState>): string
  resetHref: string
}

/** Results shown at once rather than lazily: those visible without scrolling on most screens. */
const EAGER_RESULTS = 3

const LATEST: Record<ResultType, MessageKey> = { all: 'latestVideos', videos: 'latestVideos', channels: 'latestChannels', playlists: 'latestPlaylists' }
const LIST_HEADINGS: Record<ResultType, MessageKey> = { all: 'tabVideos', videos: 'tabVideos', channels: 'tabChannels', playlists: 'tabPlaylists' }

/** The title of a results page: its words (or what it lists), and its page number past the first. */
export function resultsTitle(ctx: PageContext, p: Pick<ResultsProps, 'state' | 'browsing'>): string {
  const { t } = ctx
  const { state } = p
  const base = state.search ? t('resultsFor', { q: state.search }) : p.browsing ? t(LATEST[state.resultType]) : t('searchResults')
  return state.page > 1 ? t('titleWithPage', { title: base, page: state.page }) : base
}

/** The results page: tabs by kind, active filters, count and sort, the filter panel, the results, pagination. */
export function resultsPage(ctx: PageContext, p: ResultsProps): Html {
  const { t, fmt } = ctx
  const { state } = p
  const heading = state.search ? t('resultsFor', { q: state.search }) : p.browsing ? t(LATEST[state.resultType]) : t('searchResults')
  const hidden: [string, string][] = state.resultType === 'all' ? [] : [['resultType', state.resultType]]
  const tabs: { type: ResultType; label: string; total: number | undefined }[] = [
    { type: 'all', label: t('tabAll'), total: undefined },
    { type: 'videos', label: t('tabVideos'), total: p.videos?.total },
    { type: 'channels', label: t('tabChannels'), total: p.channels?.total },
    { type: 'playlists', label: t('tabPlaylists'), total: p.playlists?.total },
  ]
  const body = html`<div class="results-page">
  <h1 class="results-heading${state.search ? ' has-words' : ''}" dir="auto">${heading}</h1>
  <nav class="tabs" aria-label="${t('resultTypeLabel')}">
    <ul>
      ${tabs.map((tab) => {
        const label = html`${tab.label}${tab.total !== undefined ? html` <span class="tab-count">${fmt.compact(tab.total)}</span>` : ''}`
        return tab.type === state.resultType
          ? html`<li><a href="${p.href({ resultType: tab.type, page: 1 })}" aria-current="page">${label}</a></li>`
          : html`<li><a href="${p.href({ resultType: tab.type, page: 1 })}">${label}</a></li>`
      })}
    </ul>
  </nav>
  ${filterChips(ctx, state, p.href, p.resetHref)}
  ${filtersPanel(ctx, state, p.resetHref)}
  ${p.invalid ? invalidNotice(ctx, p.invalid, p.resetHref) : results(ctx, p)}
</div>`
  return layout(ctx, { title: resultsTitle(ctx, p), kind: 'search', noindex: true, headerSearch: { search: state.search, hidden } }, body)
}

// What each parameter must look like, in the visitor's language: the API's own messages are English.
const INVALID_EXPLANATIONS: Record<string, MessageKey> = {
  page: 'invalidPage',
  resultType: 'invalidResultType',
  publishedDateRange: 'invalidChoice',
  durationRange: 'invalidChoice',
  sort: 'invalidSort',
  nsfw: 'invalidNsfw',
  isLive: 'invalidBoolean',
  startDate: 'invalidDate',
  endDate: 'invalidDate',
  originallyPublishedStartDate: 'invalidDate',
  originallyPublishedEndDate: 'invalidDate',
  originallyPublishedStartYear: 'invalidYear',
  originallyPublishedEndYear: 'invalidYear',
  durationMin: 'invalidSeconds',
  durationMax: 'invalidSeconds',
  durationMinMinutes: 'invalidMinutes',
  durationMaxMinutes: 'invalidMinutes',
  categoryOneOf: 'invalidNumbers',
  licenceOneOf: 'invalidNumbers',
  host: 'invalidHost',
}

function invalidNotice(ctx: PageContext, invalid: Record<string, string>, resetHref: string): Html {
  const { t } = ctx
  return html`<div class="notice notice-error" role="alert">
    <h2>${t('invalidTitle')}</h2>
    <p>${t('invalidIntro')}</p>
    <ul>${Object.keys(invalid).map((name) => html`<li><code>${name}</code>: ${t(INVALID_EXPLANATIONS[name] ?? 'invalidValue', { max: 50 })}</li>`)}</ul>
    <p><a href="${resetHref}">${t('invalidReset')}</a></p>
  </div>`
}

function countLine(ctx: PageContext, p: ResultsProps): Html {
  const { t, fmt } = ctx
  const kind = p.state.resultType
  const total = (kind === 'channels' ? p.channels?.total : kind === 'playlists' ? p.playlists?.total : p.videos?.total) ?? 0
  const key: MessageKey = kind === 'channels' ? 'channelsCount' : kind === 'playlists' ? 'playlistsCount' : 'videosCount'
  const pageNote = p.lastPage > 1 && !p.pastEnd ? html` <span class="muted">${t('pageOf', { page: p.state.page, last: p.lastPage })}</span>` : ''
  return html`<p class="result-count" id="result-count">${t(key, { count: total, n: fmt.number(total) })}${pageNote}</p>`
}

function results(ctx: PageContext, p: ResultsProps): Html {
  const { t } = ctx
  const { state } = p
  const kind = state.resultType
  // A tag starts a new search for that tag alone: short links, and an obvious meaning (a tag filter leaves only
  // videos, so the "all" tab shows just them).
  const tagLink = (tag: string) => ctx.link('/search', [['tagsOneOf', tag]])
  const toolbar = html`<div class="toolbar">${countLine(ctx, p)}${sortControl(ctx, { actors: kind === 'channels' || kind === 'playlists', sort: p.sort })}</div>`
  const pager = pagination(ctx, { page: state.page, lastPage: p.lastPage, href: (page) => p.href({ page }) })
  const eager = (i: number) => ({ eager: i < EAGER_RESULTS })
  const list = (type: ResultType, items: Html[], side = false) => {
    const id = side ? `${type}-heading` : 'results-heading'
    const heading = html`<h2 class="section-heading${side ? '' : ' visually-hidden'}" id="${id}">${t(LIST_HEADINGS[type])}</h2>`
    return html`${side ? '' : heading}<ol class="results results-${type === 'all' ? 'videos' : type}${side ? ' results-side' : ''}" aria-labelledby="${id}">${items}</ol>`
  }

  const main =
    kind === 'channels' ? (p.channels?.data ?? []).map((c, i) => channelCard(ctx, c, eager(i)))
    : kind === 'playlists' ? (p.playlists?.data ?? []).map((pl, i) => playlistCard(ctx, pl, eager(i)))
    : (p.videos?.data ?? []).map((v, i) => videoCard(ctx, v, tagLink, eager(i)))
  const empty = main.length === 0 ? emptyNotice(ctx, p) : html``
  if (kind !== 'all' || state.page !== 1) return html`${toolbar}${main.length > 0 ? list(kind, main) : empty}${pager}`

  const side: Html[] = []
  if (p.channels && p.channels.data.length > 0) {
    side.push(sideSection(ctx, 'channels', p.channels.total, p.href({ resultType: 'channels', page: 1 }),
      p.channels.data.map((c) => channelCard(ctx, c, { eager: false }))))
  }
  if (p.playlists && p.playlists.data.length > 0) {
    side.push(sideSection(ctx, 'playlists', p.playlists.total, p.href({ resultType: 'playlists', page: 1 }),
      p.playlists.data.map((pl) => playlistCard(ctx, pl, { eager: false }))))
  }
  if (side.length === 0) return html`${toolbar}${main.length > 0 ? list('videos', main) : empty}${pager}`
  // Channels and playlists come first when there are any; the count and sort then sit with the videos they order.
  return html`${side}
  <section class="result-section" aria-labelledby="videos-heading">
    <h2 class="section-heading" id="videos-heading">${t('tabVideos')}</h2>
    ${toolbar}
    ${main.length > 0 ? html`<ol class="results results-videos" aria-labelledby="videos-heading">${main}</ol>` : ''}
  </section>
  ${pager}`

  function sideSection(ctx: PageContext, type: 'channels' | 'playlists', total: number, moreHref: string, items: Html[]): Html {
    const key: MessageKey = type === 'channels' ? 'seeAllChannels' : 'seeAllPlaylists'
    return html`<section class="result-section" aria-labelledby="${type}-heading">
    <div class="section-head">
      <h2 class="section-heading" id="${type}-heading">${ctx.t(type === 'channels' ? 'tabChannels' : 'tabPlaylists')}</h2>
      ${total > items.length ? html`<a href="${moreHref}">${ctx.t(key, { count: total, n: ctx.fmt.number(total) })}</a>` : ''}
    </div>
    ${list(type, items, true)}
  </section>`
  }
}

// An empty list says why, truthfully: a page past the end, filters that removed everything (and what removing
// each would give), or words that match nothing.
function emptyNotice(ctx: PageContext, p: ResultsProps): Html {
  const { t, fmt } = ctx
  const { state } = p
  if (p.pastEnd) {
    return html`<div class="notice notice-empty">
    <h2>${t('pastEndTitle', { page: state.page })}</h2>
    <p>${t('pastEnd', { count: p.lastPage })}</p>
    <p><a href="${p.href({ page: p.lastPage })}">${t('goToLastPage', { page: p.lastPage })}</a></p>
  </div>`
  }
  const words = state.search ? t('noResultsFor', { q: state.search }) : t('noResults')
  const r = p.relaxed
  if (r && r.total > 0) {
    return html`<div class="notice notice-empty">
    <h2>${t('filteredEmptyTitle')}</h2>
    <p>${state.search ? t('filteredWordsMatch', { count: r.total, n: fmt.number(r.total) }) : t('filteredAllMatch', { count: r.total, n: fmt.number(r.total) })}</p>
    <ul class="relax-list">
      ${r.groups.map((g) => html`<li><a href="${p.href(withoutGroup(state, g.group))}">${t('removeGroup', { filter: groupLabel(ctx, g.group, state) })}</a>
        <span class="muted">${t('removeGroupGives', { count: g.total, n: fmt.number(g.total) })}</span></li>`)}
    </ul>
    ${r.groups.length > 1 ? html`<p><a href="${p.resetHref}">${t('removeAllFilters')}</a></p>` : ''}
  </div>`
  }
  return html`<div class="notice notice-empty">
    <h2 dir="auto">${words}</h2>
    <ul>
      <li>${t('emptyTipSpelling')}</li>
      <li>${t('emptyTipWords')}</li>
      ${r ? html`<li><a href="${p.resetHref}">${t('emptyTipFilters')}</a></li>` : ''}
    </ul>
  </div>`
}
