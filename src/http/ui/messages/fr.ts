// Le texte de l'interface en français ; même forme que le catalogue anglais, vérifiée par le type Messages.
import { html, type Html } from '../../../../views/html.ts'
import type { Messages } from './en.ts'
import { plural } from './plural.ts'

const p = (n: number, one: string, other: string) => plural('fr', n, one, other)

/** The French interface text. */
export const fr: Messages = {
  tagline: 'chercher des vidéos sur PeerTube',
  skipToContent: 'Aller au contenu',
  languageSwitchLabel: 'Langue',
  footerNavLabel: 'À propos de ce site',
  aboutLink: (name) => `À propos de ${name}`,
  instancesLink: 'Instances indexées',
  legalNotices: 'Mentions légales',
  sourceCode: 'Code source',
  footerPromise: 'Pas de cookies, pas de pistage, les mêmes résultats pour tout le monde. Chaque résultat vous mène au site qui l’héberge.',

  searchLabel: 'Chercher des vidéos, des chaînes et des listes de lecture',
  searchPlaceholder: 'Chercher des vidéos, chaînes, listes de lecture…',
  searchButton: 'Chercher',

  views: (n, s) => `${s} ${p(n, 'vue', 'vues')}`,
  viewers: (n, s) => `${s} ${p(n, 'spectateur', 'spectateurs')} en ce moment`,
  live: 'En direct',
  durationLabel: 'Durée',
  byAccount: (name) => `par ${name}`,
  sensitive: 'Sensible',
  tagsLabel: 'Mots-clés',
  goWatchVideo: (host: Html): Html => html`Aller voir cette vidéo sur ${host}`,
  followers: (n, s) => `${s} ${p(n, 'abonné', 'abonnés')}`,
  videosCount: (n, s) => `${s} ${p(n, 'vidéo', 'vidéos')}`,
  goSeeChannel: (host: Html): Html => html`Aller voir cette chaîne sur ${host}`,
  updated: 'Mis à jour',
  playlistBy: 'Liste de lecture de',
  goSeePlaylist: (host: Html): Html => html`Aller voir cette liste de lecture sur ${host}`,

  paginationLabel: 'Pages de résultats',
  previousPage: '← Précédente',
  nextPage: 'Suivante →',
  pageN: (n) => `Page ${n}`,
  pageOf: (page, last) => `· page ${page} sur ${last}`,

  sortLabel: 'Trier par',
  sortApply: 'Trier',
  sortBestMatch: 'Pertinence',
  sortNewest: 'Les plus récentes',
  sortOldest: 'Les plus anciennes',
  sortMostViewed: 'Les plus vues',
  filtersTitle: 'Filtres',
  activeFilters: (n) => `${n} ${p(n, 'filtre actif', 'filtres actifs')}`,
  filtersVideosOnly: 'Seul le filtre d’hébergement s’applique aux chaînes et aux listes de lecture\u00a0; les autres s’appliquent aux vidéos.',
  any: 'Indifférent',
  filterPublished: 'Publication',
  publishedRanges: {
    today: 'Dans les dernières 24 heures',
    last_7days: 'Dans les 7 derniers jours',
    last_30days: 'Dans les 30 derniers jours',
    last_365days: 'Dans les 12 derniers mois',
  },
  customDates: (from, to) => (from && to ? `Du ${from} au ${to}` : from ? `Depuis le ${from}` : `Jusqu’au ${to}`),
  filterDuration: 'Durée',
  durationRanges: { short: 'Courte (moins de 4 min)', medium: 'Moyenne (4 à 10 min)', long: 'Longue (plus de 10 min)' },
  customDuration: (min, max) =>
    min && max ? `De ${min} à ${max} secondes` : min ? `Au moins ${min} secondes` : `Au plus ${max} secondes`,
  filterCategory: 'Catégorie',
  filterLanguage: 'Langue',
  filterLicence: 'Licence',
  filterLive: 'Directs',
  liveOnly: 'Seulement les directs',
  liveExclude: 'Sans les directs',
  filterSensitive: 'Contenu sensible',
  nsfwHide: 'Masqué (par défaut)',
  nsfwShow: 'Affiché',
  nsfwOnly: 'Seulement le contenu sensible',
  filterTagsOneOf: 'Avec l’un de ces mots-clés',
  filterTagsAllOf: 'Avec tous ces mots-clés',
  tagsPlaceholder: 'ex. musique, jazz',
  filterHost: 'Hébergé sur (instance)',
  hostPlaceholder: 'ex. video.example.org',
  applyFilters: 'Appliquer les filtres',
  resetFilters: 'Réinitialiser les filtres',

  resultsFor: (q) => `Résultats pour «\u00a0${q}\u00a0»`,
  latestVideos: 'Dernières vidéos',
  searchResults: 'Résultats de recherche',
  resultTypeLabel: 'Type de résultats',
  tabAll: 'Tout',
  tabVideos: 'Vidéos',
  tabChannels: 'Chaînes',
  tabPlaylists: 'Listes de lecture',
  channelsCount: (n, s) => `${s} ${p(n, 'chaîne', 'chaînes')}`,
  playlistsCount: (n, s) => `${s} ${p(n, 'liste de lecture', 'listes de lecture')}`,
  seeAll: (kind, n) => `Voir les ${n} ${kind.toLowerCase()} →`,
  noResultsFor: (q) => `Rien ne correspond à «\u00a0${q}\u00a0»`,
  noResults: 'Rien ne correspond à cette recherche',
  emptyTipSpelling: 'Vérifiez l’orthographe, ou essayez un autre mot de même sens.',
  emptyTipWords: 'Utilisez moins de mots, ou des mots plus généraux.',
  emptyTipFilters: 'Retirer les filtres',
  invalidTitle: 'Cette adresse de recherche n’est pas tout à fait correcte',
  invalidIntro: 'Certains de ses réglages n’ont pas pu être compris\u00a0:',
  invalidReset: 'Recommencer avec seulement les mots cherchés',

  indexStats: (videos, instances, v, i) =>
    `${videos} ${p(v, 'vidéo', 'vidéos')} de ${instances} ${p(i, 'site', 'sites')} PeerTube`,
  howItWorks: 'Comment ça marche',
  explainFederationTitle: 'Beaucoup de sites, une recherche',
  explainFederation:
    'PeerTube est un logiciel de vidéo que chacun peut installer. Des milliers de sites indépendants, appelés instances, publient des vidéos avec. Cette recherche les parcourt d’un coup.',
  explainOriginTitle: 'Regarder là où vit la vidéo',
  explainOrigin:
    'Chaque résultat indique le site qui l’héberge et vous y mène directement. Rien n’est copié\u00a0: la vidéo reste chez celles et ceux qui l’ont publiée.',
  explainPrivacyTitle: 'Rien sur vous',
  explainPrivacy:
    'Ni compte, ni cookies, ni pistage, ni trace de ce que vous cherchez. Les mêmes mots donnent les mêmes résultats pour tout le monde.',
  aboutMore: (name) => `En savoir plus sur ${name} et les sites indexés →`,

  backHome: 'Retour à l’accueil',
  notFoundTitle: 'Page introuvable',
  notFoundMessage: 'Il n’y a rien à cette adresse. La page a peut-être changé de place, ou le lien contient une faute.',
  serverErrorTitle: 'Un problème est survenu',
  serverErrorMessage: 'La recherche n’a pas pu aboutir à cause d’un problème de notre côté. Réessayez dans un instant.',

  aboutTitle: (name) => `À propos de ${name}`,
  aboutHowTitle: 'Comment ça marche',
  aboutHow: (name) =>
    `${name} visite régulièrement les instances PeerTube de sa liste et lit les vidéos, chaînes et listes de lecture publiques que chacune publie elle-même. Il en garde un index\u00a0: titres, descriptions, mots-clés, chaînes et adresses des miniatures.`,
  aboutOrigin:
    'Les résultats mènent à l’instance qui les héberge. Les vidéos ne sont jamais copiées ni lues ici\u00a0: leurs auteurs en gardent la maîtrise, et une vidéo retirée de son instance disparaît de l’index à la visite suivante.',
  aboutRankingTitle: 'Comment les résultats sont classés',
  aboutRanking:
    'Les résultats sont classés selon leur correspondance avec les mots tapés, sauf si vous choisissez un autre ordre (les plus récentes, les plus vues…). Pas de personnalisation, pas de placement payant\u00a0: les mêmes mots donnent les mêmes résultats pour tout le monde. Si votre navigateur indique les langues que vous lisez, les vidéos dans ces langues sont favorisées, jamais filtrées.',
  aboutPrivacyTitle: 'Votre vie privée',
  aboutPrivacyCookies: 'Ce site ne dépose aucun cookie et ne charge ni script, ni police, ni traceur tiers.',
  aboutPrivacyLogs: 'Les recherches et les adresses des visiteurs ne sont pas enregistrées.',
  aboutPrivacyReferrer: 'Quand vous suivez un résultat, votre navigateur ne dit pas à l’instance ce que vous avez cherché.',
  aboutPrivacyImages:
    'Les miniatures et les avatars sont chargés depuis les instances qui les hébergent\u00a0: celles-ci voient donc votre adresse, comme lorsque vous les visitez.',
  aboutModerationTitle: 'Politique de modération',
  aboutPeerTubeTitle: 'L’utiliser depuis votre instance PeerTube',
  aboutPeerTube:
    'Ce site répond aussi à l’API de recherche de PeerTube\u00a0: une instance peut s’en servir comme index de recherche. Les administrateurs peuvent indiquer cette adresse comme URL d’index de recherche dans la configuration de leur instance\u00a0:',
  aboutSourceTitle: 'Logiciel libre',
  aboutSource: (name) =>
    `${name} est un logiciel libre sous licence AGPL\u00a0: chacun peut vérifier son fonctionnement, ou installer le sien. Son code source\u00a0:`,
  instancesTitle: 'Instances indexées',
  instancesSummary: (n, s, failing) =>
    `${s} ${p(n, 'instance est indexée', 'instances sont indexées')}` +
    (failing > 0
      ? `\u00a0; ${failing} ${p(failing, 'n’a pas pu être jointe récemment, son', 'n’ont pas pu être jointes récemment, leur')} dernier contenu connu reste consultable.`
      : '.'),
  instancesRefused: (n) =>
    `${n} ${p(n, 'autre instance est listée mais pas indexée\u00a0: son', 'autres instances sont listées mais pas indexées\u00a0: leur')} robots.txt demande aux robots d’exploration de ne pas venir.`,
  instancesListFrom: 'La liste provient de',
  instanceColumn: 'Instance',
  videosColumn: 'Vidéos',
  statusColumn: 'État',
  statusOk: 'À jour',
  lastCrawl: (ago) => `visitée ${ago}`,
  statusFailing: (n) => `Injoignable (${n} ${p(n, 'tentative', 'tentatives')})`,
  lastSuccess: (ago) => `dernière visite ${ago}`,
  neverIndexed: 'jamais indexée',
  statusPending: 'Pas encore visitée',
  statusRefused: 'Non indexée\u00a0: son robots.txt demande aux robots d’exploration de ne pas venir',
  blocksTitle: 'Instances bloquées',
  blocksIntro: 'Les administrateurs de ce site ont bloqué ces instances\u00a0: rien n’en est indexé.',
  blocksNone: 'Aucune instance n’est bloquée.',
  blockReasonColumn: 'Motif',
  blockSinceColumn: 'Bloquée depuis',
  blockedActors: (accounts, channels, a, c, also) => {
    const parts = [accounts > 0 ? `${a} ${p(accounts, 'compte', 'comptes')}` : '', channels > 0 ? `${c} ${p(channels, 'chaîne', 'chaînes')}` : '']
    const one = accounts + channels === 1
    const verb = accounts > 0 && channels > 0 ? 'sont' : accounts > 0 ? p(accounts, 'est', 'sont') : p(channels, 'est', 'sont')
    const blocked = channels > 0 && accounts === 0 ? p(channels, 'bloquée', 'bloquées') : one ? 'bloqué' : 'bloqués'
    return `${parts.filter((s) => s !== '').join(' et ')} ${verb}${also ? ' aussi' : ''} ${blocked}.`
  },
  blocksJson: (link: Html): Html => html`La même liste est publiée en JSON\u00a0: ${link}.`,
}
