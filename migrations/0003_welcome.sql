-- The welcome cog: onboarding steps and who did them, newcomers (their welcome, their
-- one reminder), the welcome messages with who waved, and the greeters' rotation.

-- Steps moderators list; a step with a channel ticks itself when the newcomer posts
-- there, a step without one is ticked by the member with /welcome done.
CREATE TABLE welcome_steps (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    community   TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    text        TEXT NOT NULL,
    channel     TEXT,
    created_at  TEXT NOT NULL
);
CREATE INDEX welcome_steps_by_community ON welcome_steps (community, id);
CREATE INDEX welcome_steps_by_channel ON welcome_steps (community, channel);

CREATE TABLE welcome_progress (
    community  TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    step_id    INTEGER NOT NULL REFERENCES welcome_steps(id) ON DELETE CASCADE,
    done_at    TEXT NOT NULL,
    PRIMARY KEY (community, user_id, step_id)
);
CREATE INDEX welcome_progress_by_step ON welcome_progress (step_id);

-- One row per person the cog welcomed (their latest join). reminder_sent_at is never
-- cleared, so a person gets at most one reminder, even across leaving and rejoining.
CREATE TABLE welcome_newcomers (
    community         TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    user_id           TEXT NOT NULL,
    joined_at         TEXT NOT NULL,
    is_returning      INTEGER NOT NULL DEFAULT 0,
    greeter           TEXT,
    posted_at         TEXT,               -- first message since joined_at
    reminder_sent_at  TEXT,
    welcome_channel   TEXT,               -- the channel welcome, removed if they leave soon
    welcome_message   TEXT,
    welcome_thread    TEXT,
    PRIMARY KEY (community, user_id)
);
CREATE INDEX welcome_newcomers_by_joined ON welcome_newcomers (joined_at);

-- Every channel welcome the cog posted, with what it said, so a wave can re-render it.
CREATE TABLE welcome_posts (
    community   TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    message_id  TEXT NOT NULL,
    channel     TEXT NOT NULL,
    thread      TEXT,
    newcomer    TEXT NOT NULL,
    body        TEXT NOT NULL,                -- JSON: text, fields, mentions, footer
    is_test     INTEGER NOT NULL DEFAULT 0,
    posted_at   TEXT NOT NULL,
    removed_at  TEXT,
    PRIMARY KEY (community, message_id)
);
CREATE INDEX welcome_posts_by_newcomer ON welcome_posts (community, newcomer);

CREATE TABLE welcome_waves (
    community   TEXT NOT NULL,
    message_id  TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    name        TEXT NOT NULL DEFAULT '',
    waved_at    TEXT NOT NULL,
    PRIMARY KEY (community, message_id, user_id),
    FOREIGN KEY (community, message_id) REFERENCES welcome_posts (community, message_id)
        ON DELETE CASCADE
);
CREATE INDEX welcome_waves_by_user ON welcome_waves (community, user_id);

-- Members who volunteered to greet; the rotation picks the one who greeted longest ago.
CREATE TABLE welcome_greeters (
    community        TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    user_id          TEXT NOT NULL,
    opted_in_at      TEXT NOT NULL,
    last_greeted_at  TEXT,
    PRIMARY KEY (community, user_id)
);
CREATE INDEX welcome_greeters_rotation ON welcome_greeters (community, last_greeted_at);
