-- Emerging phrases: most phrases are said once on a day, so the one use of a phrase on a
-- day (who, where, as written) is kept in its day row instead of a per-person row. Per-person
-- rows (glossary_ngram_people) exist only for phrases said at least twice on that day; the
-- lone use moves there with the second one. "Who said it" is the union of both.
-- user_id and the columns after it are NULL unless uses = 1.
ALTER TABLE glossary_ngram_days ADD COLUMN user_id TEXT;
ALTER TABLE glossary_ngram_days ADD COLUMN form TEXT;
ALTER TABLE glossary_ngram_days ADD COLUMN first_at TEXT;
ALTER TABLE glossary_ngram_days ADD COLUMN first_channel TEXT;
ALTER TABLE glossary_ngram_days ADD COLUMN first_message TEXT;
ALTER TABLE glossary_ngram_days ADD COLUMN first_thread TEXT;
-- Lone uses whose phrase was said again (moved to glossary_ngram_people by the flush):
-- only ever a handful of rows between two statements of one flush.
CREATE INDEX glossary_ngram_days_promoted ON glossary_ngram_days (community)
    WHERE user_id IS NOT NULL AND uses > 1;
