-- +goose Up
-- FAQ drafts proposed by officers from a ticket ("jadikan draf FAQ") for the editors,
-- who turn them into FAQs or dismiss them.
CREATE TABLE faq_drafts (
    id          bigserial   PRIMARY KEY,
    question    text        NOT NULL CHECK (question <> ''),
    answer      text        NOT NULL CHECK (answer <> ''),
    category    text        NOT NULL DEFAULT '',
    unit        text        NOT NULL DEFAULT '',
    ticket_id   bigint      REFERENCES tickets (id),
    created_by  bigint      REFERENCES staff (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    -- set when an editor made it an FAQ (faq_id) or dismissed it
    closed_at   timestamptz,
    closed_by   bigint      REFERENCES staff (id),
    faq_id      text        NOT NULL DEFAULT ''
);
CREATE INDEX faq_drafts_open ON faq_drafts (created_at) WHERE closed_at IS NULL;

-- +goose Down
DROP TABLE faq_drafts;
