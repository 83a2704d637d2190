-- Full-text search: FTS5 indexes kept in sync with videos, channels and playlists by triggers, plus the indexes
-- the search filters and sorts need. See src/search/ for how these are queried, and BENCHMARKS.md for why.
--
-- Design, in short (the query side lives in src/search/engine.ts):
-- * The FTS tables are contentless (content=''): the text lives once, in videos/channels/playlists, and the
--   index holds only tokens. contentless_delete=1 lets the triggers delete a row by its rowid alone.
-- * unicode61 with remove_diacritics 2 folds case and accents, so "Été" is found by "ete" and the reverse.
-- * Videos have two indexes: videos_fts holds every field (for "all the words, anywhere"), and videos_short_fts
--   only the short fields (title, tags, channel and account names). The best-ranked matches (words in the title,
--   tags or names) are looked up in the short one, whose lists hold only short-field occurrences: scanning them
--   is several times cheaper than filtering the big index by column.
-- * No prefix index: FTS5 prefix queries either need one per prefix length or merge every matching term's list
--   in memory (tens of ms for a common word at 1 M videos). Instead the search expands a last word that is not
--   itself a common word into its most frequent completions, read from the *_vocab tables below, and searches
--   them as whole words ("peertub" -> "peertube" OR "peertubes"), in every index alike.
-- * Filters are tokens too: a `facets` column holds one token per filterable value (nsfw, live, category,
--   licence, language, host, account, tags), so a filter is an FTS5 AND/NOT and costs a list intersection
--   instead of a lookup per matching row. Values are hex-encoded so that any host, language or handle makes
--   exactly one token. Text terms and facet tokens are always matched with a column filter, so a title cannot
--   pose as a facet nor a facet as a word.
-- * A video's FTS rowid is not its id but its "search key": the publication second in the high bits and the id
--   in the low 32 bits. FTS5 walks a match list in rowid order and can stop early, so "the newest N matches"
--   and "sort by publication date" cost O(N), not O(matches): this is what keeps common words fast at 1 M videos.

-- Publication second since 2000-01-01 in the high bits (good until 2068), id (< 2^32) in the low bits.
ALTER TABLE videos ADD COLUMN search_key INTEGER
  GENERATED ALWAYS AS (((published_at / 1000) - 946684800) * 4294967296 + id) VIRTUAL;

-- PeerTube's "hot" score (server/core/models/video/sql/video/videos-id-list-query-builder.ts): log-weighted
-- likes, dislikes, views and comments plus one unit per 47000 s of publication date. It depends only on the row,
-- so it can be indexed.
ALTER TABLE videos ADD COLUMN search_hot REAL
  GENERATED ALWAYS AS (
    log10(max(1, likes - 1)) * 150 - log10(max(1, dislikes - 1)) * 150 + log10(views + 1) * 16
    + log10(max(1, comments)) * 100 + (published_at / 1000.0 - 1446156582) / 47000
  ) VIRTUAL;

-- The facet tokens of a video, one per filterable value; see videoRestrictions in src/search/videos.ts for the
-- query side. Each tag becomes one token: "zt" and the tag without its spaces and common punctuation, so the tags
-- ["KDE Gear","konsole"] (the JSON array the crawler stores) give "ztKDEGear ztkonsole", which the tokenizer
-- folds (case and accents, in any script) exactly as it folds the same text built from a filter value. The
-- characters removed here must be those removed by tagToken() in src/search/videos.ts. `zz` is in every row, to
-- list without text.
ALTER TABLE videos ADD COLUMN search_facets TEXT
  GENERATED ALWAYS AS (
    'zz zn' || (nsfw <> 0) || ' zl' || (is_live <> 0)
    || ' zc' || iif(category_id IS NULL, 'x', hex(category_id))
    || ' zi' || iif(licence_id IS NULL, 'x', hex(licence_id))
    || ' zg' || iif(coalesce(language_id, '') = '', 'x', hex(lower(language_id)))
    || ' zh' || hex(lower(account_host)) || ' za' || hex(lower(account_name || '@' || account_host))
    || ' ' || replace(replace(replace(
      replace(replace(replace(replace(replace(replace(replace(tags, ' ', ''), '-', ''), '_', ''), '.', ''),
        '''', ''), '’', ''), '#', ''),
      '","', ' zt'), '["', 'zt'), '"]', '')
  ) VIRTUAL;

-- Channel and account names, searched as one field.
ALTER TABLE videos ADD COLUMN search_names TEXT
  GENERATED ALWAYS AS (
    channel_display_name || ' ' || channel_name || ' ' || account_display_name || ' ' || account_name
  ) VIRTUAL;

CREATE VIRTUAL TABLE videos_fts USING fts5(
  name, tags, names, description, facets,
  content = '', contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2'
);

CREATE VIRTUAL TABLE videos_short_fts USING fts5(
  name, tags, names, facets,
  content = '', contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2'
);

-- The words of titles, tags and names with their document counts per column: where a typed prefix's completions
-- come from (the facets column is left out by the query).
CREATE VIRTUAL TABLE videos_short_vocab USING fts5vocab(videos_short_fts, col);

-- Tags are indexed as stored (a JSON array): the tokenizer drops the brackets, quotes and commas.
CREATE TRIGGER videos_fts_insert AFTER INSERT ON videos BEGIN
  INSERT INTO videos_fts (rowid, name, tags, names, description, facets)
    VALUES (NEW.search_key, NEW.name, NEW.tags, NEW.search_names, NEW.description, NEW.search_facets);
  INSERT INTO videos_short_fts (rowid, name, tags, names, facets)
    VALUES (NEW.search_key, NEW.name, NEW.tags, NEW.search_names, NEW.search_facets);
END;

CREATE TRIGGER videos_fts_delete AFTER DELETE ON videos BEGIN
  DELETE FROM videos_fts WHERE rowid = OLD.search_key;
  DELETE FROM videos_short_fts WHERE rowid = OLD.search_key;
END;

-- The crawler rewrites every listed video on every crawl; only a change to what is indexed touches the index.
CREATE TRIGGER videos_fts_update AFTER UPDATE ON videos
WHEN OLD.search_key IS NOT NEW.search_key OR OLD.name IS NOT NEW.name OR OLD.tags IS NOT NEW.tags
  OR OLD.description IS NOT NEW.description OR OLD.search_names IS NOT NEW.search_names
  OR OLD.search_facets IS NOT NEW.search_facets
BEGIN
  DELETE FROM videos_fts WHERE rowid = OLD.search_key;
  DELETE FROM videos_short_fts WHERE rowid = OLD.search_key;
  INSERT INTO videos_fts (rowid, name, tags, names, description, facets)
    VALUES (NEW.search_key, NEW.name, NEW.tags, NEW.search_names, NEW.description, NEW.search_facets);
  INSERT INTO videos_short_fts (rowid, name, tags, names, facets)
    VALUES (NEW.search_key, NEW.name, NEW.tags, NEW.search_names, NEW.search_facets);
END;

-- Sorts other than relevance and publication date walk one of these, keeping rows whose search key is among the
-- matches: the key is in the index so that the walk never reads the table. The rowid, last, breaks ties.
CREATE INDEX videos_search_views ON videos (views, search_key);
CREATE INDEX videos_search_likes ON videos (likes, search_key);
CREATE INDEX videos_search_duration ON videos (duration, search_key);
CREATE INDEX videos_search_name ON videos (name COLLATE NOCASE, search_key);
CREATE INDEX videos_search_created ON videos (created_at, search_key);
CREATE INDEX videos_search_originally ON videos (coalesce(originally_published_at, published_at), search_key);
CREATE INDEX videos_search_hot ON videos (search_hot, search_key);
-- A channel's video count, shown in channel results.
CREATE INDEX videos_search_channel ON videos (channel_host, channel_name);

CREATE VIRTUAL TABLE channels_fts USING fts5(
  display_name, name, description, owner, facets,
  content = '', contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE channels_vocab USING fts5vocab(channels_fts, col);

-- Facets: zz (every row), zh host, za owner account handle, zk channel handle.
CREATE TRIGGER channels_fts_insert AFTER INSERT ON channels BEGIN
  INSERT INTO channels_fts (rowid, display_name, name, description, owner, facets) VALUES (
    NEW.id, NEW.display_name, NEW.name, coalesce(NEW.description, '') || ' ' || coalesce(NEW.support, ''),
    NEW.owner_display_name || ' ' || NEW.owner_name,
    'zz zh' || hex(lower(NEW.host)) || ' za' || hex(lower(NEW.owner_name || '@' || NEW.owner_host))
      || ' zk' || hex(lower(NEW.name || '@' || NEW.host))
  );
END;

CREATE TRIGGER channels_fts_delete AFTER DELETE ON channels BEGIN
  DELETE FROM channels_fts WHERE rowid = OLD.id;
END;

CREATE TRIGGER channels_fts_update AFTER UPDATE ON channels
WHEN OLD.display_name IS NOT NEW.display_name OR OLD.name IS NOT NEW.name OR OLD.host IS NOT NEW.host
  OR OLD.description IS NOT NEW.description OR OLD.support IS NOT NEW.support
  OR OLD.owner_display_name IS NOT NEW.owner_display_name OR OLD.owner_name IS NOT NEW.owner_name
  OR OLD.owner_host IS NOT NEW.owner_host
BEGIN
  DELETE FROM channels_fts WHERE rowid = OLD.id;
  INSERT INTO channels_fts (rowid, display_name, name, description, owner, facets) VALUES (
    NEW.id, NEW.display_name, NEW.name, coalesce(NEW.description, '') || ' ' || coalesce(NEW.support, ''),
    NEW.owner_display_name || ' ' || NEW.owner_name,
    'zz zh' || hex(lower(NEW.host)) || ' za' || hex(lower(NEW.owner_name || '@' || NEW.owner_host))
      || ' zk' || hex(lower(NEW.name || '@' || NEW.host))
  );
END;

CREATE INDEX channels_search_display_name ON channels (display_name COLLATE NOCASE);
CREATE INDEX channels_search_created ON channels (created_at);
CREATE INDEX channels_search_handle ON channels (host, name);

CREATE VIRTUAL TABLE playlists_fts USING fts5(
  display_name, description, owner, facets,
  content = '', contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE playlists_vocab USING fts5vocab(playlists_fts, col);

-- Facets: zz (every row), zh owner host, za owner account handle.
CREATE TRIGGER playlists_fts_insert AFTER INSERT ON playlists BEGIN
  INSERT INTO playlists_fts (rowid, display_name, description, owner, facets) VALUES (
    NEW.id, NEW.display_name, NEW.description,
    NEW.owner_display_name || ' ' || NEW.owner_name || ' ' || coalesce(NEW.channel_display_name, '')
      || ' ' || coalesce(NEW.channel_name, ''),
    'zz zh' || hex(lower(NEW.owner_host)) || ' za' || hex(lower(NEW.owner_name || '@' || NEW.owner_host))
  );
END;

CREATE TRIGGER playlists_fts_delete AFTER DELETE ON playlists BEGIN
  DELETE FROM playlists_fts WHERE rowid = OLD.id;
END;

CREATE TRIGGER playlists_fts_update AFTER UPDATE ON playlists
WHEN OLD.display_name IS NOT NEW.display_name OR OLD.description IS NOT NEW.description
  OR OLD.owner_display_name IS NOT NEW.owner_display_name OR OLD.owner_name IS NOT NEW.owner_name
  OR OLD.owner_host IS NOT NEW.owner_host OR OLD.channel_display_name IS NOT NEW.channel_display_name
  OR OLD.channel_name IS NOT NEW.channel_name
BEGIN
  DELETE FROM playlists_fts WHERE rowid = OLD.id;
  INSERT INTO playlists_fts (rowid, display_name, description, owner, facets) VALUES (
    NEW.id, NEW.display_name, NEW.description,
    NEW.owner_display_name || ' ' || NEW.owner_name || ' ' || coalesce(NEW.channel_display_name, '')
      || ' ' || coalesce(NEW.channel_name, ''),
    'zz zh' || hex(lower(NEW.owner_host)) || ' za' || hex(lower(NEW.owner_name || '@' || NEW.owner_host))
  );
END;

CREATE INDEX playlists_search_display_name ON playlists (display_name COLLATE NOCASE);
CREATE INDEX playlists_search_created ON playlists (created_at);

-- Row counts kept by triggers, so the site and /api/v1/config can show index sizes without counting 2 M rows.
CREATE TABLE search_totals (
  kind TEXT PRIMARY KEY,
  n INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO search_totals (kind, n) VALUES
  ('videos', (SELECT count(*) FROM videos)),
  ('channels', (SELECT count(*) FROM channels)),
  ('playlists', (SELECT count(*) FROM playlists));

CREATE TRIGGER videos_total_insert AFTER INSERT ON videos BEGIN
  UPDATE search_totals SET n = n + 1 WHERE kind = 'videos';
END;
CREATE TRIGGER videos_total_delete AFTER DELETE ON videos BEGIN
  UPDATE search_totals SET n = n - 1 WHERE kind = 'videos';
END;
CREATE TRIGGER channels_total_insert AFTER INSERT ON channels BEGIN
  UPDATE search_totals SET n = n + 1 WHERE kind = 'channels';
END;
CREATE TRIGGER channels_total_delete AFTER DELETE ON channels BEGIN
  UPDATE search_totals SET n = n - 1 WHERE kind = 'channels';
END;
CREATE TRIGGER playlists_total_insert AFTER INSERT ON playlists BEGIN
  UPDATE search_totals SET n = n + 1 WHERE kind = 'playlists';
END;
CREATE TRIGGER playlists_total_delete AFTER DELETE ON playlists BEGIN
  UPDATE search_totals SET n = n - 1 WHERE kind = 'playlists';
END;

-- Existing rows (a database migrated after a first crawl) enter the indexes once.
INSERT INTO videos_fts (rowid, name, tags, names, description, facets)
SELECT search_key, name, tags, search_names, description, search_facets FROM videos;
INSERT INTO videos_short_fts (rowid, name, tags, names, facets)
SELECT search_key, name, tags, search_names, search_facets FROM videos;
INSERT INTO channels_fts (rowid, display_name, name, description, owner, facets)
SELECT id, display_name, name, coalesce(description, '') || ' ' || coalesce(support, ''),
  owner_display_name || ' ' || owner_name,
  'zz zh' || hex(lower(host)) || ' za' || hex(lower(owner_name || '@' || owner_host)) || ' zk' || hex(lower(name || '@' || host))
FROM channels;
INSERT INTO playlists_fts (rowid, display_name, description, owner, facets)
SELECT id, display_name, description,
  owner_display_name || ' ' || owner_name || ' ' || coalesce(channel_display_name, '') || ' ' || coalesce(channel_name, ''),
  'zz zh' || hex(lower(owner_host)) || ' za' || hex(lower(owner_name || '@' || owner_host))
FROM playlists;
