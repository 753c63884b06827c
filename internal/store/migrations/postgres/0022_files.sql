-- Files (internal/files): uploads in Polar's multipart protocol, product images
-- and the organization's logo. The content lives in the blob storage
-- (PAYLINK_STORAGE_URL) under a key made of ids only; these rows say what it is.
-- A file is soft-deleted (deleted_at) so that a grant or an order that named it
-- still reads what it was.
CREATE TABLE files (
    id                     uuid PRIMARY KEY,
    organization_id        uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    service                text NOT NULL CHECK (service IN ('downloadable', 'product_media', 'organization_avatar')),
    name                   text NOT NULL,
    mime_type              text NOT NULL,
    size                   bigint NOT NULL,
    version                text,
    checksum_sha256_base64 text,
    checksum_sha256_hex    text,
    checksum_etag          text,
    upload_id              text NOT NULL,
    is_uploaded            boolean NOT NULL DEFAULT false,
    last_modified_at       timestamptz,
    created_at             timestamptz NOT NULL,
    modified_at            timestamptz,
    deleted_at             timestamptz
);
CREATE INDEX files_org_created ON files (organization_id, created_at);

-- The parts a client declared, each PUT on its own: one row per part, so
-- parts uploaded at once never overwrite each other's state.
CREATE TABLE file_parts (
    file_id                uuid NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    number                 integer NOT NULL,
    chunk_start            bigint NOT NULL,
    chunk_end              bigint NOT NULL,
    checksum_sha256_base64 text,
    etag                   text,
    uploaded_at            timestamptz,
    PRIMARY KEY (file_id, number)
);

-- A product's images (Polar's medias), in order.
CREATE TABLE product_medias (
    product_id uuid NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    file_id    uuid NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    position   integer NOT NULL,
    PRIMARY KEY (product_id, file_id)
);
CREATE INDEX product_medias_file ON product_medias (file_id);

-- The organization's logo (an organization_avatar file).
ALTER TABLE organizations ADD COLUMN avatar_file_id uuid REFERENCES files(id) ON DELETE SET NULL;

-- Secrets the server makes for itself, shared by every process on the database:
-- the HMAC key of signed upload and download URLs.
CREATE TABLE server_secrets (
    name       text PRIMARY KEY,
    value      text NOT NULL,
    created_at timestamptz NOT NULL
);
