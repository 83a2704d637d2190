import type { PublicInstance } from '../../src/db/instances-public.ts'
import type { PublicBlocks } from '../../src/db/moderation.ts'
import type { PageContext } from '../context.ts'
import { html, safeUrl, type Html } from '../html.ts'
import { layout } from '../layout.ts'

/** What the about page lists. */
export type AboutProps = {
  instances: PublicInstance[]
  /** Where the moderated list of instances comes from, or null when only the configuration names them. */
  listUrl: string | null
  /** The address of this site, for instance admins who want to use it as their search index. */
  siteUrl: string
  /** The scheme instances are reached with (http only in test setups). */
  instanceScheme: 'https' | 'http'
  /** The blocks, when the admin publishes them (moderation.publishBlocks); null keeps the page silent about them. */
  blocks: PublicBlocks | null
}

/** Where the API publishes the same blocks as JSON (src/http/api/moderation.ts). */
const BLOCKS_JSON_PATH = '/api/v1/moderation/blocks'

/** The about page: what this is, how it ranks and respects privacy, its moderation policy, what it indexes. */
export function aboutPage(ctx: PageContext, p: AboutProps): Html {
  const { t, fmt, site } = ctx
  const title = t('aboutTitle', { name: site.name })
  const policy = site.moderationPolicy.split(/\n\s*\n/).map((s) => s.trim()).filter((s) => s !== '')
  const failing = p.instances.filter((i) => i.status === 'failing').length
  const refused = p.instances.filter((i) => i.status === 'refused').length
  const indexed = p.instances.length - refused
  const body = html`<article class="prose about">
  <h1>${title}</h1>
  <p class="lead">${site.description}</p>

  <h2>${t('aboutHowTitle')}</h2>
  <p>${t('aboutHow', { name: site.name })}</p>
  <p>${t('aboutOrigin')}</p>

  <h2>${t('aboutRankingTitle')}</h2>
  <p>${t('aboutRanking')}</p>

  <h2>${t('aboutPrivacyTitle')}</h2>
  <ul>
    <li>${t('aboutPrivacyCookies')}</li>
    <li>${t('aboutPrivacyLogs')}</li>
    <li>${t('aboutPrivacyReferrer')}</li>
    <li>${t(ctx.images.proxied ? 'aboutPrivacyImagesProxied' : 'aboutPrivacyImages')}</li>
  </ul>

  ${policy.length > 0
    ? html`<h2>${t('aboutModerationTitle')}</h2>${policy.map((para) => html`<p class="preserve-lines">${para}</p>`)}`
    : ''}

  <h2>${t('aboutPeerTubeTitle')}</h2>
  <p>${t('aboutPeerTube')}</p>
  <p><code class="copyable">${p.siteUrl}</code></p>

  <h2>${t('aboutSourceTitle')}</h2>
  <p>${t('aboutSource', { name: site.name })} <a href="${site.sourceUrl}" rel="noreferrer">${site.sourceUrl}</a></p>
  ${site.legalNoticesUrl ? html`<p><a href="${site.legalNoticesUrl}" rel="noreferrer">${t('legalNotices')}</a></p>` : ''}

  <h2 id="instances">${t('instancesTitle')}</h2>
  <p>${t('instancesSummary', { count: indexed, n: fmt.number(indexed), failing, f: fmt.number(failing) })}
    ${refused > 0 ? t('instancesRefused', { count: refused, n: fmt.number(refused) }) : ''}
    ${p.listUrl ? ctx.rich('instancesListFrom', { link: html`<a href="${p.listUrl}" rel="noreferrer">${new URL(p.listUrl).host}</a>` }) : ''}</p>
  ${p.instances.length > 0 ? instancesTable(ctx, p) : ''}
  ${p.blocks ? blocksSection(ctx, p.blocks) : ''}
</article>`
  // The title already names the site ("About Sepia"): the layout must not add it again.
  return layout(ctx, { title, titleNamesSite: true, kind: 'about', headerSearch: { search: '', hidden: [] } }, body)
}

function instancesTable(ctx: PageContext, p: AboutProps): Html {
  const { t, fmt } = ctx
  return html`<div class="table-wrap">
  <table class="instances">
    <thead><tr><th scope="col">${t('instanceColumn')}</th><th scope="col" class="num">${t('videosColumn')}</th><th scope="col">${t('statusColumn')}</th></tr></thead>
    <tbody>
      ${p.instances.map((i) => {
        const href = safeUrl(`${p.instanceScheme}://${i.host}/`)
        const status: Html =
          i.status === 'ok'
            ? html`<span class="status status-ok">${t('statusOk')}</span> <span class="muted">${t('lastCrawl', { ago: fmt.ago(i.lastSuccessAt ?? 0) })}</span>`
            : i.status === 'failing'
              ? html`<span class="status status-failing">${t('statusFailing', { count: i.errorCount })}</span> <span class="muted">${i.lastSuccessAt ? t('lastSuccess', { ago: fmt.ago(i.lastSuccessAt) }) : t('neverIndexed')}</span>`
              : i.status === 'refused'
                ? html`<span class="status status-refused">${t('statusRefused')}</span>`
                : html`<span class="status status-pending">${t('statusPending')}</span>`
        return html`<tr>
          <td>${href ? html`<a href="${href}" rel="noreferrer">${i.host}</a>` : i.host}${i.name && i.name !== i.host ? html`<span class="instance-name" dir="auto">${i.name}</span>` : ''}</td>
          <td class="num">${fmt.number(i.videosCount)}</td>
          <td>${status}</td>
        </tr>`
      })}
    </tbody>
  </table>
</div>`
}

// Blocked hosts are named without a link: the page explains a decision, it does not send visitors there.
function blocksSection(ctx: PageContext, b: PublicBlocks): Html {
  const { t, fmt } = ctx
  const hosts = b.hosts.length > 0
  return html`<h2 id="blocked">${t('blocksTitle')}</h2>
  <p>${hosts ? t('blocksIntro') : t('blocksNone')}</p>
  ${hosts
    ? html`<div class="table-wrap">
  <table class="instances blocks">
    <thead><tr><th scope="col">${t('instanceColumn')}</th><th scope="col">${t('blockReasonColumn')}</th><th scope="col">${t('blockSinceColumn')}</th></tr></thead>
    <tbody>
      ${b.hosts.map((h) => html`<tr>
          <td>${h.host}</td>
          <td class="preserve-lines" dir="auto">${h.reason}</td>
          <td><time datetime="${h.since}">${fmt.date(h.since)}</time></td>
        </tr>`)}
    </tbody>
  </table>
</div>`
    : ''}
  ${b.accounts + b.channels > 0
    ? html`<p>${t('blockedActors', {
        which: b.accounts > 0 && b.channels > 0 ? 'both' : b.accounts > 0 ? 'accounts' : 'channels',
        accounts: b.accounts, a: fmt.number(b.accounts), channels: b.channels, c: fmt.number(b.channels), also: hosts ? 'yes' : 'no',
      })}</p>`
    : ''}
  <p>${ctx.rich('blocksJson', { link: html`<a href="${BLOCKS_JSON_PATH}">${BLOCKS_JSON_PATH}</a>` })}</p>`
}
