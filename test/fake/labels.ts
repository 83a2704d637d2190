// PeerTube's constant tables (shared/docs/peertube-api-contract.md §5), as a fake instance labels them in English.

/** VIDEO_CATEGORIES, unchanged from 2.0 to 8.x. */
export const CATEGORIES: Record<number, string> = {
  1: 'Music', 2: 'Films', 3: 'Vehicles', 4: 'Art', 5: 'Sports', 6: 'Travels', 7: 'Gaming', 8: 'People',
  9: 'Comedy', 10: 'Entertainment', 11: 'News & Politics', 12: 'How To', 13: 'Education', 14: 'Activism',
  15: 'Science & Technology', 16: 'Animals', 17: 'Kids', 18: 'Food',
}

/** VIDEO_LICENCES (8 and 9 are 8.x additions). */
export const LICENCES: Record<number, string> = {
  1: 'Attribution', 2: 'Attribution - Share Alike', 3: 'Attribution - No Derivatives',
  4: 'Attribution - Non Commercial', 5: 'Attribution - Non Commercial - Share Alike',
  6: 'Attribution - Non Commercial - No Derivatives', 7: 'Public Domain Dedication',
  8: 'Free of known copyright restrictions', 9: 'All Rights Reserved',
}

/** A few of PeerTube's languages, enough for fake content. */
export const LANGUAGES: Record<string, string> = {
  en: 'English', fr: 'French', de: 'German', es: 'Spanish (Spain)', it: 'Italian', ja: 'Japanese',
  eo: 'Esperanto', pt: 'Portuguese (Brazilian)', nl: 'Dutch', zxx: 'No linguistic content',
}

/** Video privacy ids. */
export const PRIVACIES: Record<number, string> = {
  1: 'Public', 2: 'Unlisted', 3: 'Private', 4: 'Internal', 5: 'Password protected',
}

/** Playlist privacy ids. */
export const PLAYLIST_PRIVACIES: Record<number, string> = { 1: 'Public', 2: 'Unlisted', 3: 'Private' }

/** Playlist type ids. */
export const PLAYLIST_TYPES: Record<number, string> = { 1: 'Regular', 2: 'Watch later' }

/** Video state ids (only Published videos are listed). */
export const STATES: Record<number, string> = {
  1: 'Published', 2: 'To transcode', 3: 'To import', 4: 'Waiting for livestream', 5: 'Livestream ended',
}

/** `{id, label}` as PeerTube sends it: "Unknown" when the id is missing or not in the table. */
export function labelled<T extends string | number>(table: Record<string | number, string>, id: T | null) {
  return { id, label: id === null ? 'Unknown' : (table[id] ?? 'Unknown') }
}
