-- The events of submissions being judged, whichever host judges them: a live view reads
-- them from here, and a client that connects late or again (Last-Event-ID) gets what it
-- missed. `seq` only grows (a sequence), so it is the events' id.
CREATE TABLE events (
    seq BIGSERIAL PRIMARY KEY,
    submission_id BIGINT NOT NULL REFERENCES submissions(id),
    name TEXT NOT NULL,
    data TEXT NOT NULL,
    at_ms BIGINT NOT NULL
);
CREATE INDEX events_by_submission ON events(submission_id, seq);
-- What all workers did, for /metrics: each process (`source`) adds to rows of its own as it
-- claims and finishes jobs (no two contend for one row), summed when read.
CREATE TABLE counters (
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    value BIGINT NOT NULL,
    PRIMARY KEY (name, source)
);
-- When a job was queued (a rejudge queues an old submission again).
ALTER TABLE jobs ADD COLUMN queued_ms BIGINT;
-- How many claims the judging took, and which worker stored its result.
ALTER TABLE submissions ADD COLUMN attempts BIGINT;
ALTER TABLE submissions ADD COLUMN worker TEXT;
-- A worker's process id on its host, the judge's version, what it has judged, and where
-- it serves /healthz and /metrics.
ALTER TABLE workers ADD COLUMN pid BIGINT NOT NULL DEFAULT 0;
ALTER TABLE workers ADD COLUMN version TEXT NOT NULL DEFAULT '';
ALTER TABLE workers ADD COLUMN judged BIGINT NOT NULL DEFAULT 0;
ALTER TABLE workers ADD COLUMN listen TEXT;
