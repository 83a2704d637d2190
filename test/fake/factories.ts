import { randomUuid, seededRandom } from './random.ts'
import type { FakeActorRef, FakeChannel, FakePlaylist, FakeVideo } from './types.ts'

/** The account fake content belongs to unless told otherwise. */
export const DEFAULT_ACCOUNT: FakeActorRef = { name: 'alice', displayName: 'Alice' }
/** The channel fake videos are published in unless told otherwise. */
export const DEFAULT_CHANNEL: FakeActorRef = { name: 'alice_channel', displayName: 'Alice’s channel' }

/**
 * Builders of fake content whose defaults (uuids, dates, counters) come from one seeded sequence. Dates are one
 * hour apart in creation order from `firstDate`: a later item is a newer one.
 */
export function createFactories(seed: number, firstDate = '2024-01-01T00:00:00.000Z') {
  const random = seededRandom(seed)
  let made = 0
  const start = Date.parse(firstDate)
  const nextDate = () => new Date(start + made++ * 3_600_000).toISOString()

  return {
    video(overrides: Partial<FakeVideo> & { name: string }): FakeVideo {
      const date = nextDate()
      return {
        uuid: randomUuid(random),
        description: `${overrides.name}: a video of the fake federation.`,
        support: null,
        tags: [],
        category: 15,
        licence: 1,
        language: 'en',
        privacy: 1,
        state: 1,
        duration: 60 + ((made * 37) % 3600),
        aspectRatio: 1.7778,
        views: (made * 13) % 1000,
        likes: made % 17,
        dislikes: 0,
        comments: 0,
        viewers: 0,
        nsfw: false,
        isLive: false,
        createdAt: date,
        updatedAt: date,
        publishedAt: date,
        originallyPublishedAt: null,
        account: DEFAULT_ACCOUNT,
        channel: DEFAULT_CHANNEL,
        ...overrides,
      }
    },
    channel(overrides: Partial<FakeChannel> & { name: string }): FakeChannel {
      const date = nextDate()
      return {
        displayName: overrides.name,
        description: `The ${overrides.name} channel.`,
        support: null,
        followersCount: made % 50,
        followingCount: 0,
        createdAt: date,
        updatedAt: date,
        ownerAccount: DEFAULT_ACCOUNT,
        ...overrides,
      }
    },
    playlist(overrides: Partial<FakePlaylist> & { displayName: string }): FakePlaylist {
      const date = nextDate()
      return {
        uuid: randomUuid(random),
        description: `${overrides.displayName}: a playlist of the fake federation.`,
        privacy: 1,
        type: 1,
        videosLength: 3,
        createdAt: date,
        updatedAt: date,
        ownerAccount: DEFAULT_ACCOUNT,
        channel: DEFAULT_CHANNEL,
        ...overrides,
      }
    },
  }
}
