-- Recognition: kudos between people, a points ledger, recognition role tiers and grants,
-- active days, and the weekly spotlight marker.

-- Every kudos ever given (also the ones a thank-for-thank loop left uncounted), so that
-- moderators can see who gave what to whom. ``message`` is the message that was starred
-- or that said thanks; NULL for commands. One kudos per giver, receiver and message.
CREATE TABLE recognition_kudos (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    community TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    giver     TEXT NOT NULL,
    receiver  TEXT NOT NULL,
    reason    TEXT NOT NULL DEFAULT '',
    source    TEXT NOT NULL,               -- command | user_action | reaction | thanks
    channel   TEXT,
    message   TEXT,
    counted   INTEGER NOT NULL DEFAULT 1,  -- 0: a thank-for-thank that counts once
    at        TEXT NOT NULL,
    UNIQUE (community, giver, receiver, message)
);
CREATE INDEX recognition_kudos_by_pair ON recognition_kudos (community, giver, receiver, at);
CREATE INDEX recognition_kudos_by_giver ON recognition_kudos (community, giver, counted, at);
CREATE INDEX recognition_kudos_by_receiver ON recognition_kudos (community, receiver, at);
CREATE INDEX recognition_kudos_by_time ON recognition_kudos (community, at);

-- Points: one row per thing that earned them. ``amount`` is the weight when it happened;
-- ``ref`` makes each event count once (a kudos id, a question, a mission, a newcomer).
CREATE TABLE recognition_ledger (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    community TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    user_id   TEXT NOT NULL,
    kind      TEXT NOT NULL,               -- kudos | answer | accepted | mission | mission_completed | greeting
    amount    INTEGER NOT NULL,
    at        TEXT NOT NULL,
    ref       TEXT NOT NULL,
    UNIQUE (community, user_id, kind, ref)
);
CREATE INDEX recognition_ledger_by_user ON recognition_ledger (community, user_id, at);
CREATE INDEX recognition_ledger_by_time ON recognition_ledger (community, at);
CREATE INDEX recognition_ledger_by_kind ON recognition_ledger (community, kind, at);

-- Role tiers moderators defined: one rule per role.
CREATE TABLE recognition_tiers (
    community      TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    role           TEXT NOT NULL,
    metric         TEXT NOT NULL,          -- points | kudos | answers | missions | tenure | active-days | founding
    threshold      INTEGER NOT NULL,       -- founding: the first N members (0 with joined_before)
    window_seconds INTEGER,                -- NULL: all time; else a rolling window
    joined_before  TEXT,                   -- founding by date
    created_by     TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    PRIMARY KEY (community, role)
);

-- Roles this cog gave, so each is granted and announced once (and a rolling one removed).
CREATE TABLE recognition_grants (
    community  TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL,
    role       TEXT NOT NULL,
    granted_at TEXT NOT NULL,
    reason     TEXT NOT NULL,
    PRIMARY KEY (community, user_id, role)
);
CREATE INDEX recognition_grants_by_role ON recognition_grants (community, role);

-- Days (in the community's timezone) on which each person posted.
CREATE TABLE recognition_active_days (
    community TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    user_id   TEXT NOT NULL,
    day       TEXT NOT NULL,               -- YYYY-MM-DD
    PRIMARY KEY (community, user_id, day)
);
CREATE INDEX recognition_active_days_by_day ON recognition_active_days (community, day);

-- Weeks whose spotlight was posted: a re-run timer never posts twice.
CREATE TABLE recognition_spotlights (
    community TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    week      TEXT NOT NULL,               -- the local date the spotlight was due
    posted_at TEXT NOT NULL,
    PRIMARY KEY (community, week)
);
