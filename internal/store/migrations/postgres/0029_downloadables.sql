-- Downloadables (internal/benefits, type downloadables): one row per file a
-- grant delivers. A download URL names its row (the URL's scope), so revoking
-- the grant (status revoked) makes its links answer 403 from the commit on.
CREATE TABLE downloadables (
    id                 uuid PRIMARY KEY,
    organization_id    uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    customer_id        uuid NOT NULL REFERENCES customers(id),
    benefit_id         uuid NOT NULL REFERENCES benefits(id),
    grant_id           uuid NOT NULL REFERENCES benefit_grants(id),
    file_id            uuid NOT NULL REFERENCES files(id),
    status             text NOT NULL CHECK (status IN ('granted', 'revoked')),
    downloaded         integer NOT NULL DEFAULT 0,
    last_downloaded_at timestamptz,
    created_at         timestamptz NOT NULL,
    modified_at        timestamptz
);
CREATE UNIQUE INDEX downloadables_grant_file ON downloadables (grant_id, file_id);
CREATE INDEX downloadables_customer ON downloadables (organization_id, customer_id, created_at);

-- The sweep of abandoned uploads finds them by age.
CREATE INDEX files_uploading ON files (created_at) WHERE NOT is_uploaded AND deleted_at IS NULL;
