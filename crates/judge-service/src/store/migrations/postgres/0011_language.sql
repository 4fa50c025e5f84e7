-- The language a submission is written in (an id of the languages table: rust, python, cpp,
-- ...); every earlier submission was Rust.
ALTER TABLE submissions ADD COLUMN language TEXT NOT NULL DEFAULT 'rust';
