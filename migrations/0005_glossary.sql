-- The glossary: the community's own words (terms and inside jokes), how often they are
-- used, where they were explained, and the counts behind emerging-phrase suggestions.
--
-- Usage and n-gram counts are buffered in memory and written in one transaction every
-- few seconds. N-gram tables hold normalized phrases and counts, never message text.

CREATE TABLE glossary_entries (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    community      TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    kind           TEXT NOT NULL DEFAULT 'term',   -- term | joke
    definition     TEXT NOT NULL,
    origin         TEXT,                           -- for jokes: where it came from
    first_said     TEXT,                           -- a message link or reference, as given
    author         TEXT,                           -- NULL once they asked to be forgotten
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    uses           INTEGER NOT NULL DEFAULT 0,     -- all-time, from the flushed counters
    first_used_at  TEXT,
    last_used_at   TEXT
);
CREATE INDEX glossary_entries_by_created ON glossary_entries (community, created_at);
CREATE INDEX glossary_entries_by_author ON glossary_entries (community, author);
CREATE INDEX glossary_entries_by_uses ON glossary_entries (community, uses);

-- Every name and alias in one namespace per community, keyed by its matching form
-- (normalized words, hyphen = space): no two entries can answer to the same words.
CREATE TABLE glossary_names (
    community  TEXT NOT NULL,
    key        TEXT NOT NULL,
    entry_id   INTEGER NOT NULL REFERENCES glossary_entries(id) ON DELETE CASCADE,
    text       TEXT NOT NULL,
    is_alias   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (community, key)
);
CREATE INDEX glossary_names_by_entry ON glossary_names (entry_id);

-- Uses per entry per day (the community's local date), for /glossary top.
CREATE TABLE glossary_usage_days (
    entry_id   INTEGER NOT NULL REFERENCES glossary_entries(id) ON DELETE CASCADE,
    community  TEXT NOT NULL,
    day        TEXT NOT NULL,
    uses       INTEGER NOT NULL,
    PRIMARY KEY (entry_id, day)
);
CREATE INDEX glossary_usage_days_by_day ON glossary_usage_days (community, day);

-- Uses per entry per person: top users; removed when the person asks to be forgotten.
CREATE TABLE glossary_usage_people (
    entry_id       INTEGER NOT NULL REFERENCES glossary_entries(id) ON DELETE CASCADE,
    community      TEXT NOT NULL,
    user_id        TEXT NOT NULL,
    uses           INTEGER NOT NULL,
    first_used_at  TEXT NOT NULL,
    last_used_at   TEXT NOT NULL,
    PRIMARY KEY (entry_id, user_id)
);
CREATE INDEX glossary_usage_people_by_user ON glossary_usage_people (community, user_id);
CREATE INDEX glossary_usage_people_by_uses ON glossary_usage_people (entry_id, uses);

-- When an entry was last explained in a channel (footnote or "show to channel").
CREATE TABLE glossary_explained (
    community     TEXT NOT NULL,
    channel       TEXT NOT NULL,
    entry_id      INTEGER NOT NULL REFERENCES glossary_entries(id) ON DELETE CASCADE,
    explained_at  TEXT NOT NULL,
    PRIMARY KEY (community, channel, entry_id)
);
CREATE INDEX glossary_explained_by_entry ON glossary_explained (entry_id);

-- Emerging phrases, per person: who used a phrase on which day, and the first message
-- (a reference, not its text). Kept only for the detection window.
CREATE TABLE glossary_ngram_people (
    community      TEXT NOT NULL,
    phrase         TEXT NOT NULL,      -- normalized words joined by one space
    day            TEXT NOT NULL,
    user_id        TEXT NOT NULL,
    uses           INTEGER NOT NULL,
    form           TEXT NOT NULL,      -- the words as first written (for a suggested name)
    first_at       TEXT NOT NULL,
    first_channel  TEXT NOT NULL,
    first_message  TEXT NOT NULL,
    first_thread   TEXT,
    PRIMARY KEY (community, phrase, day, user_id)
);
CREATE INDEX glossary_ngram_people_by_day ON glossary_ngram_people (community, day);
CREATE INDEX glossary_ngram_people_by_user ON glossary_ngram_people (community, user_id);

-- Emerging phrases, totals per day: the earlier rate a phrase must rise well above.
CREATE TABLE glossary_ngram_days (
    community  TEXT NOT NULL,
    phrase     TEXT NOT NULL,
    day        TEXT NOT NULL,
    uses       INTEGER NOT NULL,
    PRIMARY KEY (community, phrase, day)
);
CREATE INDEX glossary_ngram_days_by_day ON glossary_ngram_days (community, day);

-- Phrases already suggested to moderators (not again for a while) or ignored (never again).
CREATE TABLE glossary_suggestions (
    community     TEXT NOT NULL,
    phrase        TEXT NOT NULL,
    state         TEXT NOT NULL,        -- suggested | ignored | added
    suggested_at  TEXT NOT NULL,
    decided_by    TEXT,
    PRIMARY KEY (community, phrase)
);
CREATE INDEX glossary_suggestions_by_time ON glossary_suggestions (community, suggested_at);
