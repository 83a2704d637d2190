-- Search, second design: FTS indexes keyed by static rank, index content defined once in views, and the
-- vocabulary tables for completions, stems and typos. Replaces the search machinery of 0002 (its FTS tables,
-- triggers and generated key); src/search/README.md explains the design and rank.ts the ranking.
--
-- * Every FTS rowid is the row's static rank in the high bits and its id in the low 32 bits (search_key below), so
--   a match list read in descending rowid order is read best first and FTS5 stops at the LIMIT. The rank comes
--   from sepia_*_rank (src/search/rank.ts): popularity and, for videos, publication date, in steps coarse enough
--   that a crawl's new view counts rarely move a video (a moved key is a delete and an insert in the index).
-- * What each index holds is defined once, by a view named after it (`<fts>_rows`): the triggers copy the view's
--   row for the changed id, the backfill below and `sepia reindex` copy the whole view. Nothing parses SQL.
-- * The facets column (filters as tokens) is built by sepia_*_facets (src/search/facets.ts, the one table of
--   facet tokens): the same code builds the tokens of a filter at query time.
-- * search_terms is the vocabulary of the short fields (titles, tags, names) with how often each word was
--   written; a new word also gets its stems (search_stems, only those that differ from it) and its typo keys
--   (search_typo_keys). Completions, plurals and typos are looked up there, never in the FTS index. Words are
--   never removed (a word no longer indexed just finds nothing); `sepia reindex` rebuilds the tables exactly.
-- * These functions are registered by openDb on every connection (src/search/sql-functions.ts): the schema
--   cannot be written without them.

DROP TRIGGER videos_fts_insert;
DROP TRIGGER videos_fts_delete;
DROP TRIGGER videos_fts_update;
DROP TRIGGER channels_fts_insert;
DROP TRIGGER channels_fts_delete;
DROP TRIGGER channels_fts_update;
DROP TRIGGER playlists_fts_insert;
DROP TRIGGER playlists_fts_delete;
DROP TRIGGER playlists_fts_update;
DROP TABLE videos_short_vocab;
DROP TABLE channels_vocab;
DROP TABLE playlists_vocab;
DROP TABLE videos_fts;
DROP TABLE videos_short_fts;
DROP TABLE channels_fts;
DROP TABLE playlists_fts;
DROP INDEX videos_search_views;
DROP INDEX videos_search_likes;
DROP INDEX videos_search_duration;
DROP INDEX videos_search_name;
DROP INDEX videos_search_created;
DROP INDEX videos_search_originally;
DROP INDEX videos_search_hot;
DROP INDEX channels_search_display_name;
DROP INDEX channels_search_created;
DROP INDEX playlists_search_display_name;
DROP INDEX playlists_search_created;
ALTER TABLE videos DROP COLUMN search_facets;
ALTER TABLE videos DROP COLUMN search_key;

ALTER TABLE videos ADD COLUMN search_key INTEGER
  GENERATED ALWAYS AS (sepia_video_rank(views, likes, published_at) * 4294967296 + id) VIRTUAL;
ALTER TABLE channels ADD COLUMN search_key INTEGER
  GENERATED ALWAYS AS (sepia_channel_rank(followers_count) * 4294967296 + id) VIRTUAL;
ALTER TABLE playlists ADD COLUMN search_key INTEGER
  GENERATED ALWAYS AS (sepia_playlist_rank(videos_length) * 4294967296 + id) VIRTUAL;

-- What each index holds. Tags are indexed as stored (a JSON array): the tokenizer drops the brackets and quotes.
CREATE VIEW videos_fts_rows (id, key, name, tags, names, description, facets) AS
SELECT id, search_key, name, tags, search_names, coalesce(description, ''),
  sepia_video_facets(nsfw, is_live, category_id, licence_id, language_id, account_name, account_host, channel_name,
    channel_host, tags, name, published_at, originally_published_at, duration)
FROM videos;

-- The short fields only: the best-ranked fields are looked up here, in lists that hold no description words.
CREATE VIEW videos_short_fts_rows (id, key, name, tags, names, facets) AS
SELECT id, key, name, tags, names, facets FROM videos_fts_rows;

CREATE VIEW channels_fts_rows (id, key, display_name, name, owner, description, facets) AS
SELECT id, search_key, display_name, name, owner_display_name || ' ' || owner_name,
  coalesce(description, '') || ' ' || coalesce(support, ''),
  sepia_channel_facets(host, name, owner_name, owner_host, display_name)
FROM channels;

CREATE VIEW playlists_fts_rows (id, key, display_name, owner, description, facets) AS
SELECT id, search_key, display_name,
  owner_display_name || ' ' || owner_name || ' ' || coalesce(channel_display_name, '') || ' ' || coalesce(channel_name, ''),
  coalesce(description, ''),
  sepia_playlist_facets(owner_host, owner_name, channel_name, channel_host, display_name)
FROM playlists;

-- The text each row gives the vocabulary: its short fields.
CREATE VIEW search_vocabulary_rows (kind, id, text) AS
SELECT 'videos', id, name || ' ' || tags || ' ' || names FROM videos_short_fts_rows
UNION ALL SELECT 'channels', id, display_name || ' ' || name || ' ' || owner FROM channels_fts_rows
UNION ALL SELECT 'playlists', id, display_name || ' ' || owner FROM playlists_fts_rows;

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
CREATE VIRTUAL TABLE channels_fts USING fts5(
  display_name, name, owner, description, facets,
  content = '', contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE playlists_fts USING fts5(
  display_name, owner, description, facets,
  content = '', contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2'
);

-- The version of the index content's code (facets, stems, typo keys, ranks are computed in TypeScript): when a
-- release changes it, the indexes are rebuilt at start (src/search/reindex.ts, refreshIndexes).
CREATE TABLE search_index (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
);
INSERT INTO search_index (id, version) VALUES (1, 1);

CREATE TABLE search_terms (
  term TEXT PRIMARY KEY,
  -- How often rows are written with this word, sampled: 1, plus 1 for each write of a row whose id is a multiple
  -- of 16 (counting every write would rewrite a dozen vocabulary rows per video; the sample costs as little as
  -- not counting). Never decremented. Ranks completions and typo candidates, where only large differences matter.
  n INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE search_stems (
  stem TEXT NOT NULL,
  term TEXT NOT NULL,
  -- The languages (bit i: STEM_LANGUAGES[i] in stems.ts) in which `term` has this stem.
  langs INTEGER NOT NULL,
  PRIMARY KEY (stem, term)
) WITHOUT ROWID;
CREATE TABLE search_typo_keys (
  key TEXT NOT NULL,
  term TEXT NOT NULL,
  PRIMARY KEY (key, term)
) WITHOUT ROWID;

CREATE TRIGGER search_terms_insert AFTER INSERT ON search_terms BEGIN
  INSERT OR IGNORE INTO search_stems (stem, term, langs)
    SELECT value ->> 0, NEW.term, value ->> 1 FROM json_each(sepia_term_stems(NEW.term));
  INSERT OR IGNORE INTO search_typo_keys (key, term) SELECT value, NEW.term FROM json_each(sepia_typo_keys(NEW.term));
END;

-- Videos. An update reindexes only when something indexed changed: the crawler rewrites every listed video on
-- every crawl. The WHEN lists every column the views read (test/search/index-content.test.ts checks it against a
-- rebuild, column by column).
CREATE TRIGGER videos_search_insert AFTER INSERT ON videos BEGIN
  INSERT INTO videos_fts (rowid, name, tags, names, description, facets)
    SELECT key, name, tags, names, description, facets FROM videos_fts_rows WHERE id = NEW.id;
  INSERT INTO videos_short_fts (rowid, name, tags, names, facets)
    SELECT key, name, tags, names, facets FROM videos_short_fts_rows WHERE id = NEW.id;
  INSERT INTO search_terms (term, n) SELECT w.value, 1 FROM search_vocabulary_rows v, json_each(sepia_words(v.text)) w
    WHERE v.kind = 'videos' AND v.id = NEW.id ON CONFLICT (term) DO UPDATE SET n = n + 1 WHERE NEW.id % 16 = 0;
END;
CREATE TRIGGER videos_search_delete AFTER DELETE ON videos BEGIN
  DELETE FROM videos_fts WHERE rowid = OLD.search_key;
  DELETE FROM videos_short_fts WHERE rowid = OLD.search_key;
END;
CREATE TRIGGER videos_search_update AFTER UPDATE ON videos
WHEN OLD.search_key IS NOT NEW.search_key OR OLD.name IS NOT NEW.name OR OLD.tags IS NOT NEW.tags
  OR OLD.description IS NOT NEW.description OR OLD.search_names IS NOT NEW.search_names OR OLD.nsfw IS NOT NEW.nsfw
  OR OLD.is_live IS NOT NEW.is_live OR OLD.category_id IS NOT NEW.category_id OR OLD.licence_id IS NOT NEW.licence_id
  OR OLD.language_id IS NOT NEW.language_id OR OLD.account_name IS NOT NEW.account_name
  OR OLD.account_host IS NOT NEW.account_host OR OLD.channel_name IS NOT NEW.channel_name
  OR OLD.channel_host IS NOT NEW.channel_host OR OLD.published_at IS NOT NEW.published_at
  OR OLD.originally_published_at IS NOT NEW.originally_published_at OR OLD.duration IS NOT NEW.duration
BEGIN
  DELETE FROM videos_fts WHERE rowid = OLD.search_key;
  DELETE FROM videos_short_fts WHERE rowid = OLD.search_key;
  INSERT INTO videos_fts (rowid, name, tags, names, description, facets)
    SELECT key, name, tags, names, description, facets FROM videos_fts_rows WHERE id = NEW.id;
  INSERT INTO videos_short_fts (rowid, name, tags, names, facets)
    SELECT key, name, tags, names, facets FROM videos_short_fts_rows WHERE id = NEW.id;
END;
CREATE TRIGGER videos_vocabulary_update AFTER UPDATE ON videos
WHEN OLD.name IS NOT NEW.name OR OLD.tags IS NOT NEW.tags OR OLD.search_names IS NOT NEW.search_names
BEGIN
  INSERT INTO search_terms (term, n) SELECT w.value, 1 FROM search_vocabulary_rows v, json_each(sepia_words(v.text)) w
    WHERE v.kind = 'videos' AND v.id = NEW.id ON CONFLICT (term) DO UPDATE SET n = n + 1 WHERE NEW.id % 16 = 0;
END;

CREATE TRIGGER channels_search_insert AFTER INSERT ON channels BEGIN
  INSERT INTO channels_fts (rowid, display_name, name, owner, description, facets)
    SELECT key, display_name, name, owner, description, facets FROM channels_fts_rows WHERE id = NEW.id;
  INSERT INTO search_terms (term, n) SELECT w.value, 1 FROM search_vocabulary_rows v, json_each(sepia_words(v.text)) w
    WHERE v.kind = 'channels' AND v.id = NEW.id ON CONFLICT (term) DO UPDATE SET n = n + 1 WHERE NEW.id % 16 = 0;
END;
CREATE TRIGGER channels_search_delete AFTER DELETE ON channels BEGIN
  DELETE FROM channels_fts WHERE rowid = OLD.search_key;
END;
CREATE TRIGGER channels_search_update AFTER UPDATE ON channels
WHEN OLD.search_key IS NOT NEW.search_key OR OLD.display_name IS NOT NEW.display_name OR OLD.name IS NOT NEW.name
  OR OLD.host IS NOT NEW.host OR OLD.description IS NOT NEW.description OR OLD.support IS NOT NEW.support
  OR OLD.owner_display_name IS NOT NEW.owner_display_name OR OLD.owner_name IS NOT NEW.owner_name
  OR OLD.owner_host IS NOT NEW.owner_host
BEGIN
  DELETE FROM channels_fts WHERE rowid = OLD.search_key;
  INSERT INTO channels_fts (rowid, display_name, name, owner, description, facets)
    SELECT key, display_name, name, owner, description, facets FROM channels_fts_rows WHERE id = NEW.id;
END;
CREATE TRIGGER channels_vocabulary_update AFTER UPDATE ON channels
WHEN OLD.display_name IS NOT NEW.display_name OR OLD.name IS NOT NEW.name
  OR OLD.owner_display_name IS NOT NEW.owner_display_name OR OLD.owner_name IS NOT NEW.owner_name
BEGIN
  INSERT INTO search_terms (term, n) SELECT w.value, 1 FROM search_vocabulary_rows v, json_each(sepia_words(v.text)) w
    WHERE v.kind = 'channels' AND v.id = NEW.id ON CONFLICT (term) DO UPDATE SET n = n + 1 WHERE NEW.id % 16 = 0;
END;

CREATE TRIGGER playlists_search_insert AFTER INSERT ON playlists BEGIN
  INSERT INTO playlists_fts (rowid, display_name, owner, description, facets)
    SELECT key, display_name, owner, description, facets FROM playlists_fts_rows WHERE id = NEW.id;
  INSERT INTO search_terms (term, n) SELECT w.value, 1 FROM search_vocabulary_rows v, json_each(sepia_words(v.text)) w
    WHERE v.kind = 'playlists' AND v.id = NEW.id ON CONFLICT (term) DO UPDATE SET n = n + 1 WHERE NEW.id % 16 = 0;
END;
CREATE TRIGGER playlists_search_delete AFTER DELETE ON playlists BEGIN
  DELETE FROM playlists_fts WHERE rowid = OLD.search_key;
END;
CREATE TRIGGER playlists_search_update AFTER UPDATE ON playlists
WHEN OLD.search_key IS NOT NEW.search_key OR OLD.display_name IS NOT NEW.display_name
  OR OLD.description IS NOT NEW.description OR OLD.owner_display_name IS NOT NEW.owner_display_name
  OR OLD.owner_name IS NOT NEW.owner_name OR OLD.owner_host IS NOT NEW.owner_host
  OR OLD.channel_display_name IS NOT NEW.channel_display_name OR OLD.channel_name IS NOT NEW.channel_name
  OR OLD.channel_host IS NOT NEW.channel_host
BEGIN
  DELETE FROM playlists_fts WHERE rowid = OLD.search_key;
  INSERT INTO playlists_fts (rowid, display_name, owner, description, facets)
    SELECT key, display_name, owner, description, facets FROM playlists_fts_rows WHERE id = NEW.id;
END;
CREATE TRIGGER playlists_vocabulary_update AFTER UPDATE ON playlists
WHEN OLD.display_name IS NOT NEW.display_name OR OLD.owner_display_name IS NOT NEW.owner_display_name
  OR OLD.owner_name IS NOT NEW.owner_name OR OLD.channel_display_name IS NOT NEW.channel_display_name
  OR OLD.channel_name IS NOT NEW.channel_name
BEGIN
  INSERT INTO search_terms (term, n) SELECT w.value, 1 FROM search_vocabulary_rows v, json_each(sepia_words(v.text)) w
    WHERE v.kind = 'playlists' AND v.id = NEW.id ON CONFLICT (term) DO UPDATE SET n = n + 1 WHERE NEW.id % 16 = 0;
END;

-- Column sorts walk one of these, keeping rows whose key is among the matches: the key is in the index so that
-- the walk never reads the table. The key, last, breaks ties.
CREATE INDEX videos_search_views ON videos (views, search_key);
CREATE INDEX videos_search_likes ON videos (likes, search_key);
CREATE INDEX videos_search_duration ON videos (duration, search_key);
CREATE INDEX videos_search_name ON videos (name COLLATE NOCASE, search_key);
CREATE INDEX videos_search_created ON videos (created_at, search_key);
CREATE INDEX videos_search_published ON videos (published_at, search_key);
CREATE INDEX videos_search_originally ON videos (coalesce(originally_published_at, published_at), search_key);
-- The range of original publication dates, to clamp a filter on them (most videos have none).
CREATE INDEX videos_search_original_dates ON videos (originally_published_at) WHERE originally_published_at IS NOT NULL;
CREATE INDEX videos_search_hot ON videos (search_hot, search_key);
CREATE INDEX channels_search_display_name ON channels (display_name COLLATE NOCASE, search_key);
CREATE INDEX channels_search_created ON channels (created_at, search_key);
CREATE INDEX playlists_search_display_name ON playlists (display_name COLLATE NOCASE, search_key);
CREATE INDEX playlists_search_created ON playlists (created_at, search_key);

-- Existing rows enter the new indexes once (the same statements as `sepia reindex`).
INSERT INTO videos_fts (rowid, name, tags, names, description, facets)
  SELECT key, name, tags, names, description, facets FROM videos_fts_rows;
INSERT INTO videos_short_fts (rowid, name, tags, names, facets)
  SELECT key, name, tags, names, facets FROM videos_short_fts_rows;
INSERT INTO channels_fts (rowid, display_name, name, owner, description, facets)
  SELECT key, display_name, name, owner, description, facets FROM channels_fts_rows;
INSERT INTO playlists_fts (rowid, display_name, owner, description, facets)
  SELECT key, display_name, owner, description, facets FROM playlists_fts_rows;
INSERT INTO search_terms (term, n)
  SELECT w.value, 1 + sum(v.id % 16 = 0) FROM search_vocabulary_rows v, json_each(sepia_words(v.text)) w GROUP BY w.value;
