-- A submission that asks for its measured complexity (docs/complexity.md) beside its
-- verdict, and an interview whose candidate's submissions all do.
ALTER TABLE submissions ADD COLUMN complexity INTEGER NOT NULL DEFAULT 0;
ALTER TABLE interviews ADD COLUMN complexity INTEGER NOT NULL DEFAULT 0;
