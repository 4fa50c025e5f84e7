CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_ms BIGINT NOT NULL
);
CREATE TABLE submissions (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    problem TEXT NOT NULL,
    mode TEXT NOT NULL,
    source TEXT NOT NULL,
    status TEXT NOT NULL,
    problem_version TEXT,
    report TEXT,
    error TEXT,
    created_ms BIGINT NOT NULL,
    finished_ms BIGINT
);
CREATE INDEX submissions_by_user ON submissions(user_id, id);
CREATE INDEX submissions_by_problem ON submissions(problem, id);
CREATE TABLE jobs (
    submission_id BIGINT PRIMARY KEY REFERENCES submissions(id),
    attempts BIGINT NOT NULL DEFAULT 0,
    lease_until_ms BIGINT,
    worker TEXT
);
