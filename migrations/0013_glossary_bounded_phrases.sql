-- Emerging phrases in bounded memory (issue 13). Phrases are counted in memory per
-- community and day, with the distinct people as hashes that are never written; only
-- phrases that reached the suggestion thresholds ("hot" phrases) are stored, as daily
-- aggregates. No per-person rows, no written forms of phrases never suggested.
--
-- Replaces glossary_ngram_people and glossary_ngram_days (every phrase, per person).
-- What stays meaningful moves over: the daily uses of phrases that at least two people
-- used (the lowest threshold a community can set), with the most people seen on a day,
-- and where such a phrase was first said. The per-person rows and the written forms go.

-- Daily uses of hot phrases; people: the distinct people of the detection window as
-- counted when the row was last written (a lower bound after a restart). Kept 60 days.
CREATE TABLE glossary_phrase_days (
    community  TEXT NOT NULL,
    phrase     TEXT NOT NULL,      -- normalized words joined by one space
    day        TEXT NOT NULL,      -- the community's local date
    uses       INTEGER NOT NULL,
    people     INTEGER NOT NULL,
    PRIMARY KEY (community, phrase, day)
);
CREATE INDEX glossary_phrase_days_by_day ON glossary_phrase_days (community, day);

-- Where a hot phrase was first said (a message reference, not its text). first_user is
-- NULL once that person asked to be forgotten (with the message reference). Removed with
-- the phrase's last day row.
CREATE TABLE glossary_phrases (
    community      TEXT NOT NULL,
    phrase         TEXT NOT NULL,
    first_at       TEXT NOT NULL,
    first_user     TEXT,
    first_channel  TEXT,
    first_message  TEXT,
    first_thread   TEXT,
    PRIMARY KEY (community, phrase)
);
CREATE INDEX glossary_phrases_by_user ON glossary_phrases (community, first_user);

-- The phrase as written, for phrases suggested to moderators (the name an entry gets).
ALTER TABLE glossary_suggestions ADD COLUMN form TEXT;

-- Phrases at least two people used on some day, from the old tables.
CREATE TEMPORARY TABLE glossary_kept_phrases AS
    SELECT community, phrase FROM (
        SELECT community, phrase, user_id FROM glossary_ngram_people
        UNION SELECT community, phrase, user_id FROM glossary_ngram_days
            WHERE user_id IS NOT NULL
    ) GROUP BY community, phrase HAVING COUNT(DISTINCT user_id) >= 2;

INSERT INTO glossary_phrase_days (community, phrase, day, uses, people)
    SELECT d.community, d.phrase, d.day, d.uses,
        COALESCE(NULLIF((SELECT COUNT(DISTINCT p.user_id) FROM glossary_ngram_people p
            WHERE p.community = d.community AND p.phrase = d.phrase AND p.day = d.day), 0), 1)
    FROM glossary_ngram_days d
    JOIN glossary_kept_phrases k ON k.community = d.community AND k.phrase = d.phrase;

INSERT INTO glossary_phrases
    (community, phrase, first_at, first_user, first_channel, first_message, first_thread)
    SELECT community, phrase, first_at, user_id, first_channel, first_message, first_thread
    FROM (
        SELECT u.*, ROW_NUMBER() OVER (
            PARTITION BY u.community, u.phrase ORDER BY u.first_at) AS n
        FROM (
            SELECT community, phrase, user_id, first_at, first_channel, first_message,
                first_thread FROM glossary_ngram_people
            UNION ALL SELECT community, phrase, user_id, first_at, first_channel,
                first_message, first_thread FROM glossary_ngram_days WHERE user_id IS NOT NULL
        ) u
        JOIN glossary_kept_phrases k ON k.community = u.community AND k.phrase = u.phrase
    ) WHERE n = 1;

DROP TABLE glossary_kept_phrases;
DROP TABLE glossary_ngram_people;
DROP TABLE glossary_ngram_days;
