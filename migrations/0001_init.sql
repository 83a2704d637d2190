-- The index: instances and the public content crawled from them.
-- Times are integers (milliseconds since the epoch, UTC): compact, and cheap to sort and filter at 2 M rows.
-- Absolute URLs (thumbnails, avatars, pages) are stored as the origin instance serves them, so results can
-- send visitors straight there without rebuilding anything per request.

CREATE TABLE instances (
  id INTEGER PRIMARY KEY,
  host TEXT NOT NULL UNIQUE,
  -- Where Sepia learned of it: still in the list URL's answer, or named in the config. An instance that is
  -- in neither is deleted with its content (see the crawler), so these are never both 0 for long.
  in_list INTEGER NOT NULL DEFAULT 0,
  in_config INTEGER NOT NULL DEFAULT 0,
  name TEXT,
  short_description TEXT,
  software_version TEXT,
  last_attempt_at INTEGER,
  last_success_at INTEGER,
  last_error TEXT,
  -- Consecutive failed crawls; reset by a complete crawl.
  error_count INTEGER NOT NULL DEFAULT 0,
  videos_count INTEGER NOT NULL DEFAULT 0,
  channels_count INTEGER NOT NULL DEFAULT 0,
  playlists_count INTEGER NOT NULL DEFAULT 0,
  -- Items of the last crawl that failed validation and were left out.
  skipped_count INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);

CREATE TABLE videos (
  id INTEGER PRIMARY KEY,
  instance_id INTEGER NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
  -- A uuid belongs to the first instance that published it: another instance claiming it is ignored.
  uuid TEXT NOT NULL UNIQUE,
  short_uuid TEXT NOT NULL UNIQUE,
  remote_id INTEGER NOT NULL,
  url TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT,
  truncated_description TEXT,
  -- JSON array of strings.
  tags TEXT NOT NULL DEFAULT '[]',
  category_id INTEGER,
  category_label TEXT,
  licence_id INTEGER,
  licence_label TEXT,
  language_id TEXT,
  language_label TEXT,
  duration INTEGER NOT NULL DEFAULT 0,
  is_live INTEGER NOT NULL DEFAULT 0,
  nsfw INTEGER NOT NULL DEFAULT 0,
  nsfw_flags INTEGER NOT NULL DEFAULT 0,
  nsfw_summary TEXT,
  aspect_ratio REAL,
  views INTEGER NOT NULL DEFAULT 0,
  likes INTEGER NOT NULL DEFAULT 0,
  dislikes INTEGER NOT NULL DEFAULT 0,
  comments INTEGER NOT NULL DEFAULT 0,
  viewers INTEGER NOT NULL DEFAULT 0,
  thumbnail_url TEXT,
  preview_url TEXT,
  embed_url TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  published_at INTEGER NOT NULL,
  originally_published_at INTEGER,
  account_remote_id INTEGER NOT NULL DEFAULT 0,
  account_name TEXT NOT NULL,
  account_display_name TEXT NOT NULL,
  account_host TEXT NOT NULL,
  account_url TEXT NOT NULL,
  -- JSON array of ActorImage with absolute fileUrl.
  account_avatars TEXT NOT NULL DEFAULT '[]',
  channel_remote_id INTEGER NOT NULL DEFAULT 0,
  channel_name TEXT NOT NULL,
  channel_display_name TEXT NOT NULL,
  channel_host TEXT NOT NULL,
  channel_url TEXT NOT NULL,
  channel_avatars TEXT NOT NULL DEFAULT '[]',
  -- The listing's updatedAt when the details (full description, tags) were last fetched: a listing that shows
  -- another value means the video changed and its details must be fetched again.
  details_updated_at INTEGER,
  -- When a crawl last saw this video in its instance's listing; a complete crawl deletes what it did not see.
  seen_at INTEGER NOT NULL
);
CREATE INDEX videos_instance ON videos (instance_id, seen_at);

CREATE TABLE channels (
  id INTEGER PRIMARY KEY,
  instance_id INTEGER NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
  remote_id INTEGER NOT NULL DEFAULT 0,
  name TEXT NOT NULL,
  host TEXT NOT NULL,
  url TEXT NOT NULL,
  display_name TEXT NOT NULL,
  description TEXT,
  support TEXT,
  avatars TEXT NOT NULL DEFAULT '[]',
  banners TEXT NOT NULL DEFAULT '[]',
  followers_count INTEGER NOT NULL DEFAULT 0,
  following_count INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  owner_remote_id INTEGER NOT NULL DEFAULT 0,
  owner_name TEXT NOT NULL,
  owner_display_name TEXT NOT NULL,
  owner_host TEXT NOT NULL,
  owner_url TEXT NOT NULL,
  owner_avatars TEXT NOT NULL DEFAULT '[]',
  seen_at INTEGER NOT NULL,
  UNIQUE (instance_id, name)
);

CREATE TABLE playlists (
  id INTEGER PRIMARY KEY,
  instance_id INTEGER NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
  uuid TEXT NOT NULL UNIQUE,
  short_uuid TEXT NOT NULL UNIQUE,
  remote_id INTEGER NOT NULL DEFAULT 0,
  url TEXT NOT NULL,
  display_name TEXT NOT NULL,
  description TEXT,
  type_id INTEGER NOT NULL DEFAULT 1,
  videos_length INTEGER NOT NULL DEFAULT 0,
  thumbnail_url TEXT,
  embed_url TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  owner_remote_id INTEGER NOT NULL DEFAULT 0,
  owner_name TEXT NOT NULL,
  owner_display_name TEXT NOT NULL,
  owner_host TEXT NOT NULL,
  owner_url TEXT NOT NULL,
  owner_avatars TEXT NOT NULL DEFAULT '[]',
  -- A playlist may have no channel (PeerTube sends videoChannel: null).
  channel_remote_id INTEGER,
  channel_name TEXT,
  channel_display_name TEXT,
  channel_host TEXT,
  channel_url TEXT,
  channel_avatars TEXT,
  seen_at INTEGER NOT NULL
);
CREATE INDEX channels_instance ON channels (instance_id, seen_at);
CREATE INDEX playlists_instance ON playlists (instance_id, seen_at);
