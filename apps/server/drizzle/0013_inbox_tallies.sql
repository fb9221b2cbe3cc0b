CREATE TABLE "conversation_tallies" (
	"tenant_id" uuid NOT NULL,
	"status" text NOT NULL,
	"assignee_id" uuid,
	"team_id" uuid,
	"number_id" uuid NOT NULL,
	"priority" text NOT NULL,
	"has_inbound" boolean NOT NULL,
	"slot" smallint NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "conversation_tallies_key" UNIQUE NULLS NOT DISTINCT("tenant_id","status","assignee_id","team_id","number_id","priority","has_inbound","slot")
);
--> statement-breakpoint
ALTER TABLE "conversation_tallies" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "conversation_reads" ADD COLUMN "caught_up" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "conversation_reads" ADD COLUMN "status" text;--> statement-breakpoint
ALTER TABLE "conversation_reads" ADD COLUMN "team_id" uuid;--> statement-breakpoint
ALTER TABLE "conversation_reads" ADD COLUMN "number_id" uuid;--> statement-breakpoint
ALTER TABLE "conversation_reads" ADD COLUMN "priority" text;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "last_inbound_stored_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "conversation_reads_caught_up_idx" ON "conversation_reads" USING btree ("tenant_id","user_id","status") WHERE caught_up;--> statement-breakpoint
CREATE POLICY "conversation_tallies_tenant_isolation" ON "conversation_tallies" AS PERMISSIVE FOR ALL TO "switchboard_app" USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
-- Inbox counts without reading every conversation (ADR 0009, docs/queries/inbox.md).
-- conversation_tallies: conversations per combination of the counted dimensions, kept by the
-- triggers below. A writer adds to the row of its slot (its backend), so concurrent writers rarely
-- wait for each other; a moved conversation changes its two rows in key order in one statement, so
-- two opposite moves cannot deadlock.
CREATE OR REPLACE FUNCTION sb_tally_conversation()
  RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      INSERT INTO conversation_tallies AS t
        (tenant_id, status, assignee_id, team_id, number_id, priority, has_inbound, slot, n)
      VALUES (NEW.tenant_id, NEW.status, NEW.assignee_id, NEW.team_id, NEW.number_id, NEW.priority,
              NEW.last_inbound_stored_at IS NOT NULL, pg_backend_pid() % 8, 1)
      ON CONFLICT ON CONSTRAINT conversation_tallies_key DO UPDATE SET n = t.n + excluded.n;
    ELSIF TG_OP = 'DELETE' THEN
      INSERT INTO conversation_tallies AS t
        (tenant_id, status, assignee_id, team_id, number_id, priority, has_inbound, slot, n)
      VALUES (OLD.tenant_id, OLD.status, OLD.assignee_id, OLD.team_id, OLD.number_id, OLD.priority,
              OLD.last_inbound_stored_at IS NOT NULL, pg_backend_pid() % 8, -1)
      ON CONFLICT ON CONSTRAINT conversation_tallies_key DO UPDATE SET n = t.n + excluded.n;
    ELSE
      INSERT INTO conversation_tallies AS t
        (tenant_id, status, assignee_id, team_id, number_id, priority, has_inbound, slot, n)
      SELECT d.tenant_id, d.status, d.assignee_id, d.team_id, d.number_id, d.priority, d.has_inbound,
             pg_backend_pid() % 8, d.n
      FROM (VALUES
        (OLD.tenant_id, OLD.status, OLD.assignee_id, OLD.team_id, OLD.number_id, OLD.priority,
         OLD.last_inbound_stored_at IS NOT NULL, -1),
        (NEW.tenant_id, NEW.status, NEW.assignee_id, NEW.team_id, NEW.number_id, NEW.priority,
         NEW.last_inbound_stored_at IS NOT NULL, 1)
      ) d (tenant_id, status, assignee_id, team_id, number_id, priority, has_inbound, n)
      ORDER BY d.status, d.assignee_id, d.team_id, d.number_id, d.priority, d.has_inbound
      ON CONFLICT ON CONSTRAINT conversation_tallies_key DO UPDATE SET n = t.n + excluded.n;
    END IF;
    RETURN NULL;
  END
  $$;--> statement-breakpoint
-- A read mark carries its conversation's counted dimensions and whether it covers the newest
-- inbound message: filled when the mark is written, kept when the conversation changes.
CREATE OR REPLACE FUNCTION sb_fill_read_mark()
  RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
  BEGIN
    SELECT c.status, c.team_id, c.number_id, c.priority,
           coalesce(NEW.last_read_at >= c.last_inbound_stored_at, false)
      INTO NEW.status, NEW.team_id, NEW.number_id, NEW.priority, NEW.caught_up
      FROM conversations c
      WHERE c.tenant_id = NEW.tenant_id AND c.id = NEW.conversation_id;
    RETURN NEW;
  END
  $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION sb_sync_read_marks()
  RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
  BEGIN
    UPDATE conversation_reads r
      SET status = NEW.status, team_id = NEW.team_id, number_id = NEW.number_id,
          priority = NEW.priority,
          caught_up = coalesce(r.last_read_at >= NEW.last_inbound_stored_at, false)
      WHERE r.conversation_id = NEW.id AND r.tenant_id = NEW.tenant_id;
    RETURN NULL;
  END
  $$;--> statement-breakpoint
-- Recomputes every derived value above from the rows themselves: run by this migration for the
-- existing data and by bulk loaders that write with triggers off (bench/large-tenant.ts). Not safe
-- while conversations are being written.
CREATE OR REPLACE FUNCTION sb_rebuild_inbox_tallies()
  RETURNS void
  LANGUAGE sql
  SET search_path = public, pg_temp
  AS $$
    UPDATE conversations c SET last_inbound_stored_at = m.stored_at
      FROM (SELECT tenant_id, conversation_id, max(created_at) AS stored_at
            FROM messages WHERE direction = 'inbound' GROUP BY tenant_id, conversation_id) m
      WHERE c.tenant_id = m.tenant_id AND c.id = m.conversation_id
        AND c.last_inbound_stored_at IS DISTINCT FROM m.stored_at;
    UPDATE conversation_reads r
      SET status = c.status, team_id = c.team_id, number_id = c.number_id, priority = c.priority,
          caught_up = coalesce(r.last_read_at >= c.last_inbound_stored_at, false)
      FROM conversations c
      WHERE c.tenant_id = r.tenant_id AND c.id = r.conversation_id;
    DELETE FROM conversation_tallies;
    INSERT INTO conversation_tallies
      (tenant_id, status, assignee_id, team_id, number_id, priority, has_inbound, slot, n)
    SELECT tenant_id, status, assignee_id, team_id, number_id, priority,
           last_inbound_stored_at IS NOT NULL, 0, count(*)::int
    FROM conversations
    GROUP BY tenant_id, status, assignee_id, team_id, number_id, priority, last_inbound_stored_at IS NOT NULL;
  $$;--> statement-breakpoint
REVOKE ALL ON FUNCTION sb_rebuild_inbox_tallies() FROM PUBLIC;--> statement-breakpoint
SELECT sb_rebuild_inbox_tallies();--> statement-breakpoint
CREATE TRIGGER conversations_tally_insert_delete
  AFTER INSERT OR DELETE ON conversations
  FOR EACH ROW EXECUTE FUNCTION sb_tally_conversation();--> statement-breakpoint
CREATE TRIGGER conversations_tally_update
  AFTER UPDATE ON conversations
  FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status
     OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id
     OR OLD.team_id IS DISTINCT FROM NEW.team_id
     OR OLD.number_id IS DISTINCT FROM NEW.number_id
     OR OLD.priority IS DISTINCT FROM NEW.priority
     OR (OLD.last_inbound_stored_at IS NULL) <> (NEW.last_inbound_stored_at IS NULL))
  EXECUTE FUNCTION sb_tally_conversation();--> statement-breakpoint
CREATE TRIGGER conversations_sync_read_marks
  AFTER UPDATE ON conversations
  FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status
     OR OLD.team_id IS DISTINCT FROM NEW.team_id
     OR OLD.number_id IS DISTINCT FROM NEW.number_id
     OR OLD.priority IS DISTINCT FROM NEW.priority
     OR OLD.last_inbound_stored_at IS DISTINCT FROM NEW.last_inbound_stored_at)
  EXECUTE FUNCTION sb_sync_read_marks();--> statement-breakpoint
CREATE TRIGGER conversation_reads_fill
  BEFORE INSERT OR UPDATE OF last_read_at, conversation_id ON conversation_reads
  FOR EACH ROW EXECUTE FUNCTION sb_fill_read_mark();
