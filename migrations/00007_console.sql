-- +goose Up
-- Web console accounts. A console account is a staff row with a username and a
-- password hash; its Telegram id is optional (linked later with a code sent to the
-- bot), so that the staff group and the console are the same person in the audit log.
ALTER TABLE staff ALTER COLUMN telegram_user_id DROP NOT NULL;
ALTER TABLE staff ADD COLUMN username text UNIQUE
    CHECK (username ~ '^[a-z0-9][a-z0-9._-]{2,31}$');
-- argon2id in the PHC string format ($argon2id$v=19$m=…,t=…,p=…$salt$hash).
ALTER TABLE staff ADD COLUMN password_hash text;
ALTER TABLE staff ADD COLUMN password_changed_at timestamptz;
ALTER TABLE staff ADD CHECK (telegram_user_id IS NOT NULL OR username IS NOT NULL);
ALTER TABLE staff DROP CONSTRAINT staff_role_check;
ALTER TABLE staff ADD CONSTRAINT staff_role_check
    CHECK (role IN ('officer', 'editor', 'supervisor', 'admin'));

-- Console sessions. Only the SHA-256 of the cookie's token is stored: a copy of the
-- table does not let anyone log in.
CREATE TABLE console_sessions (
    token_hash   bytea       PRIMARY KEY,
    staff_id     bigint      NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    -- the CSRF token of every form of this session
    csrf_token   text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    user_agent   text        NOT NULL DEFAULT ''
);
CREATE INDEX console_sessions_staff ON console_sessions (staff_id);
CREATE INDEX console_sessions_expires ON console_sessions (expires_at);

-- Failed logins, for throttling by username and by client address (shared by every
-- process); old rows are deleted as new ones come.
CREATE TABLE login_failures (
    id        bigserial   PRIMARY KEY,
    username  text        NOT NULL,
    client    text        NOT NULL,
    failed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_username ON login_failures (username, failed_at);
CREATE INDEX login_failures_client ON login_failures (client, failed_at);

-- One-time codes that link a console account to a Telegram account: the officer
-- sends "/tautkan CODE" to the bot in a private chat.
CREATE TABLE telegram_link_codes (
    code_hash  bytea       PRIMARY KEY,
    staff_id   bigint      NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    expires_at timestamptz NOT NULL
);

-- A photo or document in a ticket's conversation: the Telegram file id, so that the
-- console can show it through its proxy to the Bot API (never exposing the token).
ALTER TABLE ticket_messages ADD COLUMN file_id text NOT NULL DEFAULT '';
ALTER TABLE ticket_messages ADD COLUMN file_kind text NOT NULL DEFAULT ''
    CHECK (file_kind IN ('', 'photo', 'document'));
ALTER TABLE ticket_messages ADD COLUMN file_name text NOT NULL DEFAULT '';
ALTER TABLE ticket_messages ADD COLUMN file_mime text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE ticket_messages DROP COLUMN file_id, DROP COLUMN file_kind, DROP COLUMN file_name, DROP COLUMN file_mime;
DROP TABLE telegram_link_codes, login_failures, console_sessions;
DELETE FROM staff WHERE telegram_user_id IS NULL;
ALTER TABLE staff DROP CONSTRAINT staff_role_check;
UPDATE staff SET role = 'officer' WHERE role = 'editor';
ALTER TABLE staff ADD CONSTRAINT staff_role_check CHECK (role IN ('officer', 'supervisor', 'admin'));
ALTER TABLE staff DROP CONSTRAINT staff_check;
ALTER TABLE staff DROP COLUMN password_changed_at, DROP COLUMN password_hash, DROP COLUMN username;
ALTER TABLE staff ALTER COLUMN telegram_user_id SET NOT NULL;
