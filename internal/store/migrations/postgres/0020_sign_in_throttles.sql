-- Dashboard sign-in throttling (internal/account): one row per key, either an
-- address ("a:203.0.113.9") or an account from an address ("u:{user}:{address}").
-- A key that keeps failing waits longer and longer, so a guesser from one address
-- is slowed without locking the account's owner out from theirs.
-- (users.failed_sign_ins and users.locked_until are no longer read.)
CREATE TABLE sign_in_throttles (
    key             text PRIMARY KEY,
    failures        integer NOT NULL,
    blocked_until   timestamptz,
    last_failure_at timestamptz NOT NULL
);
