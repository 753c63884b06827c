CREATE TABLE organizations (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    slug        text NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL,
    modified_at timestamptz
);

CREATE TABLE access_tokens (
    id              uuid PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    token_hash      text NOT NULL UNIQUE,
    comment         text NOT NULL DEFAULT '',
    scopes          text NOT NULL,          -- space separated
    created_at      timestamptz NOT NULL,
    last_used_at    timestamptz,
    revoked_at      timestamptz
);
CREATE INDEX access_tokens_org ON access_tokens (organization_id);

-- events is the outbox: every domain event is written in the transaction of the
-- change that causes it; webhook delivery reads from here.
CREATE TABLE events (
    id              uuid PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    type            text NOT NULL,
    payload         jsonb NOT NULL,         -- the full object as the API returns it
    created_at      timestamptz NOT NULL
);
CREATE INDEX events_org_created ON events (organization_id, created_at);
