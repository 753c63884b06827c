-- The sweep of sessions left confirmed whose payment never settled (abandoned
-- 3-D Secure, or a crash between confirm and the charge's answer), see
-- internal/checkout/sweep.go. settle_checked_at is when a sweep last took the
-- session to ask the processor: a lease, so concurrent sweeps ask once, and a
-- payment that is still pending is asked about again only after another grace
-- period. The partial index finds confirmed sessions by how long they waited.
ALTER TABLE checkouts ADD COLUMN settle_checked_at TIMESTAMP;
CREATE INDEX checkouts_confirmed ON checkouts (modified_at) WHERE status = 'confirmed';
