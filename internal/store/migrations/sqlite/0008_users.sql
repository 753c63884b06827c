-- Dashboard users: each belongs to one organization and signs in with an email
-- and a password (argon2id, encoded as a PHC string; '' until the user sets one).
CREATE TABLE users (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    email           TEXT NOT NULL UNIQUE,   -- lower case
    password_hash   TEXT NOT NULL DEFAULT '',
    failed_sign_ins INTEGER NOT NULL DEFAULT 0, -- consecutive wrong passwords
    locked_until    TIMESTAMP,                  -- sign-in refused until then
    created_at      TIMESTAMP NOT NULL
);
CREATE INDEX users_org ON users (organization_id);

-- A signed-in browser. The cookie holds the token; only its SHA-256 is stored.
CREATE TABLE user_sessions (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    csrf       TEXT NOT NULL,               -- the session's form token
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX user_sessions_user ON user_sessions (user_id);

-- One-time links that let a user set a password and sign in.
CREATE TABLE user_sign_in_tokens (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP
);
CREATE INDEX user_sign_in_tokens_user ON user_sign_in_tokens (user_id);
