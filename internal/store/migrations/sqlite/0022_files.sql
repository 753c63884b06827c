-- Files (internal/files): uploads in Polar's multipart protocol, product images
-- and the organization's logo. The content lives in the blob storage
-- (PAYLINK_STORAGE_URL) under a key made of ids only; these rows say what it is.
-- A file is soft-deleted (deleted_at) so that a grant or an order that named it
-- still reads what it was.
CREATE TABLE files (
    id                     TEXT PRIMARY KEY,
    organization_id        TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    service                TEXT NOT NULL CHECK (service IN ('downloadable', 'product_media', 'organization_avatar')),
    name                   TEXT NOT NULL,
    mime_type              TEXT NOT NULL,
    size                   INTEGER NOT NULL,
    version                TEXT,
    checksum_sha256_base64 TEXT,
    checksum_sha256_hex    TEXT,
    checksum_etag          TEXT,
    upload_id              TEXT NOT NULL,
    is_uploaded            INTEGER NOT NULL DEFAULT 0,
    last_modified_at       TIMESTAMP,
    created_at             TIMESTAMP NOT NULL,
    modified_at            TIMESTAMP,
    deleted_at             TIMESTAMP
);
CREATE INDEX files_org_created ON files (organization_id, created_at);

-- The parts a client declared, each PUT on its own: one row per part, so
-- parts uploaded at once never overwrite each other's state.
CREATE TABLE file_parts (
    file_id                TEXT NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    number                 INTEGER NOT NULL,
    chunk_start            INTEGER NOT NULL,
    chunk_end              INTEGER NOT NULL,
    checksum_sha256_base64 TEXT,
    etag                   TEXT,
    uploaded_at            TIMESTAMP,
    PRIMARY KEY (file_id, number)
);

-- A product's images (Polar's medias), in order.
CREATE TABLE product_medias (
    product_id TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    file_id    TEXT NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    PRIMARY KEY (product_id, file_id)
);
CREATE INDEX product_medias_file ON product_medias (file_id);

-- The organization's logo (an organization_avatar file).
ALTER TABLE organizations ADD COLUMN avatar_file_id TEXT REFERENCES files(id) ON DELETE SET NULL;

-- Secrets the server makes for itself, shared by every process on the database:
-- the HMAC key of signed upload and download URLs.
CREATE TABLE server_secrets (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
