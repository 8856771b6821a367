-- +goose Up
-- The audit log: who did what to which ticket, when, and through which door (Telegram,
-- the web console, the command line, or the system itself). Rows are only ever added.
--
-- Privacy (UU 27/2022): rows cannot be erased, so they must not hold what a citizen
-- wrote. detail carries ids, lengths, statuses and counts; actor_id of a citizen is
-- their Telegram id and actor_name is best left empty for citizens (their name lives in
-- citizens, where it can be erased).
--
-- ticket_id deliberately has no foreign key: a ticket erased on a citizen's request
-- keeps its trail, and ON DELETE SET NULL / CASCADE would be an UPDATE or DELETE here,
-- which the triggers below refuse.
CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    ticket_id   bigint,
    actor_kind  text        NOT NULL CHECK (actor_kind IN ('staff', 'citizen', 'system', 'admin')),
    actor_id    bigint,
    actor_name  text        NOT NULL DEFAULT '',
    door        text        NOT NULL CHECK (door IN ('telegram', 'console', 'cli', 'system')),
    action      text        NOT NULL CHECK (action <> ''),
    detail      jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(detail) = 'object')
);
CREATE INDEX audit_log_ticket ON audit_log (ticket_id, id);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor_kind, actor_id, at);

-- Append-only, enforced by PostgreSQL: every UPDATE, DELETE or TRUNCATE statement on
-- audit_log fails, whoever runs it, superusers included, and even when it would touch
-- no row (the triggers are per statement). A mistake is corrected by appending an entry.
--
-- What this does not stop: the table's owner (the role that ran the migrations) and
-- superusers can ALTER TABLE ... DISABLE TRIGGER, DROP TRIGGER or DROP TABLE, and a
-- superuser can SET session_replication_role = replica. The point is that the
-- application's statements and ordinary roles cannot rewrite history. For more, run
-- migrations as a separate owner role, give the application role only INSERT and
-- SELECT here, and ship the log elsewhere (WAL archive, pgaudit, a log collector).
-- +goose StatementBegin
CREATE FUNCTION audit_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Audit entries are never changed or removed; append a correcting entry instead.';
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER audit_log_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- PUBLIC has none of these by default; revoked explicitly so that a later broad GRANT
-- is a visible decision. The owner keeps its privileges: the triggers are what bind it.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;

-- +goose Down
DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log;
DROP TRIGGER IF EXISTS audit_log_no_update_delete ON audit_log;
DROP TABLE IF EXISTS audit_log;
DROP FUNCTION IF EXISTS audit_log_append_only();
