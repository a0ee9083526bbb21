-- Fair play for questions (issue 15).
--
-- Who replied to a question with something to say (a reply in its thread or to its
-- message, not by the asker, with substance: see bot/text/substance.py). Accepted-answer
-- credit goes only to one of them, unless a moderator names someone else.
CREATE TABLE question_repliers (
    question_id  INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
    community    TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    first_at     TEXT NOT NULL,
    PRIMARY KEY (question_id, user_id)
) WITHOUT ROWID;
CREATE INDEX question_repliers_by_user ON question_repliers (community, user_id);

-- The moderator who credited a helper who had not replied (their decision, on record).
ALTER TABLE questions ADD COLUMN helper_named_by TEXT;
