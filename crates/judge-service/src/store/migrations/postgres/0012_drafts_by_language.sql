-- A draft per user, problem and language: a user's Rust and Python code for one problem
-- are kept side by side (every earlier draft was Rust).
ALTER TABLE drafts ADD COLUMN language TEXT NOT NULL DEFAULT 'rust';
ALTER TABLE drafts DROP CONSTRAINT drafts_pkey;
ALTER TABLE drafts ADD PRIMARY KEY (user_id, problem, language);
-- The language of an interview's draft events (its final code's fence); NULL before.
ALTER TABLE interview_events ADD COLUMN language TEXT;
