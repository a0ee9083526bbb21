-- The core: communities, the members registry, per-community settings,
-- timers (anything due later), moderator notices and adapter state.

CREATE TABLE communities (
    id          TEXT PRIMARY KEY,          -- "discord:8138…", "slack:T024…", "playground:hearth"
    platform    TEXT NOT NULL,
    name        TEXT NOT NULL DEFAULT '',
    timezone    TEXT NOT NULL DEFAULT 'UTC',
    locale      TEXT NOT NULL DEFAULT 'en',
    created_at  TEXT NOT NULL
);

CREATE TABLE members (
    community         TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    user_id           TEXT NOT NULL,
    name              TEXT NOT NULL DEFAULT '',
    is_bot            INTEGER NOT NULL DEFAULT 0,
    first_joined_at   TEXT,
    last_joined_at    TEXT,
    left_at           TEXT,
    first_message_at  TEXT,
    last_message_at   TEXT,
    message_count     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (community, user_id)
);
CREATE INDEX members_by_last_message ON members (community, last_message_at);
CREATE INDEX members_by_joined ON members (community, last_joined_at);

-- Settings moderators changed with commands; they override config.toml. Values are JSON.
CREATE TABLE community_settings (
    community  TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    cog        TEXT NOT NULL,
    key        TEXT NOT NULL,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (community, cog, key)
);


-- Anything that must happen later. A row is claimed ('running') before its handler
-- runs and marked 'done' after, so a restart neither loses it nor runs it twice.
CREATE TABLE timers (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    community   TEXT NOT NULL,
    cog         TEXT NOT NULL,
    kind        TEXT NOT NULL,
    key         TEXT NOT NULL DEFAULT '',  -- optional: one pending timer per (cog, kind, key)
    due_at      TEXT NOT NULL,
    payload     TEXT NOT NULL DEFAULT '{}',
    state       TEXT NOT NULL DEFAULT 'pending',  -- pending | running | done | cancelled
    created_at  TEXT NOT NULL
);
CREATE INDEX timers_due ON timers (state, due_at);
CREATE INDEX timers_by_key ON timers (community, cog, kind, key);

-- One notice per problem until it is fixed: the bot tells moderators once, not in a loop.
CREATE TABLE moderator_notices (
    community  TEXT NOT NULL,
    key        TEXT NOT NULL,
    text       TEXT NOT NULL,
    sent_at    TEXT NOT NULL,
    PRIMARY KEY (community, key)
);

-- Small facts adapters keep between runs (e.g. the hash of the synced commands).
CREATE TABLE platform_state (
    platform  TEXT NOT NULL,
    key       TEXT NOT NULL,
    value     TEXT NOT NULL,
    PRIMARY KEY (platform, key)
);
