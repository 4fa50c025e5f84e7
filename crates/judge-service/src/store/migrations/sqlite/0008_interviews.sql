CREATE TABLE interviews (
    id INTEGER PRIMARY KEY,
    interviewer_id INTEGER NOT NULL REFERENCES users(id),
    candidate_id INTEGER NOT NULL UNIQUE REFERENCES users(id),
    watch_hash TEXT NOT NULL UNIQUE,
    problems TEXT NOT NULL,
    seconds INTEGER NOT NULL,
    hide_hidden INTEGER NOT NULL,
    seed INTEGER NOT NULL,
    created_ms INTEGER NOT NULL,
    started_ms INTEGER,
    deadline_ms INTEGER
);
CREATE TABLE interview_events (
    id INTEGER PRIMARY KEY,
    interview_id INTEGER NOT NULL REFERENCES interviews(id),
    at_ms INTEGER NOT NULL,
    kind TEXT NOT NULL,
    problem TEXT,
    body TEXT,
    submission_id INTEGER REFERENCES submissions(id)
);
CREATE INDEX interview_events_in_order ON interview_events(interview_id, id);
