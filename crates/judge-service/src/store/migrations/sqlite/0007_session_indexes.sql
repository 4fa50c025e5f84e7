CREATE INDEX sessions_by_user ON sessions(user_id, created_ms);
CREATE INDEX sessions_by_expiry ON sessions(expires_ms);
