-- Moderation: what the admin decided with `sepia instances …`, `sepia accounts …` and `sepia channels …`, kept in
-- the database so that a running `sepia serve` sees each decision on its next read, without a restart. The
-- configuration file's instances.hosts and instances.blocked combine with these (see src/db/instances.ts).

-- Hosts added by hand (`sepia instances add`): indexed like instances.hosts until removed.
CREATE TABLE admin_hosts (
  host TEXT PRIMARY KEY,
  added_at INTEGER NOT NULL
) WITHOUT ROWID;

-- What is blocked: a whole host, or one account or channel (`name@host`). Names and hosts are stored in lower
-- case (PeerTube compares actor names case-insensitively). A blocked host's content is deleted when the block is
-- made and the host is never crawled again; a blocked account's or channel's content likewise, and the crawler
-- skips it from then on.
CREATE TABLE blocks (
  kind TEXT NOT NULL CHECK (kind IN ('host', 'account', 'channel')),
  host TEXT NOT NULL,
  -- The account or channel name; '' for a host block (so that the primary key has no NULL in it).
  name TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (kind, host, name)
) WITHOUT ROWID;
-- The crawler reads the blocks of the host it writes, in every write transaction.
CREATE INDEX blocks_host ON blocks (host);

-- Every moderation action, for `sepia moderation log` and for the public to audit: when, what, on what, why.
-- Nothing about who typed the command, and nothing about the moderated beyond its name.
CREATE TABLE moderation_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  -- 'add', 'remove', 'block' or 'unblock'.
  action TEXT NOT NULL,
  -- 'host', 'account' or 'channel'.
  kind TEXT NOT NULL,
  -- The host, or `name@host`.
  target TEXT NOT NULL,
  reason TEXT,
  -- What the action did to the index, in a few words ("removed 120 videos, 2 channels, 1 playlist").
  effect TEXT
);

-- Named by the admin with `sepia instances add` (kept alongside in_list and in_config: an instance in none of the
-- three is deleted with its content).
ALTER TABLE instances ADD COLUMN in_admin INTEGER NOT NULL DEFAULT 0;
-- Why Sepia does not crawl this instance of its own accord (its robots.txt disallows our requests); NULL when
-- nothing stops it. Its content is removed while this is set.
ALTER TABLE instances ADD COLUMN refused TEXT;
