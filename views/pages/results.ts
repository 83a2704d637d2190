import type { SearchState, ResultType } from '../../src/http/ui/search-state.ts'
import type { ApiChannel, ApiPlaylist, ApiVideo, ResultList } from '../../src/search/types.ts'
import type { PageContext } from '../context.ts'
import { html, type Html } from '../html.ts'
import { layout } from '../layout.ts'
import { channelCard } from '../partials/channel-card.ts'
import { filtersPanel, sortControl } from '../partials/filters.ts'
import { pagination } from '../partials/pagination.ts'
import { playlistCard } from '../partials/playlist-card.ts'
import { videoCard } from '../partials/video-card.ts'

/** What the results page shows; a null list is a search that was not run (other tab, or filters it ignores). */
export type ResultsProps = {
  state: SearchState
  /** Parameters of the URL that could not be understood, by name; the page then explains instead of searching. */
  invalid: Record<string, string> | null
  videos: ResultList<ApiVideo> | null
  channels: ResultList<ApiChannel> | null
  playlists: ResultList<ApiPlaylist> | null
  /** Whether the search had neither text nor filters, so the videos are simply the latest ones. */
  browsing: boolean
  lastPage: number
  /** A link to this search with a few things changed. */
  href(overrides: Partial<SearchState>): string
  resetHref: string
}

/** The results page: tabs by kind, count and sort, filters, the results, pagination. */
export function resultsPage(ctx: PageContext, p: ResultsProps): Html {
  const { t, fmt } = ctx
  const { state } = p
  const title = state.search ? t.resultsFor(state.search) : p.browsing ? t.latestVideos : t.searchResults
  const hidden: [string, string][] = state.resultType === 'all' ? [] : [['resultType', state.resultType]]
  const tabs: { type: ResultType; label: string; total: number | undefined }[] = [
    { type: 'all', label: t.tabAll, total: undefined },
    { type: 'videos', label: t.tabVideos, total: p.videos?.total },
    { type: 'channels', label: t.tabChannels, total: p.channels?.total },
    { type: 'playlists', label: t.tabPlaylists, total: p.playlists?.total },
  ]
  const body = html`<div class="results-page">
  <h1 class="results-heading">${title}</h1>
  <nav class="tabs" aria-label="${t.resultTypeLabel}">
    <ul>
      ${tabs.map((tab) => {
        const label = html`${tab.label}${tab.total !== undefined ? html` <span class="tab-count">${fmt.compact(tab.total)}</span>` : ''}`
        return tab.type === state.resultType
          ? html`<li><a href="${p.href({ resultType: tab.type, page: 1 })}" aria-current="page">${label}</a></li>`
          : html`<li><a href="${p.href({ resultType: tab.type, page: 1 })}">${label}</a></li>`
      })}
    </ul>
  </nav>
  ${filtersPanel(ctx, state, p.resetHref)}
  ${p.invalid ? invalidNotice(ctx, p.invalid, p.resetHref) : results(ctx, p)}
</div>`
  return layout(ctx, { title, kind: 'search', noindex: true, headerSearch: { search: state.search, hidden } }, body)
}

function invalidNotice(ctx: PageContext, invalid: Record<string, string>, resetHref: string): Html {
  const { t } = ctx
  return html`<div class="notice notice-error" role="alert">
    <h2>${t.invalidTitle}</h2>
    <p>${t.invalidIntro}</p>
    <ul>${Object.entries(invalid).map(([name, message]) => html`<li><code>${name}</code>: ${message}</li>`)}</ul>
    <p><a href="${resetHref}">${t.invalidReset}</a></p>
  </div>`
}

function countLine(ctx: PageContext, p: ResultsProps): Html {
  const { t, fmt } = ctx
  const kind = p.state.resultType
  const n =
    kind === 'channels' ? t.channelsCount(p.channels?.total ?? 0, fmt.number(p.channels?.total ?? 0))
    : kind === 'playlists' ? t.playlistsCount(p.playlists?.total ?? 0, fmt.number(p.playlists?.total ?? 0))
    : t.videosCount(p.videos?.total ?? 0, fmt.number(p.videos?.total ?? 0))
  const pageNote = p.lastPage > 1 ? html` <span class="muted">${t.pageOf(p.state.page, p.lastPage)}</span>` : ''
  return html`<p class="result-count" id="result-count">${n}${pageNote}</p>`
}

function results(ctx: PageContext, p: ResultsProps): Html {
  const { t } = ctx
  const { state } = p
  // A tag starts a new search for that tag alone: short links, and an obvious meaning.
  const tagLink = (tag: string) => ctx.link('/search', [['tagsOneOf', tag], ['resultType', 'videos']])
  const toolbar = html`<div class="toolbar">${countLine(ctx, p)}${sortControl(ctx, state)}</div>`
  const pager = pagination(ctx, { page: state.page, lastPage: p.lastPage, href: (page) => p.href({ page }) })

  if (state.resultType === 'channels') {
    const list = p.channels?.data ?? []
    return html`${toolbar}${list.length === 0 ? emptyNotice(ctx, p) : html`<ol class="results results-channels" aria-labelledby="result-count">${list.map((c) => channelCard(ctx, c))}</ol>`}${pager}`
  }
  if (state.resultType === 'playlists') {
    const list = p.playlists?.data ?? []
    return html`${toolbar}${list.length === 0 ? emptyNotice(ctx, p) : html`<ol class="results results-playlists" aria-labelledby="result-count">${list.map((pl) => playlistCard(ctx, pl))}</ol>`}${pager}`
  }
  const videos = p.videos?.data ?? []
  const side: Html[] = []
  if (state.resultType === 'all' && state.page === 1) {
    if (p.channels && p.channels.data.length > 0) {
      side.push(sideSection(ctx, t.tabChannels, 'channels', { shown: p.channels.data.length, total: p.channels.total }, p.href({ resultType: 'channels', page: 1 }),
        html`<ol class="results results-channels results-side">${p.channels.data.map((c) => channelCard(ctx, c))}</ol>`))
    }
    if (p.playlists && p.playlists.data.length > 0) {
      side.push(sideSection(ctx, t.tabPlaylists, 'playlists', { shown: p.playlists.data.length, total: p.playlists.total }, p.href({ resultType: 'playlists', page: 1 }),
        html`<ol class="results results-playlists results-side">${p.playlists.data.map((pl) => playlistCard(ctx, pl))}</ol>`))
    }
  }
  // Channels and playlists come first when there are any; the count and sort then sit with the videos they order.
  if (side.length === 0) {
    return html`${toolbar}
  ${videos.length === 0 ? emptyNotice(ctx, p) : html`<ol class="results results-videos" aria-labelledby="result-count">${videos.map((v) => videoCard(ctx, v, tagLink))}</ol>`}
  ${pager}`
  }
  return html`${side}
  <section class="result-section" aria-labelledby="videos-heading">
    <h2 class="section-heading" id="videos-heading">${t.tabVideos}</h2>
    ${toolbar}
    ${videos.length > 0 ? html`<ol class="results results-videos">${videos.map((v) => videoCard(ctx, v, tagLink))}</ol>` : ''}
  </section>
  ${pager}`
}

function sideSection(ctx: PageContext, title: string, kind: string, counts: { shown: number; total: number }, moreHref: string, list: Html): Html {
  const { t, fmt } = ctx
  return html`<section class="result-section" aria-labelledby="${kind}-heading">
    <div class="section-head">
      <h2 class="section-heading" id="${kind}-heading">${title}</h2>
      ${counts.total > counts.shown ? html`<a href="${moreHref}">${t.seeAll(title, fmt.number(counts.total))}</a>` : ''}
    </div>
    ${list}
  </section>`
}

function emptyNotice(ctx: PageContext, p: ResultsProps): Html {
  const { t } = ctx
  const filtered = p.resetHref !== p.href({})
  return html`<div class="notice notice-empty">
    <h2>${p.state.search ? t.noResultsFor(p.state.search) : t.noResults}</h2>
    <ul>
      <li>${t.emptyTipSpelling}</li>
      <li>${t.emptyTipWords}</li>
      ${filtered ? html`<li><a href="${p.resetHref}">${t.emptyTipFilters}</a></li>` : ''}
    </ul>
  </div>`
}
