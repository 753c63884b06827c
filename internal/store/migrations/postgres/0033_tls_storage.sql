-- paylink's HTTPS certificates, their keys and the ACME account (certmagic's
-- storage, internal/store/certstorage.go) when paylink keeps them in its database (by default on PostgreSQL):
-- every paylink process on the database serves the certificates one of them
-- obtained. A key is a slash-separated path ("certificates/<ca>/<domain>/…").
CREATE TABLE tls_storage (
    key         TEXT PRIMARY KEY,
    value       bytea NOT NULL,
    modified_at timestamptz NOT NULL
);
-- certmagic's named locks (one process obtains a domain's certificate at a
-- time): held by holder until expires_ms (Unix milliseconds), which the holder
-- pushes forward while it works; a lock whose holder died expires and is taken
-- over.
CREATE TABLE tls_locks (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_ms BIGINT NOT NULL
);
