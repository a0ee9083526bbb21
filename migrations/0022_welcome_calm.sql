-- The welcome stays calm in raids and loops, and greeters earn credit when they greet.

-- When the person last left (a rejoin soon after continues their onboarding quietly), and
-- whether their channel welcome waits for the next batched welcome (joined in a burst).
ALTER TABLE welcome_newcomers ADD COLUMN left_at TEXT;
ALTER TABLE welcome_newcomers ADD COLUMN held_at TEXT;
CREATE INDEX welcome_newcomers_held ON welcome_newcomers (community, held_at);

-- Who greeted which newcomer (a wave, a reply to the welcome or to the newcomer, a
-- mention), once per pair. The credit (the NewcomerGreeted event) goes out at due_at, once
-- the newcomer has stayed past the removal window; 'void' when they left within it.
CREATE TABLE welcome_greetings (
    community   TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    newcomer    TEXT NOT NULL,
    greeter     TEXT NOT NULL,
    how         TEXT NOT NULL,                  -- wave, reply, mention
    greeted_at  TEXT NOT NULL,
    due_at      TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'pending', -- pending, credited, void
    PRIMARY KEY (community, newcomer, greeter)
);
CREATE INDEX welcome_greetings_due ON welcome_greetings (state, due_at);
CREATE INDEX welcome_greetings_by_greeter ON welcome_greetings (community, greeter);
