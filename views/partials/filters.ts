import type { PageContext } from '../context.ts'
import { html, type Html } from '../html.ts'
import type { MessageKey } from '../i18n/catalogue.ts'
import { CATEGORY_IDS, LANGUAGE_CHOICES, LICENCE_IDS, type Labels } from '../i18n/labels.ts'
import {
  ACTOR_SORT_CHOICES,
  DURATION_RANGES,
  NSFW_CHOICES,
  PUBLISHED_RANGES,
  VIDEO_SORT_CHOICES,
  activeFilters,
  activeGroups,
  type ActiveFilter,
  type FilterGroup,
  type SearchState,
} from '../search-model.ts'
import { SEARCH_FORM_ID } from './search-form.ts'

type Option = { value: string; label: string }

type Choices = { categories: Option[]; licences: Option[]; languages: Option[] }

// The same for every page in one language (each language's labels are built once), and sorting them by label
// compares strings under the language's collation, which costs more than the rest of the panel: built once.
const labelled = new WeakMap<Labels, Choices>()

function labelledChoices(locale: string, labels: Labels): Choices {
  let c = labelled.get(labels)
  if (!c) {
    const collator = new Intl.Collator(locale)
    const byLabel = (a: Option, b: Option) => collator.compare(a.label, b.label)
    c = {
      categories: CATEGORY_IDS.map((id) => ({ value: String(id), label: labels.category(id) ?? String(id) })).sort(byLabel),
      licences: LICENCE_IDS.map((id) => ({ value: String(id), label: labels.licence(id) ?? String(id) })),
      languages: LANGUAGE_CHOICES.map((id) => ({ value: id, label: labels.language(id) ?? id })).sort(byLabel),
    }
    labelled.set(labels, c)
  }
  return c
}

// Every sort the API knows, as the sort control names it ('' is best match).
const SORT_LABELS: Record<string, MessageKey> = {
  '': 'sortBestMatch',
  '-publishedAt': 'sortNewest',
  publishedAt: 'sortOldest',
  '-views': 'sortMostViewed',
  views: 'sortLeastViewed',
  '-likes': 'sortMostLiked',
  likes: 'sortLeastLiked',
  '-hot': 'sortTrending',
  hot: 'sortLeastTrending',
  '-duration': 'sortLongest',
  duration: 'sortShortest',
  name: 'sortTitleAZ',
  '-name': 'sortTitleZA',
  '-createdAt': 'sortRecentlyAdded',
  createdAt: 'sortFirstAdded',
  '-originallyPublishedAt': 'sortOriginalNewest',
  originallyPublishedAt: 'sortOriginalOldest',
}
const ACTOR_SORT_LABELS: Record<string, MessageKey> = { name: 'sortNameAZ', '-name': 'sortNameZA' }

const PUBLISHED_LABELS: Record<(typeof PUBLISHED_RANGES)[number], MessageKey> = {
  today: 'publishedToday',
  last_7days: 'publishedWeek',
  last_30days: 'publishedMonth',
  last_365days: 'publishedYear',
}
const DURATION_LABELS: Record<(typeof DURATION_RANGES)[number], MessageKey> = {
  short: 'durationShort',
  medium: 'durationMedium',
  long: 'durationLong',
}
const NSFW_LABELS: Record<(typeof NSFW_CHOICES)[number], MessageKey> = { false: 'nsfwHide', both: 'nsfwShow', true: 'nsfwOnly' }
const GROUP_LABELS: Record<FilterGroup, MessageKey> = {
  published: 'filterPublished',
  duration: 'filterDuration',
  original: 'filterOriginal',
  category: 'filterCategory',
  language: 'filterLanguage',
  licence: 'filterLicence',
  live: 'filterLive',
  nsfw: 'filterSensitive',
  host: 'filterHost',
  tagsOneOf: 'filterTagsOneOf',
  tagsAllOf: 'filterTagsAllOf',
}

/** The sort control next to the result count. It applies on its button only, never on change (WCAG 3.2.2). */
export function sortControl(ctx: PageContext, p: { actors: boolean; sort: string }): Html {
  const { t } = ctx
  const choices: readonly string[] = p.actors ? ACTOR_SORT_CHOICES : VIDEO_SORT_CHOICES
  const values = choices.includes(p.sort) ? choices : [...choices, p.sort]
  const label = (value: string) => t((p.actors && ACTOR_SORT_LABELS[value]) || SORT_LABELS[value] || 'sortBestMatch')
  return html`<div class="sort">
    <label for="f-sort">${t('sortLabel')}</label>
    <select id="f-sort" name="sort" form="${SEARCH_FORM_ID}">
      ${values.map((value) => html`<option value="${value}" ${value === p.sort ? html`selected` : ''}>${label(value)}</option>`)}
    </select>
    <button type="submit" form="${SEARCH_FORM_ID}" class="button-quiet">${t('sortApply')}</button>
  </div>`
}

/** A date given in a URL as the panel's date fields show it (the day, in UTC), or '' when it is not a date. */
function dayOf(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}/.test(iso) ? iso.slice(0, 10) : ''
}
function yearOf(iso: string): string {
  return /^\d{4}/.test(iso) ? iso.slice(0, 4) : ''
}
function minutesOf(seconds: string): string {
  const n = Number(seconds)
  return seconds !== '' && Number.isFinite(n) ? String(Math.round((n / 60) * 100) / 100) : ''
}

// The value of one active filter as the panel names it: "French", "Since 1 May 2024".
function valueLabel(ctx: PageContext, f: ActiveFilter, s: SearchState): string {
  const { t, labels, fmt } = ctx
  const day = (iso: string) => fmt.date(iso) || iso
  switch (f.group) {
    case 'published':
      if (f.value !== 'custom') return t(PUBLISHED_LABELS[f.value as keyof typeof PUBLISHED_LABELS])
      return s.startDate && s.endDate
        ? t('rangeBetween', { from: day(s.startDate), to: day(s.endDate) })
        : s.startDate ? t('rangeSince', { from: day(s.startDate) }) : t('rangeUntil', { to: day(s.endDate) })
    case 'duration':
      if (f.value !== 'custom') return t(DURATION_LABELS[f.value as keyof typeof DURATION_LABELS])
      return t('minutesRange', { which: s.durationMin && s.durationMax ? 'both' : s.durationMin ? 'min' : 'max', min: minutesOf(s.durationMin), max: minutesOf(s.durationMax) })
    case 'original': {
      const from = yearOf(s.originallyPublishedStartDate)
      const to = yearOf(s.originallyPublishedEndDate)
      return from && to ? t('rangeBetween', { from, to }) : from ? t('rangeSince', { from }) : t('rangeUntil', { to })
    }
    case 'category':
      return labels.category(Number(f.value)) ?? f.value
    case 'licence':
      return labels.licence(Number(f.value)) ?? f.value
    case 'language':
      return labels.language(f.value) ?? f.value
    case 'live':
      return f.value === 'true' ? t('liveOnly') : f.value === 'false' ? t('liveExclude') : f.value
    case 'nsfw':
      return f.value in NSFW_LABELS ? t(NSFW_LABELS[f.value as keyof typeof NSFW_LABELS]) : f.value
    default:
      return f.value
  }
}

/** How one active filter is named, in a chip: "Language: French", "Published: since 1 May 2024". */
export function filterLabel(ctx: PageContext, f: ActiveFilter, s: SearchState): string {
  return ctx.t('filterValue', { filter: ctx.t(GROUP_LABELS[f.group]), value: valueLabel(ctx, f, s) })
}

/** A whole filter group named with all its values: "Category: Music, Art". */
export function groupLabel(ctx: PageContext, group: FilterGroup, s: SearchState): string {
  const values = activeFilters(s).filter((f) => f.group === group).map((f) => valueLabel(ctx, f, s))
  const list = new Intl.ListFormat(ctx.locale, { type: 'unit', style: 'short' })
  return ctx.t('filterValue', { filter: ctx.t(GROUP_LABELS[group]), value: list.format(values) })
}

/** The active filters as chips above the results, each a link that removes it, and one that removes them all. */
export function filterChips(ctx: PageContext, s: SearchState, href: (o: Partial<SearchState>) => string, resetHref: string): Html {
  const active = activeFilters(s)
  if (active.length === 0) return html``
  const { t } = ctx
  return html`<div class="chips" role="group" aria-label="${t('activeFiltersLabel')}">
    <ul>
      ${active.map((f) => {
        const label = filterLabel(ctx, f, s)
        return html`<li><a class="chip" href="${href(f.remove)}" aria-label="${t('removeFilter', { filter: label })}"><span dir="auto">${label}</span><span class="chip-x" aria-hidden="true">×</span></a></li>`
      })}
    </ul>
    ${active.length > 1 ? html`<a class="chips-clear" href="${resetHref}">${t('removeAllFilters')}</a>` : ''}
  </div>`
}

// Every control joins the header's search form, so one submission carries the text and all filters in the URL.
function select(id: string, name: string, label: string, options: Option[], selected: string): Html {
  // An unusual value from a hand-made URL stays selected instead of silently turning into "any".
  const extra = selected && !options.some((o) => o.value === selected) ? [{ value: selected, label: selected }] : []
  return html`<div class="field">
    <label for="${id}">${label}</label>
    <select id="${id}" name="${name}" form="${SEARCH_FORM_ID}">
      ${[...options, ...extra].map((o) => html`<option value="${o.value}" ${o.value === selected ? html`selected` : ''}>${o.label}</option>`)}
    </select>
  </div>`
}

function input(id: string, name: string, label: string, value: string, attrs: Html = html``): Html {
  return html`<div class="field">
    <label for="${id}">${label}</label>
    <input id="${id}" name="${name}" value="${value}" form="${SEARCH_FORM_ID}" ${attrs}>
  </div>`
}

// A pair of fields under a select's "custom" choice; the enhancement script shows them only with that choice
// and leaves them out of the URL otherwise. Without JavaScript they are always there, and the server reads them
// when no preset is chosen.
function customFields(owner: string, fields: Html): Html {
  return html`<div class="custom-fields" data-custom-of="${owner}">${fields}</div>`
}

// A list of checkboxes (several values allowed), folded under its name and the values already chosen.
function choices(id: string, name: string, label: string, options: Option[], selected: string[]): Html {
  const chosen = new Set(selected)
  const extra = selected.filter((s) => !options.some((o) => o.value === s)).map((s) => ({ value: s, label: s }))
  const all = [...options.filter((o) => chosen.has(o.value)), ...extra, ...options.filter((o) => !chosen.has(o.value))]
  const summary = all.filter((o) => chosen.has(o.value)).map((o) => o.label).join(', ')
  return html`<details class="field choices" id="${id}" ${chosen.size > 0 ? html`open` : ''}>
    <summary><span class="choices-name">${label}</span>${summary ? html` <span class="choices-summary">${summary}</span>` : ''}</summary>
    <fieldset>
      <legend class="visually-hidden">${label}</legend>
      <div class="choices-list">
        ${all.map((o) => html`<label><input type="checkbox" name="${name}" value="${o.value}" form="${SEARCH_FORM_ID}"${chosen.has(o.value) ? html` checked` : ''}>${o.label}</label>`)}
      </div>
    </fieldset>
  </details>`
}

// Tags as chips: each chosen tag is a checked box (untick it to remove the tag), and a text field adds more.
function tagField(id: string, name: string, label: string, tags: string[], addLabel: string, placeholder: string): Html {
  return html`<fieldset class="field tag-field">
    <legend>${label}</legend>
    ${tags.length > 0
      ? html`<div class="tag-chips">${tags.map((tag) => html`<label class="tag-chip"><input type="checkbox" name="${name}" value="${tag}" form="${SEARCH_FORM_ID}" checked><bdi>${tag}</bdi></label>`)}</div>`
      : ''}
    <label for="${id}" class="tag-add-label">${addLabel}</label>
    <input id="${id}" type="text" name="${name}" value="" form="${SEARCH_FORM_ID}" placeholder="${placeholder}" autocomplete="off" spellcheck="false" dir="auto">
  </fieldset>`
}

/** The filter panel, folded: the chips above the results already say what is active. */
export function filtersPanel(ctx: PageContext, state: SearchState, resetHref: string): Html {
  const { t, labels } = ctx
  const active = activeGroups(state).length
  const any = { value: '', label: t('any') }
  const customDates = !state.publishedDateRange && Boolean(state.startDate || state.endDate)
  const customDuration = !state.durationRange && Boolean(state.durationMin || state.durationMax)
  const dateOptions: Option[] = [any, ...PUBLISHED_RANGES.map((value) => ({ value, label: t(PUBLISHED_LABELS[value]) })), { value: 'custom', label: t('customDates') }]
  const durationOptions: Option[] = [any, ...DURATION_RANGES.map((value) => ({ value, label: t(DURATION_LABELS[value]) })), { value: 'custom', label: t('customDuration') }]
  const { categories, licences, languages } = labelledChoices(ctx.locale, labels)
  const nsfwOptions = NSFW_CHOICES.map((value) => ({ value: value === 'false' ? '' : value, label: t(NSFW_LABELS[value]) }))
  const actorsOnly = state.resultType === 'channels' || state.resultType === 'playlists'
  const number = (min: number, max: number, step: string) => html`type="number" min="${min}" max="${max}" step="${step}" inputmode="decimal"`
  return html`<details class="filters">
  <summary>
    <span>${t('filtersTitle')}</span>
    ${active > 0 ? html`<span class="count-badge" aria-hidden="true">${active}</span><span class="visually-hidden">(${t('activeFilters', { count: active })})</span>` : ''}
  </summary>
  <div class="filters-body">
    ${actorsOnly ? html`<p class="field-note">${t('filtersVideosOnly')}</p>` : ''}
    <div class="filters-grid">
      <div class="field-group">
        ${select('f-date', 'publishedDateRange', t('filterPublished'), dateOptions, customDates ? 'custom' : state.publishedDateRange)}
        ${customFields('f-date', html`
          ${input('f-date-from', 'startDate', t('dateFrom'), dayOf(state.startDate), html`type="date"`)}
          ${input('f-date-to', 'endDate', t('dateTo'), dayOf(state.endDate), html`type="date"`)}`)}
      </div>
      <div class="field-group">
        ${select('f-duration', 'durationRange', t('filterDuration'), durationOptions, customDuration ? 'custom' : state.durationRange)}
        ${customFields('f-duration', html`
          ${input('f-duration-min', 'durationMinMinutes', t('minutesFrom'), minutesOf(state.durationMin), number(0, 100000, 'any'))}
          ${input('f-duration-max', 'durationMaxMinutes', t('minutesTo'), minutesOf(state.durationMax), number(0, 100000, 'any'))}`)}
      </div>
      <fieldset class="field-group">
        <legend>${t('filterOriginal')}</legend>
        <div class="custom-fields">
          ${input('f-original-from', 'originallyPublishedStartYear', t('yearFrom'), yearOf(state.originallyPublishedStartDate), number(1, 9999, '1'))}
          ${input('f-original-to', 'originallyPublishedEndYear', t('yearTo'), yearOf(state.originallyPublishedEndDate), number(1, 9999, '1'))}
        </div>
      </fieldset>
      ${select('f-live', 'isLive', t('filterLive'), [any, { value: 'true', label: t('liveOnly') }, { value: 'false', label: t('liveExclude') }], state.isLive)}
      ${select('f-nsfw', 'nsfw', t('filterSensitive'), nsfwOptions, state.nsfw === 'false' ? '' : state.nsfw)}
      ${input('f-host', 'host', t('filterHost'), state.host, html`type="text" placeholder="${t('hostPlaceholder')}" autocomplete="off" spellcheck="false"`)}
      ${choices('f-category', 'categoryOneOf', t('filterCategory'), categories, state.categoryOneOf)}
      ${choices('f-licence', 'licenceOneOf', t('filterLicence'), licences, state.licenceOneOf)}
      ${choices('f-language', 'languageOneOf', t('filterLanguage'), languages, state.languageOneOf)}
      ${tagField('f-tags-one', 'tagsOneOf', t('filterTagsOneOf'), state.tagsOneOf, t('addTags'), t('tagsPlaceholder'))}
      ${tagField('f-tags-all', 'tagsAllOf', t('filterTagsAllOf'), state.tagsAllOf, t('addTags'), t('tagsPlaceholder'))}
    </div>
    <div class="filters-actions">
      <button type="submit" form="${SEARCH_FORM_ID}" class="button">${t('applyFilters')}</button>
      <a class="button-quiet" href="${resetHref}">${t('resetFilters')}</a>
    </div>
  </div>
</details>`
}
