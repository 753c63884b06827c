CREATE TABLE organizations (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    slug        TEXT NOT NULL UNIQUE,
    created_at  TIMESTAMP NOT NULL,
    modified_at TIMESTAMP
);

CREATE TABLE access_tokens (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    token_hash      TEXT NOT NULL UNIQUE,
    comment         TEXT NOT NULL DEFAULT '',
    scopes          TEXT NOT NULL,          -- space separated
    created_at      TIMESTAMP NOT NULL,
    last_used_at    TIMESTAMP,
    revoked_at      TIMESTAMP
);
CREATE INDEX access_tokens_org ON access_tokens (organization_id);

-- events is the outbox: every domain event is written in the transaction of the
-- change that causes it; webhook delivery reads from here.
CREATE TABLE events (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    type            TEXT NOT NULL,
    payload         TEXT NOT NULL,          -- JSON: the full object as the API returns it
    created_at      TIMESTAMP NOT NULL
);
CREATE INDEX events_org_created ON events (organization_id, created_at);
