CREATE INDEX "conversations_recent_idx" ON "conversations" USING btree ("tenant_id","last_message_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "conversations_assignee_idx" ON "conversations" USING btree ("tenant_id","assignee_id","status","last_message_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "messages_recent_idx" ON "messages" USING btree ("tenant_id","occurred_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "messages_inbound_idx" ON "messages" USING btree ("tenant_id","conversation_id","created_at") WHERE direction = 'inbound';--> statement-breakpoint
-- Message search at scale (docs/queries/search.md, ADR 0008): sb_message_hits ranks only the 1,000
-- most recent matches. Ranking every match computed ts_rank (and the document) for each: a common
-- word in 5M messages matched about 800,000 and ran past the statement timeout. The inner query is
-- built with the tsquery as a literal (EXECUTE) so the planner sees the term's frequency and picks
-- messages_search_idx for a rare term or walks messages_recent_idx newest first for a common one;
-- work_mem keeps the bitmap of a middling term exact (a lossy one rechecks whole pages).
CREATE OR REPLACE FUNCTION sb_message_hits(q tsquery)
  RETURNS TABLE (id uuid, rank real, occurred_at timestamptz)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  SET work_mem = '64MB'
  AS $$
  BEGIN
    RETURN QUERY EXECUTE format($query$
      SELECT w.id, ts_rank(to_tsvector('simple'::regconfig, sb_fold(sb_message_text(w.content))), %1$L::tsquery), w.occurred_at
      FROM (
        SELECT m.id, m.content, m.occurred_at FROM messages m
        WHERE m.tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid
          AND to_tsvector('simple'::regconfig, sb_fold(sb_message_text(m.content))) @@ %1$L::tsquery
        ORDER BY m.occurred_at DESC NULLS LAST, m.id DESC NULLS LAST
        LIMIT 1000
      ) w$query$, q);
  END
  $$;--> statement-breakpoint
REVOKE ALL ON FUNCTION sb_message_hits(tsquery) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sb_message_hits(tsquery) TO switchboard_app;
--> statement-breakpoint
-- Contact search under row-level security, as sb_message_hits does for messages: `LIKE` is not
-- LEAKPROOF, so as switchboard_app the patterns filtered every contact of the tenant (about 1 s at
-- 400,000 contacts). As the owner, with the patterns as literals, they are conditions of
-- contacts_search_idx. `patterns` are LIKE patterns the haystack must all match (already escaped by
-- the caller), `query` the text to score by. Returns ids and scores only; the rows are read under
-- row-level security by the caller.
CREATE OR REPLACE FUNCTION sb_contact_hits(patterns text[], query text)
  RETURNS TABLE (id uuid, score real)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
  DECLARE
    haystack constant text := $h$sb_fold(coalesce(c.name, '') || ' ' || coalesce(c.profile_name, '') || ' ' || coalesce(c.wa_id, '') || ' ' || coalesce(c.phone_e164, ''))$h$;
    cond text := '';
    p text;
  BEGIN
    IF patterns IS NULL OR cardinality(patterns) = 0 THEN
      RETURN;
    END IF;
    FOREACH p IN ARRAY patterns LOOP
      cond := cond || format(' AND %s LIKE %L', haystack, p);
    END LOOP;
    RETURN QUERY EXECUTE format(
      'SELECT c.id, strict_word_similarity(%L, %s) FROM contacts c
       WHERE c.tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid %s',
      query, haystack, cond);
  END
  $$;--> statement-breakpoint
REVOKE ALL ON FUNCTION sb_contact_hits(text[], text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sb_contact_hits(text[], text) TO switchboard_app;
