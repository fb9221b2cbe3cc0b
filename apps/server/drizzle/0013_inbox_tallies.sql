CREATE TABLE "conversation_tallies" (
	"tenant_id" uuid NOT NULL,
	"label_id" uuid,
	"status" text NOT NULL,
	"assignee_id" uuid,
	"team_id" uuid,
	"number_id" uuid NOT NULL,
	"priority" text NOT NULL,
	"has_inbound" boolean NOT NULL,
	"slot" smallint NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "conversation_tallies_key" UNIQUE NULLS NOT DISTINCT("tenant_id","label_id","status","assignee_id","team_id","number_id","priority","has_inbound","slot")
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
-- conversation_tallies: conversations per combination of the counted dimensions (label_id null),
-- and per label they carry, kept by the triggers below. A writer adds to the row of its slot (its
-- backend), so concurrent writers rarely wait for each other; a statement changes its rows in key
-- order, so two opposite moves cannot deadlock.
CREATE OR REPLACE FUNCTION sb_tally_conversation()
  RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
  DECLARE
    c conversations := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  BEGIN
    -- d: the combinations the conversation leaves (-1) and enters (+1); l: the base row (null) and
    -- each label it carries.
    INSERT INTO conversation_tallies AS t
      (tenant_id, label_id, status, assignee_id, team_id, number_id, priority, has_inbound, slot, n)
    SELECT c.tenant_id, l.label_id, d.status, d.assignee_id, d.team_id, d.number_id, d.priority,
           d.has_inbound, pg_backend_pid() % 8, d.n
    FROM (
      SELECT OLD.status, OLD.assignee_id, OLD.team_id, OLD.number_id, OLD.priority,
             OLD.last_inbound_stored_at IS NOT NULL, -1
      WHERE TG_OP <> 'INSERT'
      UNION ALL
      SELECT NEW.status, NEW.assignee_id, NEW.team_id, NEW.number_id, NEW.priority,
             NEW.last_inbound_stored_at IS NOT NULL, 1
      WHERE TG_OP <> 'DELETE'
    ) d (status, assignee_id, team_id, number_id, priority, has_inbound, n)
    CROSS JOIN (
      SELECT NULL::uuid
      UNION ALL
      SELECT cl.label_id FROM conversation_labels cl
      WHERE cl.tenant_id = c.tenant_id AND cl.conversation_id = c.id
    ) l (label_id)
    ORDER BY l.label_id NULLS FIRST, d.status, d.assignee_id, d.team_id, d.number_id, d.priority,
             d.has_inbound
    ON CONFLICT ON CONSTRAINT conversation_tallies_key DO UPDATE SET n = t.n + excluded.n;
    RETURN NULL;
  END
  $$;--> statement-breakpoint
-- A label put on or taken off: ±1 at the conversation's current combination. The conversation is
-- share-locked first, so a concurrent change of it is either seen here or sees this label. Its
-- absence means the conversation was deleted first, and its own trigger counted the label off.
CREATE OR REPLACE FUNCTION sb_tally_conversation_label()
  RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
  DECLARE
    cl conversation_labels := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  BEGIN
    INSERT INTO conversation_tallies AS t
      (tenant_id, label_id, status, assignee_id, team_id, number_id, priority, has_inbound, slot, n)
    SELECT c.tenant_id, cl.label_id, c.status, c.assignee_id, c.team_id, c.number_id, c.priority,
           c.last_inbound_stored_at IS NOT NULL, pg_backend_pid() % 8,
           CASE WHEN TG_OP = 'DELETE' THEN -1 ELSE 1 END
    FROM (SELECT * FROM conversations
          WHERE tenant_id = cl.tenant_id AND id = cl.conversation_id FOR SHARE) c
    ON CONFLICT ON CONSTRAINT conversation_tallies_key DO UPDATE SET n = t.n + excluded.n;
    RETURN NULL;
  END
  $$;--> statement-breakpoint
-- A read mark carries its conversation's counted dimensions and whether it covers the newest
-- inbound message: filled when the mark is written (the writer share-locks the conversation
-- first, inboxRepo.markRead), kept when the conversation changes.
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
      (tenant_id, label_id, status, assignee_id, team_id, number_id, priority, has_inbound, slot, n)
    SELECT c.tenant_id, l.label_id, c.status, c.assignee_id, c.team_id, c.number_id, c.priority,
           c.last_inbound_stored_at IS NOT NULL, 0, count(*)::int
    FROM conversations c
    CROSS JOIN LATERAL (
      SELECT NULL::uuid
      UNION ALL
      SELECT cl.label_id FROM conversation_labels cl
      WHERE cl.tenant_id = c.tenant_id AND cl.conversation_id = c.id
    ) l (label_id)
    GROUP BY c.tenant_id, l.label_id, c.status, c.assignee_id, c.team_id, c.number_id, c.priority,
             c.last_inbound_stored_at IS NOT NULL;
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
CREATE TRIGGER conversation_labels_tally
  AFTER INSERT OR DELETE ON conversation_labels
  FOR EACH ROW EXECUTE FUNCTION sb_tally_conversation_label();--> statement-breakpoint
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
