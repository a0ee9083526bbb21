-- The questions cog: the channels it watches, the questions it found (with their
-- response, solution, reminders, claim, check-in and close state), who is on duty,
-- and an outbox of messages it has decided to send (digests, check-ins, closes).

-- Help channels: every top-level post is a question. Watch channels: posts that
-- look like questions, detected conservatively or eagerly. nudge_after (seconds)
-- overrides the community's default for this channel; NULL keeps the default.
CREATE TABLE questions_channels (
    community    TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    channel      TEXT NOT NULL,
    kind         TEXT NOT NULL,                          -- help | watch
    mode         TEXT NOT NULL DEFAULT 'conservative',   -- conservative | eager
    nudge_after  INTEGER,
    PRIMARY KEY (community, channel)
);

-- One row per question. state: open (nobody but the asker has replied, or the asker
-- said they still need help), answered, solved, closed. The *_at due times are read
-- by indexed sweeps: next_nudge_at (open), check_in_at (answered), close_at (open or
-- answered); NULL means nothing is due.
CREATE TABLE questions (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    community          TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    channel            TEXT NOT NULL,
    message            TEXT NOT NULL,
    thread             TEXT,
    asker              TEXT NOT NULL,
    excerpt            TEXT NOT NULL DEFAULT '',
    source             TEXT NOT NULL,                  -- help | detected | marked
    state              TEXT NOT NULL DEFAULT 'open',
    asked_at           TEXT NOT NULL,
    last_activity_at   TEXT NOT NULL,
    first_response_at  TEXT,
    responder          TEXT,                           -- NULL when anonymised
    solved_at          TEXT,
    solver             TEXT,
    helper             TEXT,
    closed_at          TEXT,
    close_reason       TEXT,                           -- inactive | asker_left
    nudge_count        INTEGER NOT NULL DEFAULT 0,
    last_nudge_at      TEXT,
    next_nudge_at      TEXT,
    escalated_at       TEXT,
    claimed_by         TEXT,
    claim_until        TEXT,
    check_in_at        TEXT,
    checked_in_at      TEXT,
    close_at           TEXT,
    UNIQUE (community, message)
);
CREATE INDEX questions_nudge_due ON questions (state, next_nudge_at);
CREATE INDEX questions_check_in_due ON questions (state, check_in_at);
CREATE INDEX questions_close_due ON questions (state, close_at);
CREATE INDEX questions_by_thread ON questions (community, thread);
CREATE INDEX questions_by_asked ON questions (community, asked_at);
CREATE INDEX questions_by_asker ON questions (community, asker);
CREATE INDEX questions_by_responder ON questions (community, responder);

-- People who opted in with /questions on-duty: the digest pings them.
CREATE TABLE questions_on_duty (
    community  TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL,
    since      TEXT NOT NULL,
    PRIMARY KEY (community, user_id)
);

-- Messages the sweep decided to send, written in the same transaction as the state
-- change that caused them, and deleted once the platform accepted them: a restart
-- between the two sends what is left, and nothing is decided twice.
CREATE TABLE questions_outbox (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    community        TEXT NOT NULL,
    kind             TEXT NOT NULL,                    -- digest | check_in | close
    channel          TEXT,
    thread           TEXT,
    user_id          TEXT,                             -- check-ins go to the asker first
    message          TEXT NOT NULL,                    -- the Message as JSON
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    created_at       TEXT NOT NULL
);
CREATE INDEX questions_outbox_due ON questions_outbox (next_attempt_at);
CREATE INDEX questions_outbox_by_user ON questions_outbox (community, user_id);
