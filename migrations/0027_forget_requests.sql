-- A forget-me in progress: one row per cog whose deletion has not finished. The rows are
-- written before any cog runs and each goes when its cog's deletion succeeds, so a cog
-- that failed (or a stop in the middle) is retried at every start until it is done.
CREATE TABLE forget_requests (
    community     TEXT NOT NULL,
    user_id       TEXT NOT NULL,
    cog           TEXT NOT NULL,
    requested_at  TEXT NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (community, user_id, cog)
);
