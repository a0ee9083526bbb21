-- Glossary entries reported as wrong: any member may report an entry (one open report per
-- person and entry); a moderator resolves the reports by editing the entry, by removing it
-- (its reports go with it) or with /glossary resolve. Resolved reports are kept as history
-- until the entry is removed; a reporter who asks to be forgotten takes their reports along.
-- The digest's moderator note records each report it has seen in digest_flags
-- (kind 'glossary_report', ref = the report's id), so an entry is mentioned once.

CREATE TABLE glossary_reports (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,   -- never reused: the digest's flag ref
    community    TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    entry_id     INTEGER NOT NULL REFERENCES glossary_entries(id) ON DELETE CASCADE,
    reporter     TEXT NOT NULL,
    reason       TEXT NOT NULL,
    reported_at  TEXT NOT NULL,
    resolved_at  TEXT,                                 -- NULL while the report is open
    resolved_by  TEXT,                                 -- NULL once they asked to be forgotten
    resolution   TEXT                                  -- edited | resolved
);
-- One open report per person and entry (also the lookup of an entry's open reports).
CREATE UNIQUE INDEX glossary_reports_one_open ON glossary_reports (entry_id, reporter)
    WHERE resolved_at IS NULL;
-- A community's open reports, oldest first (/glossary reports, the moderators' note).
CREATE INDEX glossary_reports_open ON glossary_reports (community, reported_at)
    WHERE resolved_at IS NULL;
-- Every report of an entry (removing the entry cascades here).
CREATE INDEX glossary_reports_by_entry ON glossary_reports (entry_id);
-- A person's reports, and those they resolved (forgetting and exporting a person).
CREATE INDEX glossary_reports_by_reporter ON glossary_reports (community, reporter);
CREATE INDEX glossary_reports_by_resolver ON glossary_reports (community, resolved_by);
