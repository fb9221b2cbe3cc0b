-- Message search on the whole of messages_search_idx under row-level security (docs/queries/search.md).
-- As switchboard_app, PostgreSQL applies a query's `@@` only after the policy's tenant condition,
-- because `@@` is not LEAKPROOF: the GIN index then serves only tenant_id, and a search reads every
-- message of the tenant. This function runs as the tables' owner, to whom the policies do not apply,
-- so both conditions are index conditions; it is aimed at a tenant only by the same transaction
-- setting the policies use, so only `database.tenant` can aim it (outside one it finds nothing). It
-- returns ids, ranks and times only: the page's rows are then read under row-level security.
CREATE OR REPLACE FUNCTION sb_message_hits(q tsquery)
  RETURNS TABLE (id uuid, rank real, occurred_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
    SELECT m.id, ts_rank(to_tsvector('simple'::regconfig, sb_fold(sb_message_text(m.content))), q), m.occurred_at
    FROM messages m
    WHERE m.tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid
      AND to_tsvector('simple'::regconfig, sb_fold(sb_message_text(m.content))) @@ q
  $$;--> statement-breakpoint
REVOKE ALL ON FUNCTION sb_message_hits(tsquery) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sb_message_hits(tsquery) TO switchboard_app;
