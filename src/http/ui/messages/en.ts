// The English interface text, which also defines the shape every other catalogue must match. Messages that
// embed markup take and return escaped fragments, so a translation can never unescape a value.
import { html, type Html } from '../../../../views/html.ts'
import { plural } from './plural.ts'

const p = (n: number, one: string, other: string) => plural('en', n, one, other)

/** The English interface text; the reference catalogue whose shape every other language follows. */
export const en = {
  tagline: 'search videos across PeerTube',
  skipToContent: 'Skip to content',
  languageSwitchLabel: 'Language',
  footerNavLabel: 'About this site',
  aboutLink: (name: string) => `About ${name}`,
  instancesLink: 'Indexed instances',
  legalNotices: 'Legal notices',
  sourceCode: 'Source code',
  footerPromise: 'No cookies, no tracking, the same results for everyone. Every result takes you to the site that hosts it.',

  searchLabel: 'Search videos, channels and playlists',
  searchPlaceholder: 'Search videos, channels, playlists…',
  searchButton: 'Search',

  views: (n: number, s: string) => `${s} ${p(n, 'view', 'views')}`,
  viewers: (n: number, s: string) => `${s} watching now`,
  live: 'Live',
  durationLabel: 'Duration',
  byAccount: (name: string) => `by ${name}`,
  sensitive: 'Sensitive',
  tagsLabel: 'Tags',
  goWatchVideo: (host: Html): Html => html`Go and watch this video on ${host}`,
  followers: (n: number, s: string) => `${s} ${p(n, 'follower', 'followers')}`,
  videosCount: (n: number, s: string) => `${s} ${p(n, 'video', 'videos')}`,
  goSeeChannel: (host: Html): Html => html`Go and see this channel on ${host}`,
  updated: 'Updated',
  playlistBy: 'Playlist by',
  goSeePlaylist: (host: Html): Html => html`Go and see this playlist on ${host}`,

  paginationLabel: 'Pages of results',
  previousPage: '← Previous',
  nextPage: 'Next →',
  pageN: (n: number) => `Page ${n}`,
  pageOf: (page: number, last: number) => `· page ${page} of ${last}`,

  sortLabel: 'Sort by',
  sortApply: 'Sort',
  sortBestMatch: 'Best match',
  sortNewest: 'Most recent',
  sortOldest: 'Least recent',
  sortMostViewed: 'Most viewed',
  filtersTitle: 'Filters',
  activeFilters: (n: number) => `${n} ${p(n, 'filter', 'filters')} set`,
  filtersVideosOnly: 'Only the host filter applies to channels and playlists; the others apply to videos.',
  any: 'Any',
  filterPublished: 'Published',
  publishedRanges: {
    today: 'In the last 24 hours',
    last_7days: 'In the last 7 days',
    last_30days: 'In the last 30 days',
    last_365days: 'In the last 12 months',
  },
  customDates: (from: string | null, to: string | null) =>
    from && to ? `From ${from} to ${to}` : from ? `Since ${from}` : `Until ${to}`,
  filterDuration: 'Duration',
  durationRanges: { short: 'Short (under 4 min)', medium: 'Medium (4 to 10 min)', long: 'Long (over 10 min)' },
  customDuration: (min: string | null, max: string | null) =>
    min && max ? `From ${min} to ${max} seconds` : min ? `At least ${min} seconds` : `At most ${max} seconds`,
  filterCategory: 'Category',
  filterLanguage: 'Language',
  filterLicence: 'Licence',
  filterLive: 'Live streams',
  liveOnly: 'Only live streams',
  liveExclude: 'No live streams',
  filterSensitive: 'Sensitive content',
  nsfwHide: 'Hidden (default)',
  nsfwShow: 'Shown',
  nsfwOnly: 'Only sensitive content',
  filterTagsOneOf: 'With one of these tags',
  filterTagsAllOf: 'With all of these tags',
  tagsPlaceholder: 'e.g. music, jazz',
  filterHost: 'Hosted on (instance)',
  hostPlaceholder: 'e.g. video.example.org',
  applyFilters: 'Apply filters',
  resetFilters: 'Reset filters',

  resultsFor: (q: string) => `Results for “${q}”`,
  latestVideos: 'Latest videos',
  searchResults: 'Search results',
  resultTypeLabel: 'Kind of results',
  tabAll: 'All',
  tabVideos: 'Videos',
  tabChannels: 'Channels',
  tabPlaylists: 'Playlists',
  channelsCount: (n: number, s: string) => `${s} ${p(n, 'channel', 'channels')}`,
  playlistsCount: (n: number, s: string) => `${s} ${p(n, 'playlist', 'playlists')}`,
  seeAll: (kind: string, n: string) => `See all ${n} ${kind.toLowerCase()} →`,
  noResultsFor: (q: string) => `Nothing matches “${q}”`,
  noResults: 'Nothing matches this search',
  emptyTipSpelling: 'Check the spelling, or try another word with the same meaning.',
  emptyTipWords: 'Use fewer or more general words.',
  emptyTipFilters: 'Remove the filters',
  invalidTitle: 'This search address is not quite right',
  invalidIntro: 'Some of its settings could not be understood:',
  invalidReset: 'Start again with just the search words',

  indexStats: (videos: string, instances: string, v: number, i: number) =>
    `${videos} ${p(v, 'video', 'videos')} from ${instances} PeerTube ${p(i, 'site', 'sites')}`,
  howItWorks: 'How it works',
  explainFederationTitle: 'Many sites, one search',
  explainFederation:
    'PeerTube is video software that anyone can run. Thousands of independent sites, called instances, publish videos with it. This search looks through many of them at once.',
  explainOriginTitle: 'Watch where the video lives',
  explainOrigin:
    'Each result says which site hosts it, and takes you straight there. Nothing is copied: the video stays with the people who published it.',
  explainPrivacyTitle: 'Nothing about you',
  explainPrivacy:
    'No account, no cookies, no tracking, no record of what you search. Everyone gets the same results for the same words.',
  aboutMore: (name: string) => `More about ${name} and the sites it indexes →`,

  backHome: 'Back to the home page',
  notFoundTitle: 'Page not found',
  notFoundMessage: 'There is nothing at this address. It may have moved, or the link may be mistyped.',
  serverErrorTitle: 'Something went wrong',
  serverErrorMessage: 'The search could not be completed because of a problem on our side. Please try again in a moment.',

  aboutTitle: (name: string) => `About ${name}`,
  aboutHowTitle: 'How it works',
  aboutHow: (name: string) =>
    `${name} regularly visits the PeerTube instances in its list and reads the public videos, channels and playlists that each one publishes itself. It keeps a searchable index of them: titles, descriptions, tags, channels, and where the thumbnails are.`,
  aboutOrigin:
    'Results link to the instance that hosts them. Videos are never copied or played here, so their publishers keep full control: a video removed from its instance disappears from this index at the next visit.',
  aboutRankingTitle: 'How results are ranked',
  aboutRanking:
    'Results are ordered by how well they match the words you typed, unless you choose another order (most recent, most viewed…). There is no personalisation and no paid placement: everyone gets the same results for the same search. If your browser says which languages you read, videos in those languages are favoured, but never filtered.',
  aboutPrivacyTitle: 'Your privacy',
  aboutPrivacyCookies: 'This site sets no cookies and loads no third-party scripts, fonts or trackers.',
  aboutPrivacyLogs: 'Searches and visitors’ addresses are not recorded.',
  aboutPrivacyReferrer: 'When you follow a result, your browser does not tell the instance what you searched for.',
  aboutPrivacyImages:
    'Thumbnails and avatars are loaded from the instances that host them, so those instances can see your address, as when you visit them.',
  aboutModerationTitle: 'Moderation policy',
  aboutPeerTubeTitle: 'Use it from your PeerTube instance',
  aboutPeerTube:
    'This site also answers PeerTube’s search API, so a PeerTube instance can use it as its search index. Administrators can set this address as the search index URL in their instance’s configuration:',
  aboutSourceTitle: 'Free software',
  aboutSource: (name: string) =>
    `${name} is free software under the AGPL licence: anyone can audit how it works, or run their own. Its source code:`,
  instancesTitle: 'Indexed instances',
  instancesSummary: (n: number, s: string, failing: number) =>
    `${s} ${p(n, 'instance is', 'instances are')} indexed` +
    (failing > 0 ? `; ${failing} could not be reached recently, and ${p(failing, 'its', 'their')} last known content is still searchable.` : '.'),
  instancesRefused: (n: number) =>
    `${n} more ${p(n, 'instance is', 'instances are')} listed but not indexed: ${p(n, 'its', 'their')} robots.txt ${p(n, 'asks', 'ask')} crawlers to stay away.`,
  instancesListFrom: 'The list comes from',
  instanceColumn: 'Instance',
  videosColumn: 'Videos',
  statusColumn: 'Status',
  statusOk: 'Up to date',
  lastCrawl: (ago: string) => `visited ${ago}`,
  statusFailing: (n: number) => `Unreachable (${n} ${p(n, 'attempt', 'attempts')})`,
  lastSuccess: (ago: string) => `last visited ${ago}`,
  neverIndexed: 'never indexed',
  statusPending: 'Not visited yet',
  statusRefused: 'Not indexed: its robots.txt asks crawlers to stay away',
  blocksTitle: 'Blocked instances',
  blocksIntro: 'The administrators of this site blocked these instances: nothing from them is indexed.',
  blocksNone: 'No instance is blocked.',
  blockReasonColumn: 'Reason',
  blockSinceColumn: 'Blocked since',
  /** Blocked accounts and channels are counted, never named; `also` when blocked instances are listed above. */
  blockedActors: (accounts: number, channels: number, a: string, c: string, also: boolean) => {
    const parts = [accounts > 0 ? `${a} ${p(accounts, 'account', 'accounts')}` : '', channels > 0 ? `${c} ${p(channels, 'channel', 'channels')}` : '']
    const one = accounts + channels === 1
    return `${parts.filter((s) => s !== '').join(' and ')} ${one ? 'is' : 'are'}${also ? ' also' : ''} blocked.`
  },
  blocksJson: (link: Html): Html => html`The same list is published as JSON: ${link}.`,
}

/** The shape of an interface message catalogue. */
export type Messages = typeof en
