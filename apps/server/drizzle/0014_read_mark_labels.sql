ALTER TABLE "conversation_reads" ADD COLUMN "label_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL;--> statement-breakpoint
-- A read mark carries the labels of its conversation (ADR 0009), so a label's unread count is the
-- agent's caught-up marks with that label, read off the marks alone; probing conversation_labels
-- for each mark made it the slowest count at scale (docs/queries/inbox.md).
CREATE OR REPLACE FUNCTION sb_fill_read_mark()
  RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
  BEGIN
    SELECT c.status, c.team_id, c.number_id, c.priority,
           coalesce(NEW.last_read_at >= c.last_inbound_stored_at, false),
           ARRAY(SELECT cl.label_id FROM conversation_labels cl
                 WHERE cl.tenant_id = c.tenant_id AND cl.conversation_id = c.id ORDER BY cl.label_id)
      INTO NEW.status, NEW.team_id, NEW.number_id, NEW.priority, NEW.caught_up, NEW.label_ids
      FROM conversations c
      WHERE c.tenant_id = NEW.tenant_id AND c.id = NEW.conversation_id;
    RETURN NEW;
  END
  $$;--> statement-breakpoint
-- A label put on or taken off: ±1 at the conversation's current combination, and the label on or
-- off the conversation's read marks. The conversation is locked first (FOR NO KEY UPDATE, which
-- conflicts with the share lock inboxRepo.markRead takes before writing a mark): a mark written
-- concurrently either commits first and is updated here, or waits and copies this label. Its
-- absence means the conversation was deleted first, and its own trigger counted the label off.
CREATE OR REPLACE FUNCTION sb_tally_conversation_label()
  RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
  DECLARE
    cl conversation_labels := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    c conversations;
  BEGIN
    SELECT * INTO c FROM conversations
      WHERE tenant_id = cl.tenant_id AND id = cl.conversation_id FOR NO KEY UPDATE;
    IF NOT FOUND THEN
      RETURN NULL;
    END IF;
    INSERT INTO conversation_tallies AS t
      (tenant_id, label_id, status, assignee_id, team_id, number_id, priority, has_inbound, slot, n)
    VALUES (c.tenant_id, cl.label_id, c.status, c.assignee_id, c.team_id, c.number_id, c.priority,
            c.last_inbound_stored_at IS NOT NULL, pg_backend_pid() % 8,
            CASE WHEN TG_OP = 'DELETE' THEN -1 ELSE 1 END)
    ON CONFLICT ON CONSTRAINT conversation_tallies_key DO UPDATE SET n = t.n + excluded.n;
    UPDATE conversation_reads r
      SET label_ids = CASE WHEN TG_OP = 'DELETE' THEN array_remove(r.label_ids, cl.label_id)
                           ELSE array_append(array_remove(r.label_ids, cl.label_id), cl.label_id) END
      WHERE r.tenant_id = cl.tenant_id AND r.conversation_id = cl.conversation_id;
    RETURN NULL;
  END
  $$;--> statement-breakpoint
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
          caught_up = coalesce(r.last_read_at >= c.last_inbound_stored_at, false),
          label_ids = coalesce(l.label_ids, '{}')
      FROM conversations c
      LEFT JOIN (SELECT tenant_id, conversation_id, array_agg(label_id ORDER BY label_id) AS label_ids
                 FROM conversation_labels GROUP BY tenant_id, conversation_id) l
        ON l.tenant_id = c.tenant_id AND l.conversation_id = c.id
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
UPDATE conversation_reads r SET label_ids = l.label_ids
  FROM (SELECT tenant_id, conversation_id, array_agg(label_id ORDER BY label_id) AS label_ids
        FROM conversation_labels GROUP BY tenant_id, conversation_id) l
  WHERE l.tenant_id = r.tenant_id AND l.conversation_id = r.conversation_id;
