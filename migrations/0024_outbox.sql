-- The core outbox: posts that must go out even across a crash or a platform outage.
-- A row is written in the same transaction as what caused it; a core timer
-- (cog 'hearth', kind 'outbox', key = the row id) delivers it, and retries with
-- backoff until it is sent or, past expires_at, dropped (moderators are told).

CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    community   TEXT NOT NULL,
    cog         TEXT NOT NULL,                 -- who asked for it; told when it is sent
    kind        TEXT NOT NULL,                 -- what it is to that cog: 'notice', 'welcome'
    key         TEXT NOT NULL DEFAULT '',      -- which one: '12:post'
    channel     TEXT NOT NULL,
    thread      TEXT,
    message     TEXT NOT NULL,                 -- the Message as JSON
    label       TEXT NOT NULL DEFAULT '',      -- what it is, for moderators: 'the post of “Docs”'
    asked_by    TEXT,                          -- the moderator who asked: told if it fails
    created_at  TEXT NOT NULL,
    expires_at  TEXT,                          -- too late to post after this; NULL: never
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT,
    warned      INTEGER NOT NULL DEFAULT 0,    -- moderators were told it keeps failing
    state       TEXT NOT NULL DEFAULT 'pending',  -- pending | sent | dropped
    sent_id     TEXT,                          -- the platform's message id once posted
    sent_at     TEXT
);
CREATE INDEX outbox_by_key ON outbox (community, cog, kind, key);
CREATE INDEX outbox_by_state ON outbox (state, created_at);
