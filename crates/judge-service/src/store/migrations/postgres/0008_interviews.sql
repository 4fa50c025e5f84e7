CREATE TABLE interviews (
    id BIGSERIAL PRIMARY KEY,
    interviewer_id BIGINT NOT NULL REFERENCES users(id),
    candidate_id BIGINT NOT NULL UNIQUE REFERENCES users(id),
    watch_hash TEXT NOT NULL UNIQUE,
    problems TEXT NOT NULL,
    seconds BIGINT NOT NULL,
    hide_hidden BIGINT NOT NULL,
    seed BIGINT NOT NULL,
    created_ms BIGINT NOT NULL,
    started_ms BIGINT,
    deadline_ms BIGINT
);
CREATE TABLE interview_events (
    id BIGSERIAL PRIMARY KEY,
    interview_id BIGINT NOT NULL REFERENCES interviews(id),
    at_ms BIGINT NOT NULL,
    kind TEXT NOT NULL,
    problem TEXT,
    body TEXT,
    submission_id BIGINT REFERENCES submissions(id)
);
CREATE INDEX interview_events_in_order ON interview_events(interview_id, id);
