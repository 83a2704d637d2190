// The standard fake federation: three instances of three API generations, with the traps a crawler must handle.
//   A "Vieux Tube"  3.2.1  old dialect (filter=local, `avatar`, descriptionPath, no url/shortUUID in lists),
//                          120 local public videos (two pages of 100), NSFW shown blurred by default.
//   B "Middle Tube" 5.2.1  isLocal, `avatar` + `avatars`, NSFW hidden unless nsfw=both (do_not_list).
//   C "New Tube"    8.2.3  rejects filter (400), fileUrl/height on images, live videos, comments counts.
// Each also has remote (federated) videos, channels and playlists, and non-public videos and playlists.
import { createFactories } from './factories.ts'
import type { FakeActorRef, FakeInstanceSpec, FakeVideo } from './types.ts'

const REMOTE_HOST = 'peertube.remote.example'

const LONG_TEXT =
  'This description is deliberately longer than the 250 characters PeerTube keeps in listings, so that a ' +
  'crawler must fetch the video details (or, before 5.0, the descriptionPath) to index all of it. The words ' +
  'after the cut are only in the full description: zanzibar, quokka, marmalade.'

/** Fresh specs of the standard federation; deterministic: every call returns the same content. */
export function standardFederation(): FakeInstanceSpec[] {
  // Older than anything fakeVideo() makes (from 2024-01-01), so a test's own videos are the newest.
  const make = createFactories(0x57a4d, '2023-01-01T00:00:00.000Z')
  const actor = (name: string, displayName: string): FakeActorRef => ({ name, displayName })

  // A: the old instance.
  const marie = actor('marie', 'Marie Curieuse')
  const jean = actor('jean', 'Jean Dupont')
  const sciences = actor('sciences', 'Sciences pour tous')
  const cuisine = actor('cuisine', 'La cuisine de Jean')
  const topicsA = ['Café', 'Mathématiques', 'Jardinage', 'Vélo', 'Astronomie', 'Photographie', 'Musique', 'Linux']
  const formsA = ['Introduction à', 'Atelier', 'Conférence', 'Documentaire', 'Tutoriel']
  const videosA: FakeVideo[] = []
  for (let i = 0; i < 120; i++) {
    const topic = topicsA[i % topicsA.length]!
    const ofJean = i % 3 === 0
    videosA.push(
      make.video({
        name: `${formsA[i % formsA.length]} ${topic} n°${i + 1}`,
        description: i % 10 === 0 ? `${topic}. ${LONG_TEXT}` : `Une vidéo sur ${topic.toLowerCase()}.`,
        tags: [topic.toLowerCase(), 'vieux-tube'],
        language: i % 4 === 0 ? 'en' : 'fr',
        category: [15, 13, 18, 1][i % 4]!,
        licence: (i % 7) + 1,
        nsfw: i === 7 || i === 42 || i === 99,
        account: ofJean ? jean : marie,
        channel: ofJean ? cuisine : sciences,
      }),
    )
  }
  videosA.push(
    make.video({ name: 'Vidéo privée de Marie', privacy: 3, account: marie, channel: sciences }),
    make.video({ name: 'Brouillon privé', privacy: 3, account: jean, channel: cuisine }),
    make.video({ name: 'Vidéo non listée', privacy: 2, account: marie, channel: sciences }),
    make.video({ name: 'Vidéo en cours de transcodage', state: 2, account: marie, channel: sciences }),
  )
  const remote = (name: string, extra: Partial<FakeVideo> = {}) =>
    make.video({ name, host: REMOTE_HOST, account: actor('remi', 'Rémi Distant'), channel: actor('remi_channel', 'Chez Rémi'), ...extra })

  // B: the middle instance.
  const bob = actor('bob', 'Bob Builder')
  const carla = actor('carla', 'Carla Sánchez')
  const bobChannel = actor('bob_channel', 'Bob builds things')
  const musique = actor('musique_libre', 'Musique libre')
  const videosB: FakeVideo[] = []
  const topicsB = ['Woodworking', 'Blender', 'Free music', 'Synthesizers', 'Coffee roasting', 'Linux']
  for (let i = 0; i < 30; i++) {
    const ofCarla = i % 2 === 1
    videosB.push(
      make.video({
        name: `${topicsB[i % topicsB.length]} session ${i + 1}`,
        description: i % 5 === 0 ? LONG_TEXT : `Session ${i + 1} about ${topicsB[i % topicsB.length]!.toLowerCase()}.`,
        tags: [topicsB[i % topicsB.length]!.toLowerCase(), 'middle'],
        category: ofCarla ? 1 : 12,
        language: ofCarla ? 'es' : 'en',
        nsfw: i % 8 === 3,
        account: ofCarla ? carla : bob,
        channel: ofCarla ? musique : bobChannel,
        originallyPublishedAt: i === 4 ? '2001-09-09T01:46:40.000Z' : null,
      }),
    )
  }
  videosB.push(
    make.video({ name: 'Unlisted rehearsal', privacy: 2, account: carla, channel: musique }),
    make.video({ name: 'Private notes', privacy: 3, account: bob, channel: bobChannel }),
    make.video({ name: 'Internal meeting', privacy: 4, account: bob, channel: bobChannel }),
  )

  // C: the new instance.
  const dora = actor('dora', 'Dora Explorer')
  const eve = actor('eve', 'Ève Martin')
  const doraLive = actor('dora_live', 'Dora live')
  const eveTutorials = actor('eve_tutorials', 'Tutoriels d’Ève')
  const videosC: FakeVideo[] = []
  const topicsC = ['Rust', 'Astronomy', 'Éducation', 'Knitting', 'Bread baking']
  for (let i = 0; i < 25; i++) {
    const ofEve = i % 2 === 0
    videosC.push(
      make.video({
        name: `${topicsC[i % topicsC.length]} episode ${i + 1}`,
        description: i % 6 === 0 ? LONG_TEXT : `Episode ${i + 1}.`,
        tags: [topicsC[i % topicsC.length]!.toLowerCase(), 'new-tube', ...(i === 3 ? ['a'.repeat(30)] : [])],
        language: ofEve ? 'fr' : 'en',
        category: ofEve ? 13 : 15,
        licence: i % 3 === 0 ? 9 : 2,
        nsfw: i === 5 || i === 17,
        isLive: i === 10 || i === 20,
        comments: i,
        account: ofEve ? eve : dora,
        channel: ofEve ? eveTutorials : doraLive,
      }),
    )
  }
  videosC.push(
    make.video({ name: '<script>alert("owned")</script> & <b>bold</b> "quotes"', account: dora, channel: doraLive }),
    make.video({ name: 'Private keynote', privacy: 3, account: dora, channel: doraLive }),
    make.video({ name: 'Password protected party', privacy: 5, account: eve, channel: eveTutorials }),
    make.video({ name: 'Unlisted draft', privacy: 2, account: eve, channel: eveTutorials }),
  )

  return [
    {
      name: 'Vieux Tube',
      version: '3.2.1',
      nsfwPolicy: 'blur',
      videos: videosA,
      remoteVideos: [remote('Vidéo fédérée un'), remote('Vidéo fédérée deux', { nsfw: true }), remote('Café fédéré'), remote('Linux fédéré'), remote('Musique fédérée')],
      channels: [
        make.channel({ name: 'sciences', displayName: sciences.displayName, ownerAccount: marie, description: 'La science expliquée simplement.' }),
        make.channel({ name: 'cuisine', displayName: cuisine.displayName, ownerAccount: jean, support: 'https://liberapay.com/jean' }),
        make.channel({ name: 'remi_channel', displayName: 'Chez Rémi', ownerAccount: actor('remi', 'Rémi Distant'), host: REMOTE_HOST }),
        make.channel({ name: 'autre_remote', displayName: 'Une autre chaîne distante', host: REMOTE_HOST }),
      ],
      playlists: [
        make.playlist({ displayName: 'Le meilleur du café', ownerAccount: jean, channel: cuisine, videosLength: 12 }),
        make.playlist({ displayName: 'Astronomie pour débutants', ownerAccount: marie, channel: sciences }),
        make.playlist({ displayName: 'Liste privée', privacy: 3, ownerAccount: marie, channel: sciences }),
        make.playlist({ displayName: 'Liste non listée', privacy: 2, ownerAccount: jean, channel: cuisine }),
        make.playlist({ displayName: 'À regarder plus tard', privacy: 3, type: 2, ownerAccount: marie, channel: null }),
        make.playlist({ displayName: 'Playlist fédérée', host: REMOTE_HOST, ownerAccount: actor('remi', 'Rémi Distant'), channel: actor('remi_channel', 'Chez Rémi') }),
      ],
    },
    {
      name: 'Middle Tube',
      version: '5.2.1',
      nsfwPolicy: 'do_not_list',
      videos: videosB,
      remoteVideos: [remote('Federated woodworking'), remote('Federated synth jam'), remote('Federated coffee', { nsfw: true }), remote('Federated Blender')],
      channels: [
        make.channel({ name: 'bob_channel', displayName: bobChannel.displayName, ownerAccount: bob, description: 'Things Bob builds.' }),
        make.channel({ name: 'musique_libre', displayName: musique.displayName, ownerAccount: carla, description: 'Música libre, free music.' }),
        make.channel({ name: 'remote_builders', displayName: 'Remote builders', host: REMOTE_HOST }),
      ],
      playlists: [
        make.playlist({ displayName: 'Synth favourites', ownerAccount: carla, channel: musique, videosLength: 7 }),
        make.playlist({ displayName: 'Workshop basics', ownerAccount: bob, channel: bobChannel }),
        make.playlist({ displayName: 'Secret list', privacy: 3, ownerAccount: bob, channel: bobChannel }),
        make.playlist({ displayName: 'Remote woodworking list', host: REMOTE_HOST }),
      ],
    },
    {
      name: 'New Tube',
      version: '8.2.3',
      nsfwPolicy: 'display',
      videos: videosC,
      remoteVideos: [remote('Federated rust talk'), remote('Federated astronomy night'), remote('Federated bread', { nsfw: true })],
      channels: [
        make.channel({ name: 'dora_live', displayName: doraLive.displayName, ownerAccount: dora, description: 'Live streams from Dora.' }),
        make.channel({ name: 'eve_tutorials', displayName: eveTutorials.displayName, ownerAccount: eve, description: 'Des tutoriels en français.' }),
        make.channel({ name: 'remote_astro', displayName: 'Remote astronomy', host: REMOTE_HOST }),
      ],
      playlists: [
        make.playlist({ displayName: 'Rust from zero', ownerAccount: dora, channel: doraLive, videosLength: 9 }),
        make.playlist({ displayName: 'Pain maison', ownerAccount: eve, channel: null }),
        make.playlist({ displayName: 'Unlisted ideas', privacy: 2, ownerAccount: eve, channel: eveTutorials }),
        make.playlist({ displayName: 'Remote star maps', host: REMOTE_HOST }),
      ],
    },
  ]
}
