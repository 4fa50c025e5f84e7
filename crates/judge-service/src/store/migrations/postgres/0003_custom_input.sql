ALTER TABLE submissions ADD COLUMN input TEXT;
