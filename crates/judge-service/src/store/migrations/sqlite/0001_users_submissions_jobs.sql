CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_ms INTEGER NOT NULL
);
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    problem TEXT NOT NULL,
    mode TEXT NOT NULL,
    source TEXT NOT NULL,
    status TEXT NOT NULL,
    problem_version TEXT,
    report TEXT,
    error TEXT,
    created_ms INTEGER NOT NULL,
    finished_ms INTEGER
);
CREATE INDEX submissions_by_user ON submissions(user_id, id);
CREATE INDEX submissions_by_problem ON submissions(problem, id);
CREATE TABLE jobs (
    submission_id INTEGER PRIMARY KEY REFERENCES submissions(id),
    attempts INTEGER NOT NULL DEFAULT 0,
    lease_until_ms INTEGER,
    worker TEXT
);
