-- The playground's own state: its people, their roles, its messages and its clock,
-- so that a playground session can be continued after a restart.

CREATE TABLE playground_people (
    name          TEXT PRIMARY KEY,
    is_moderator  INTEGER NOT NULL DEFAULT 0,
    is_bot        INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE playground_roles (
    name  TEXT NOT NULL REFERENCES playground_people(name) ON DELETE CASCADE,
    role  TEXT NOT NULL,
    PRIMARY KEY (name, role)
);

CREATE TABLE playground_channels (
    name  TEXT PRIMARY KEY
);

CREATE TABLE playground_messages (
    ref         TEXT PRIMARY KEY,          -- "m7"
    channel     TEXT NOT NULL,
    thread      TEXT,                      -- root message ref when in a thread
    author      TEXT NOT NULL,
    text        TEXT NOT NULL,
    buttons     TEXT NOT NULL DEFAULT '[]',
    private_to  TEXT,
    deleted     INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE playground_state (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
