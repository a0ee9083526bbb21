-- Fair play: why a kudos adds no points, moderators' corrections, and the index the
-- start-up read of the last week of kudos uses.

-- NULL: the kudos counts (or, with counted = 0, a thank-for-thank recorded before this
-- column existed). loop | pair_cap: recorded without points; withdrawn: its reaction was
-- removed; revoked: a moderator took it back.
ALTER TABLE recognition_kudos ADD COLUMN why_uncounted TEXT;
CREATE INDEX recognition_kudos_by_at ON recognition_kudos (at);

-- Moderators' corrections, shown in /recognition history with who made them.
-- revoke: a kudos taken back (kudos_id; points is what it had added, negated);
-- adjust: points added or taken away by hand, with a reason.
CREATE TABLE recognition_corrections (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    community TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    user_id   TEXT NOT NULL,               -- whose points changed
    moderator TEXT NOT NULL,               -- '' once the moderator asked to be forgotten
    kind      TEXT NOT NULL,               -- revoke | adjust
    kudos_id  INTEGER,
    points    INTEGER NOT NULL,
    reason    TEXT NOT NULL DEFAULT '',
    at        TEXT NOT NULL
);
CREATE INDEX recognition_corrections_by_time ON recognition_corrections (community, at);
CREATE INDEX recognition_corrections_by_user ON recognition_corrections (community, user_id, at);
