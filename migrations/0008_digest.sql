-- Digest and nudges: the weekly digest runs, every nudge, who opted out, what moderators
-- were told, and who was active on which day (for the digest's figures and chart).

-- One row per weekly digest: planned (pending) with its due time, then sent, skipped
-- (more than a day late after downtime) or cancelled (the schedule changed). A row is
-- marked sent before the message goes out, so a restart can never send it twice.
CREATE TABLE digest_runs (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    community  TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    due_at     TEXT NOT NULL,
    state      TEXT NOT NULL DEFAULT 'pending',  -- pending | sent | failed | skipped | cancelled
    done_at    TEXT,
    channel    TEXT,
    message    TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (community, due_at)
);
CREATE INDEX digest_runs_due ON digest_runs (state, due_at);
CREATE INDEX digest_runs_by_community ON digest_runs (community, state, due_at);

-- One row per private nudge to a member: a newcomer who never posted, or a member who
-- went quiet. Due rows are claimed (sent) before the message goes out; quiet hours and
-- the hourly cap move ``due_at`` later instead of dropping the nudge.
CREATE TABLE digest_nudges (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    community  TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL,
    kind       TEXT NOT NULL,                      -- newcomer | reengage
    due_at     TEXT NOT NULL,
    state      TEXT NOT NULL DEFAULT 'pending',    -- pending | sent | failed | skipped
    sent_at    TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX digest_nudges_due ON digest_nudges (state, due_at);
CREATE INDEX digest_nudges_by_user ON digest_nudges (community, user_id, kind, state);
CREATE INDEX digest_nudges_sent ON digest_nudges (community, sent_at);
-- At most one nudge of a kind waits for a person at a time.
CREATE UNIQUE INDEX digest_nudges_one_pending ON digest_nudges (community, user_id, kind)
    WHERE state = 'pending';

-- Members who said /nudges off.
CREATE TABLE digest_optouts (
    community TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    user_id   TEXT NOT NULL,
    at        TEXT NOT NULL,
    PRIMARY KEY (community, user_id)
);

-- What moderators were told about (a question waiting too long, a mission behind pace
-- with little time left): each once. Inserted before the grouped message is sent.
CREATE TABLE digest_flags (
    community  TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,                      -- question | mission
    ref        TEXT NOT NULL,
    flagged_at TEXT NOT NULL,
    PRIMARY KEY (community, kind, ref)
);

-- Who posted on which local day, and where: active members per week, and the channels a
-- quiet member used to post in. Buffered in memory, written once a minute; pruned daily.
CREATE TABLE digest_activity (
    community TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    day       TEXT NOT NULL,                       -- the community's local date, ISO
    user_id   TEXT NOT NULL,
    channel   TEXT NOT NULL,
    PRIMARY KEY (community, day, user_id, channel)
);
CREATE INDEX digest_activity_by_user ON digest_activity (community, user_id, day);
