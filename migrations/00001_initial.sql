-- +goose Up
-- Knowledge base: FAQs are the source of truth; the Bleve index is derived from them.
CREATE TABLE faqs (
    id          text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]*$'),
    position    integer     NOT NULL DEFAULT 0,
    category    text        NOT NULL DEFAULT '',
    unit        text        NOT NULL DEFAULT '',
    question    text        NOT NULL CHECK (question <> ''),
    alternates  text[]      NOT NULL DEFAULT '{}',
    keywords    text[]      NOT NULL DEFAULT '{}',
    answer      text        NOT NULL CHECK (answer <> ''),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Citizens known to the bot (Telegram users who wrote to it in private).
-- Only what the service needs: the Telegram id, a display name for officers, the language.
CREATE TABLE citizens (
    telegram_user_id bigint PRIMARY KEY,
    display_name     text        NOT NULL DEFAULT '',
    language_code    text        NOT NULL DEFAULT '',
    -- when the citizen agreed to the privacy notice (needed before a ticket is opened)
    consented_at     timestamptz,
    first_seen_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at     timestamptz NOT NULL DEFAULT now()
);

-- What the bot waits for from a chat; survives restarts and is shared by processes.
CREATE TABLE conversations (
    chat_id    bigint PRIMARY KEY,
    state      text        NOT NULL DEFAULT '',
    data       jsonb       NOT NULL DEFAULT '{}',
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Every citizen question with the bot's decision (personal data masked before storing).
CREATE TABLE questions (
    id               bigserial PRIMARY KEY,
    citizen_id       bigint      NOT NULL REFERENCES citizens (telegram_user_id),
    text             text        NOT NULL,
    decision         text        NOT NULL,
    hits             jsonb       NOT NULL DEFAULT '[]',
    feedback         smallint    CHECK (feedback IN (-1, 1)),
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX questions_created_at ON questions (created_at);

-- Officers registered to act in the staff group.
CREATE TABLE staff (
    id               bigserial PRIMARY KEY,
    telegram_user_id bigint      NOT NULL UNIQUE,
    name             text        NOT NULL CHECK (name <> ''),
    active           boolean     NOT NULL DEFAULT true,
    created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tickets (
    id            bigserial PRIMARY KEY,
    citizen_id    bigint      NOT NULL REFERENCES citizens (telegram_user_id),
    question_id   bigint      REFERENCES questions (id),
    question      text        NOT NULL,
    category      text        NOT NULL DEFAULT '',
    unit          text        NOT NULL DEFAULT '',
    faq_id        text        NOT NULL DEFAULT '',
    -- the Telegram staff group that has the ticket's card (NULL: the default group)
    staff_chat_id bigint,
    -- a confidential report of misconduct (/lapor): only the integrity unit sees it;
    -- anonymous: the citizen's identity is shown to nobody
    confidential  boolean     NOT NULL DEFAULT false,
    anonymous     boolean     NOT NULL DEFAULT false,
    -- baru → diproses (taken) ⇄ menunggu_warga (officer asked the citizen) → selesai
    -- (resolved) → ditutup (rated, or after some working days); selesai/ditutup may be
    -- reopened within 7 days; baru/diproses/menunggu_warga may be cancelled.
    status        text        NOT NULL DEFAULT 'baru' CHECK (status IN
                      ('baru', 'diproses', 'menunggu_warga', 'selesai', 'ditutup', 'dibatalkan')),
    assignee_id   bigint      REFERENCES staff (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    -- deadline for the first response, on the office's working calendar
    due_at        timestamptz,
    -- deadline for resolution, on the office's working calendar
    resolve_due_at timestamptz,
    resolve_breached_at timestamptz, -- officers were told the resolution deadline passed
    reminded_at   timestamptz, -- officers were reminded the deadline is near
    breached_at   timestamptz, -- officers were told the deadline passed
    updated_at    timestamptz NOT NULL DEFAULT now(),
    taken_at      timestamptz,
    first_response_at timestamptz,
    resolved_at   timestamptz,
    resolved_by   bigint      REFERENCES staff (id),
    resolution    text        NOT NULL DEFAULT '',
    closed_at     timestamptz,
    cancelled_at  timestamptz,
    reopen_count  integer     NOT NULL DEFAULT 0,
    rating        smallint    CHECK (rating BETWEEN 1 AND 5),
    rating_comment text       NOT NULL DEFAULT '',
    rated_at      timestamptz
);
CREATE INDEX tickets_citizen ON tickets (citizen_id, id DESC);
-- One open ticket per question: pressing "Tanya petugas" twice creates one ticket.
CREATE UNIQUE INDEX tickets_question ON tickets (question_id) WHERE question_id IS NOT NULL;

-- The conversation of a ticket: what the citizen and the officers wrote.
CREATE TABLE ticket_messages (
    id          bigserial PRIMARY KEY,
    ticket_id   bigint      NOT NULL REFERENCES tickets (id),
    author      text        NOT NULL CHECK (author IN ('citizen', 'staff', 'system')),
    staff_id    bigint      REFERENCES staff (id),
    -- an officers' internal note: never shown to the citizen
    internal    boolean     NOT NULL DEFAULT false,
    body        text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ticket_messages_ticket ON ticket_messages (ticket_id, id);

-- Telegram update ids already handled, recorded in the same transaction as their
-- effects. Update ids are per bot, so the bot's id is part of the key.
CREATE TABLE processed_updates (
    bot_id       bigint      NOT NULL,
    update_id    bigint      NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (bot_id, update_id)
);

-- Every Bot API call the bot makes goes through this outbox, written in the same
-- transaction as the change that caused it, and is delivered by the sender.
CREATE TABLE outbox (
    id              bigserial PRIMARY KEY,
    chat_id         bigint      NOT NULL,
    method          text        NOT NULL,
    params          jsonb       NOT NULL,
    ticket_id       bigint      REFERENCES tickets (id),
    link            text        NOT NULL DEFAULT '',
    reply_to_card   boolean     NOT NULL DEFAULT false,
    edit_card       boolean     NOT NULL DEFAULT false,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    created_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz,
    failed_at       timestamptz,
    message_id      bigint,
    last_error      text        NOT NULL DEFAULT ''
);
CREATE INDEX outbox_pending ON outbox (id) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_chat ON outbox (chat_id, id);

-- Telegram messages that belong to a ticket: its card in the staff group, the officer
-- replies sent to the citizen, the citizen replies copied to the group. A Telegram reply
-- to any of them is routed to the ticket.
CREATE TABLE message_links (
    chat_id    bigint NOT NULL,
    message_id bigint NOT NULL,
    ticket_id  bigint NOT NULL REFERENCES tickets (id),
    kind       text   NOT NULL,
    PRIMARY KEY (chat_id, message_id)
);
CREATE INDEX message_links_ticket ON message_links (ticket_id);

-- Periodic jobs that run once a day remember the day they last ran.
CREATE TABLE job_runs (
    name     text PRIMARY KEY,
    last_day date NOT NULL
);

-- +goose Down
DROP TABLE job_runs, message_links, outbox, processed_updates, ticket_messages, tickets, staff,
    questions, conversations, citizens, faqs;
