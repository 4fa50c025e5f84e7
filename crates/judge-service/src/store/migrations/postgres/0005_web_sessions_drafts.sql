ALTER TABLE users ADD COLUMN password_hash TEXT;
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    csrf TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL
);
CREATE TABLE drafts (
    user_id BIGINT NOT NULL REFERENCES users(id),
    problem TEXT NOT NULL,
    source TEXT NOT NULL,
    updated_ms BIGINT NOT NULL,
    PRIMARY KEY (user_id, problem)
);
