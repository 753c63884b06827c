-- The embedded checkout: the origins an organization allows to frame its checkout
-- page (space-separated, normalized origins; '' allows none), and the origin that
-- embeds a session, as the merchant's page or embed.js gave it.
ALTER TABLE organizations ADD COLUMN embed_hosts TEXT NOT NULL DEFAULT '';
ALTER TABLE checkouts ADD COLUMN embed_origin TEXT;
