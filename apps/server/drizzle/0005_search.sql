-- Full-text search over messages and contacts, accent-insensitive (en, es, pt). Written by hand:
-- drizzle-kit does not model extensions, functions or expression indexes on them, so these
-- indexes live only here. The query side (search.repo.ts) must use exactly these expressions.
-- unaccent, pg_trgm and btree_gin are trusted extensions: a database owner may create them.
CREATE EXTENSION IF NOT EXISTS unaccent;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS btree_gin;--> statement-breakpoint
-- unaccent() is only STABLE (its dictionary could change); pinning the dictionary makes this
-- wrapper safe to declare IMMUTABLE, which an index expression needs.
CREATE OR REPLACE FUNCTION sb_fold(t text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, t)) $$;--> statement-breakpoint
-- The searchable text of a message's normalized content, whatever its type (text body, media
-- caption and file name, interactive titles, button text, location name and address, notes).
CREATE OR REPLACE FUNCTION sb_message_text(content jsonb) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT concat_ws(' ', content->>'body', content->>'caption', content->>'filename',
         content->>'title', content->>'description', content->>'text', content->>'name',
         content->>'address') $$;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sb_fold(text), sb_message_text(jsonb) TO switchboard_app;--> statement-breakpoint
-- 'simple' configuration: no stemming, so the same index serves every language; folding removes
-- accents and case. tenant_id leads (btree_gin) so a search never scans other tenants' postings.
CREATE INDEX "messages_search_idx" ON "messages" USING gin ("tenant_id",
  to_tsvector('simple'::regconfig, sb_fold(sb_message_text("content"))));--> statement-breakpoint
-- Contacts: word search over names, and fragment search (trigrams) over names and phone digits.
CREATE INDEX "contacts_search_idx" ON "contacts" USING gin ("tenant_id",
  (sb_fold(coalesce("name", '') || ' ' || coalesce("profile_name", '') || ' ' || coalesce("wa_id", '')
    || ' ' || coalesce("phone_e164", ''))) gin_trgm_ops);
