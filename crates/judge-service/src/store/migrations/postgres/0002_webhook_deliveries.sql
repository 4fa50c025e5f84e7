ALTER TABLE submissions ADD COLUMN callback_url TEXT;
CREATE TABLE deliveries (
    submission_id BIGINT PRIMARY KEY REFERENCES submissions(id),
    attempts BIGINT NOT NULL DEFAULT 0,
    next_ms BIGINT NOT NULL,
    last_error TEXT
);
