-- A draft per user, problem and language: a user's Rust and Python code for one problem
-- are kept side by side (every earlier draft was Rust). SQLite cannot change a primary key
-- in place, so the table is made again.
CREATE TABLE drafts_by_language (
    user_id INTEGER NOT NULL REFERENCES users(id),
    problem TEXT NOT NULL,
    language TEXT NOT NULL,
    source TEXT NOT NULL,
    updated_ms INTEGER NOT NULL,
    PRIMARY KEY (user_id, problem, language)
);
INSERT INTO drafts_by_language (user_id, problem, language, source, updated_ms)
    SELECT user_id, problem, 'rust', source, updated_ms FROM drafts;
DROP TABLE drafts;
ALTER TABLE drafts_by_language RENAME TO drafts;
-- The language of an interview's draft events (its final code's fence); NULL before.
ALTER TABLE interview_events ADD COLUMN language TEXT;
