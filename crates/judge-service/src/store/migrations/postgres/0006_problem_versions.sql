CREATE TABLE problem_versions (
    version TEXT PRIMARY KEY,
    problem TEXT NOT NULL,
    package TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);
ALTER TABLE jobs ADD COLUMN problem_version TEXT;
