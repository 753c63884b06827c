-- Dashboard users: each belongs to one organization and signs in with an email
-- and a password (argon2id, encoded as a PHC string; '' until the user sets one).
CREATE TABLE users (
    id              uuid PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    email           text NOT NULL UNIQUE,   -- lower case
    password_hash   text NOT NULL DEFAULT '',
    failed_sign_ins integer NOT NULL DEFAULT 0, -- consecutive wrong passwords
    locked_until    timestamptz,                -- sign-in refused until then
    created_at      timestamptz NOT NULL
);
CREATE INDEX users_org ON users (organization_id);

-- A signed-in browser. The cookie holds the token; only its SHA-256 is stored.
CREATE TABLE user_sessions (
    id         uuid PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash text NOT NULL UNIQUE,
    csrf       text NOT NULL,               -- the session's form token
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX user_sessions_user ON user_sessions (user_id);

-- One-time links that let a user set a password and sign in.
CREATE TABLE user_sign_in_tokens (
    id         uuid PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX user_sign_in_tokens_user ON user_sign_in_tokens (user_id);
