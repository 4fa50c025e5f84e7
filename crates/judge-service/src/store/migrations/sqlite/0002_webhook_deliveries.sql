ALTER TABLE submissions ADD COLUMN callback_url TEXT;
CREATE TABLE deliveries (
    submission_id INTEGER PRIMARY KEY REFERENCES submissions(id),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_ms INTEGER NOT NULL,
    last_error TEXT
);
