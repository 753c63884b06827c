-- Subscriptions that end (Polar's cancel, uncancel and revoke): a subscription set
-- to cancel at period end ends at ends_at instead of renewing; ended_at is when it
-- ended. The reason and comment are the customer's, as Polar records them.
ALTER TABLE subscriptions ADD COLUMN cancel_at_period_end INTEGER NOT NULL DEFAULT 0;
ALTER TABLE subscriptions ADD COLUMN ends_at TIMESTAMP;
ALTER TABLE subscriptions ADD COLUMN ended_at TIMESTAMP;
ALTER TABLE subscriptions ADD COLUMN customer_cancellation_reason TEXT;
ALTER TABLE subscriptions ADD COLUMN customer_cancellation_comment TEXT;
-- Until now a subscription was canceled only when its renewals kept failing: it
-- ended then.
UPDATE subscriptions SET ends_at = canceled_at, ended_at = canceled_at WHERE status = 'canceled';
