import { CATEGORY_IDS, LANGUAGE_CHOICES, LICENCE_IDS } from '../../src/http/ui/labels.ts'
import {
  DURATION_RANGES,
  NSFW_CHOICES,
  PUBLISHED_RANGES,
  VIDEO_SORTS,
  countFilters,
  type SearchState,
} from '../../src/http/ui/search-state.ts'
import type { PageContext } from '../context.ts'
import { html, type Html } from '../html.ts'
import { SEARCH_FORM_ID } from './search-form.ts'

type Option = { value: string; label: string }

// Every control joins the header's search form, so one submission carries the text and all filters in the URL.
function select(id: string, name: string, label: string, options: Option[], selected: string[]): Html {
  const values = new Set(selected)
  // An unusual value from a hand-made URL stays selected instead of silently turning into "any".
  const extra = selected.filter((s) => !options.some((o) => o.value === s)).map((s) => ({ value: s, label: s }))
  const multiple = selected.length > 1
  return html`<div class="field">
    <label for="${id}">${label}</label>
    <select id="${id}" name="${name}" form="${SEARCH_FORM_ID}" ${multiple ? html`multiple size="4"` : ''}>
      ${[...options, ...extra].map((o) => html`<option value="${o.value}" ${values.has(o.value) ? html`selected` : ''}>${o.label}</option>`)}
    </select>
  </div>`
}

function textField(id: string, name: string, label: string, value: string, placeholder: string): Html {
  return html`<div class="field">
    <label for="${id}">${label}</label>
    <input id="${id}" type="text" name="${name}" value="${value}" form="${SEARCH_FORM_ID}" placeholder="${placeholder}"
      autocomplete="off" spellcheck="false">
  </div>`
}

// `owner` names the select whose "custom" choice these values belong to: the enhancement script drops them from
// the URL once another choice is made (the server ignores them then anyway).
function hidden(name: string, value: string, owner?: string): Html {
  if (!value) return html``
  return html`<input type="hidden" name="${name}" value="${value}" form="${SEARCH_FORM_ID}" ${owner ? html`data-custom-of="${owner}"` : ''}>`
}

/** The sort control that sits next to the result count. */
export function sortControl(ctx: PageContext, state: SearchState): Html {
  const { t } = ctx
  const labels: Record<(typeof VIDEO_SORTS)[number], string> = {
    '-match': t.sortBestMatch,
    '-publishedAt': t.sortNewest,
    publishedAt: t.sortOldest,
    '-views': t.sortMostViewed,
  }
  const options = VIDEO_SORTS.map((value) => ({ value: value === '-match' ? '' : value, label: labels[value] }))
  const current = state.sort === '-match' ? '' : state.sort
  const extra = current && !options.some((o) => o.value === current) ? [{ value: current, label: current }] : []
  return html`<div class="sort">
    <label for="f-sort">${t.sortLabel}</label>
    <select id="f-sort" name="sort" form="${SEARCH_FORM_ID}" data-autosubmit>
      ${[...options, ...extra].map((o) => html`<option value="${o.value}" ${o.value === current ? html`selected` : ''}>${o.label}</option>`)}
    </select>
    <button type="submit" form="${SEARCH_FORM_ID}" class="button-quiet nojs-only">${t.sortApply}</button>
  </div>`
}

/** The filters panel: every API filter as a plain form control, open whenever a filter is set. */
export function filtersPanel(ctx: PageContext, state: SearchState, resetHref: string): Html {
  const { t, labels, fmt } = ctx
  const active = countFilters(state)
  const any = { value: '', label: t.any }
  const customDates = !state.publishedDateRange && (state.startDate || state.endDate)
  const customDuration = !state.durationRange && (state.durationMin || state.durationMax)
  const dateLabel = (iso: string) => fmt.date(iso) || iso
  const dateOptions: Option[] = [
    any,
    ...PUBLISHED_RANGES.map((value) => ({ value, label: t.publishedRanges[value] })),
    ...(customDates
      ? [{ value: 'custom', label: t.customDates(state.startDate ? dateLabel(state.startDate) : null, state.endDate ? dateLabel(state.endDate) : null) }]
      : []),
  ]
  const durationOptions: Option[] = [
    any,
    ...DURATION_RANGES.map((value) => ({ value, label: t.durationRanges[value] })),
    ...(customDuration ? [{ value: 'custom', label: t.customDuration(state.durationMin || null, state.durationMax || null) }] : []),
  ]
  const byLabel = (a: Option, b: Option) => a.label.localeCompare(b.label, ctx.locale)
  const categories = CATEGORY_IDS.map((id) => ({ value: String(id), label: labels.category(id) ?? String(id) })).sort(byLabel)
  const licences = LICENCE_IDS.map((id) => ({ value: String(id), label: labels.licence(id) ?? String(id) }))
  const languages = LANGUAGE_CHOICES.map((id) => ({ value: id, label: labels.language(id) ?? id })).sort(byLabel)
  const nsfwLabels: Record<(typeof NSFW_CHOICES)[number], string> = { false: t.nsfwHide, both: t.nsfwShow, true: t.nsfwOnly }
  const videosOnly = state.resultType === 'channels' || state.resultType === 'playlists'
  return html`<details class="filters" ${active > 0 ? html`open` : ''}>
  <summary>
    <span>${t.filtersTitle}</span>
    ${active > 0 ? html`<span class="count-badge" aria-hidden="true">${active}</span><span class="visually-hidden">(${t.activeFilters(active)})</span>` : ''}
  </summary>
  <div class="filters-body">
    ${videosOnly ? html`<p class="field-note">${t.filtersVideosOnly}</p>` : ''}
    <div class="filters-grid">
      ${select('f-date', 'publishedDateRange', t.filterPublished, dateOptions, [customDates ? 'custom' : state.publishedDateRange])}
      ${select('f-duration', 'durationRange', t.filterDuration, durationOptions, [customDuration ? 'custom' : state.durationRange])}
      ${select('f-category', 'categoryOneOf', t.filterCategory, [any, ...categories], state.categoryOneOf.length ? state.categoryOneOf : [''])}
      ${select('f-language', 'languageOneOf', t.filterLanguage, [any, ...languages], state.languageOneOf.length ? state.languageOneOf : [''])}
      ${select('f-licence', 'licenceOneOf', t.filterLicence, [any, ...licences], state.licenceOneOf.length ? state.licenceOneOf : [''])}
      ${select('f-live', 'isLive', t.filterLive, [any, { value: 'true', label: t.liveOnly }, { value: 'false', label: t.liveExclude }], [state.isLive])}
      ${select('f-nsfw', 'nsfw', t.filterSensitive, NSFW_CHOICES.map((value) => ({ value: value === 'false' ? '' : value, label: nsfwLabels[value] })), [state.nsfw === 'false' ? '' : state.nsfw])}
      ${textField('f-host', 'host', t.filterHost, state.host, t.hostPlaceholder)}
      ${textField('f-tags-one', 'tagsOneOf', t.filterTagsOneOf, state.tagsOneOf.join(', '), t.tagsPlaceholder)}
      ${textField('f-tags-all', 'tagsAllOf', t.filterTagsAllOf, state.tagsAllOf.join(', '), t.tagsPlaceholder)}
    </div>
    ${customDates ? [hidden('startDate', state.startDate, 'f-date'), hidden('endDate', state.endDate, 'f-date')] : ''}
    ${customDuration ? [hidden('durationMin', state.durationMin, 'f-duration'), hidden('durationMax', state.durationMax, 'f-duration')] : ''}
    ${hidden('originallyPublishedStartDate', state.originallyPublishedStartDate)}
    ${hidden('originallyPublishedEndDate', state.originallyPublishedEndDate)}
    <div class="filters-actions">
      <button type="submit" form="${SEARCH_FORM_ID}" class="button">${t.applyFilters}</button>
      <a class="button-quiet" href="${resetHref}">${t.resetFilters}</a>
    </div>
  </div>
</details>`
}
