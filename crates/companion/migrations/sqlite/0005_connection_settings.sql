-- A connection's non-secret settings (subdomain, user id, where records
-- open, …) as a JSON object of strings, beside its sealed key. The key
-- stays the one secret; the provider's declared fields say which is which.
ALTER TABLE connections ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';
