-- Missions: shared goals with a target, a deadline and something at stake.
--
-- A mission's total is kept on its row and changed in the same transaction as the
-- contribution that moves it. Everything the bot announces about a mission (its post,
-- milestones, reminders, the summary) is first *decided* as a row in mission_notices,
-- whose UNIQUE (mission_id, key) makes the decision happen once, and delivered by a
-- core timer written in that same transaction: a restart never loses or repeats it.

CREATE TABLE missions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    community       TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    name_key        TEXT NOT NULL,              -- normalized name: one live mission per name
    goal            TEXT NOT NULL,
    target          INTEGER NOT NULL CHECK (target > 0),
    stretch         INTEGER,                    -- optional second target, above target
    unit            TEXT NOT NULL,
    counting        TEXT NOT NULL,              -- manual | messages | answers | kudos | welcomes
    count_channels  TEXT NOT NULL DEFAULT '[]', -- JSON list of channel ids (messages, answers)
    channel         TEXT NOT NULL,              -- where the post and announcements go
    role            TEXT,                       -- recognition role for contributors, optional
    daily_cap       INTEGER,                    -- per person and day (community timezone)
    starts_at       TEXT NOT NULL,
    deadline        TEXT NOT NULL,
    state           TEXT NOT NULL,              -- upcoming | active | archived
    outcome         TEXT,                       -- reached | stretched | missed | cancelled
    total           INTEGER NOT NULL DEFAULT 0,
    reached_at      TEXT,                       -- when the total first reached the target
    finished_at     TEXT,
    cancel_reason   TEXT,
    post_channel    TEXT,
    post_id         TEXT,
    post_thread     TEXT,
    post_dirty      INTEGER NOT NULL DEFAULT 0, -- the post needs an edit (flushed by a job)
    created_by      TEXT,                       -- NULL once that person asked to be forgotten
    created_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX missions_live_name ON missions (community, name_key)
    WHERE state IN ('upcoming', 'active');
CREATE INDEX missions_by_state ON missions (community, state, counting);
CREATE INDEX missions_by_kind ON missions (state, counting);
CREATE INDEX missions_dirty_posts ON missions (post_dirty) WHERE post_dirty = 1;

CREATE TABLE mission_contributions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    mission_id      INTEGER NOT NULL REFERENCES missions(id) ON DELETE CASCADE,
    community       TEXT NOT NULL,
    user_id         TEXT,                       -- NULL once the person asked to be forgotten
    amount          INTEGER NOT NULL CHECK (amount > 0),
    source          TEXT NOT NULL,              -- manual | button | messages | answers | …
    note            TEXT,
    at              TEXT NOT NULL,
    removed_at      TEXT,                       -- undone by its author or removed by a moderator
    removed_by      TEXT,
    removed_reason  TEXT
);
CREATE INDEX mission_contributions_by_person ON mission_contributions (mission_id, user_id, at);
CREATE INDEX mission_contributions_by_user ON mission_contributions (community, user_id, at);

CREATE TABLE mission_participants (
    mission_id  INTEGER NOT NULL REFERENCES missions(id) ON DELETE CASCADE,
    community   TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    joined_at   TEXT NOT NULL,
    PRIMARY KEY (mission_id, user_id)
);
CREATE INDEX mission_participants_by_user ON mission_participants (community, user_id);

-- Who earned the mission's recognition: everyone who contributed to it once the total
-- reached the target. Recorded whether or not the mission has a role.
CREATE TABLE mission_earners (
    mission_id       INTEGER NOT NULL REFERENCES missions(id) ON DELETE CASCADE,
    community        TEXT NOT NULL,
    user_id          TEXT NOT NULL,
    earned_at        TEXT NOT NULL,
    role_granted_at  TEXT,
    PRIMARY KEY (mission_id, user_id)
);
CREATE INDEX mission_earners_ungranted ON mission_earners (mission_id)
    WHERE role_granted_at IS NULL;
CREATE INDEX mission_earners_by_user ON mission_earners (community, user_id);

-- What the bot decided to announce (key: post, milestone:25, milestone:stretch,
-- reminder:25, summary, cancelled) and when it was sent.
CREATE TABLE mission_notices (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    mission_id  INTEGER NOT NULL REFERENCES missions(id) ON DELETE CASCADE,
    key         TEXT NOT NULL,
    decided_at  TEXT NOT NULL,
    sent_at     TEXT,
    UNIQUE (mission_id, key)
);
