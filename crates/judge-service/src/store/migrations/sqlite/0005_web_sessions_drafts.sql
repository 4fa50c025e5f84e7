ALTER TABLE users ADD COLUMN password_hash TEXT;
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    csrf TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL
);
CREATE TABLE drafts (
    user_id INTEGER NOT NULL REFERENCES users(id),
    problem TEXT NOT NULL,
    source TEXT NOT NULL,
    updated_ms INTEGER NOT NULL,
    PRIMARY KEY (user_id, problem)
);
