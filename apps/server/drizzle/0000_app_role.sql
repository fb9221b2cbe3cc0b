-- The role that tenant-scoped transactions switch to (SET LOCAL ROLE). It cannot log in, owns no
-- table and has no BYPASSRLS, so row-level security always applies to it. Roles are cluster-wide:
-- several databases on one server share it, hence the guarded creation.
DO $$
BEGIN
  CREATE ROLE switchboard_app NOLOGIN NOINHERIT;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END
$$;
--> statement-breakpoint
DO $$
BEGIN
  EXECUTE format('GRANT switchboard_app TO %I', current_user);
EXCEPTION WHEN OTHERS THEN
  -- Superusers need no membership to switch roles; others must already have been granted it.
  NULL;
END
$$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO switchboard_app;
