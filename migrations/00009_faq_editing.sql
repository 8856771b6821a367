-- +goose Up
-- Editing the knowledge base from the console.

-- An unpublished FAQ stays in the database (with its history) but the bot does not
-- answer with it: the index and `kb export` see only published FAQs.
ALTER TABLE faqs ADD COLUMN published boolean NOT NULL DEFAULT true;

-- Every change to an FAQ, with the whole FAQ as it was after the change, who made it
-- (a console account, or the command line) and when. faq_id has no foreign key: the
-- history of an FAQ removed by an import stays, and it can be brought back.
CREATE TABLE faq_revisions (
    id          bigserial   PRIMARY KEY,
    faq_id      text        NOT NULL,
    -- baseline: the FAQ as it was when revisions started to be kept
    action      text        NOT NULL CHECK (action IN
                    ('baseline', 'create', 'edit', 'publish', 'unpublish', 'revert', 'import', 'remove')),
    published   boolean     NOT NULL,
    category    text        NOT NULL DEFAULT '',
    unit        text        NOT NULL DEFAULT '',
    question    text        NOT NULL,
    alternates  text[]      NOT NULL DEFAULT '{}',
    keywords    text[]      NOT NULL DEFAULT '{}',
    answer      text        NOT NULL,
    staff_id    bigint      REFERENCES staff (id),
    -- the staff member's name at the time, or 'baris perintah'
    author      text        NOT NULL DEFAULT '',
    -- for a revert: the revision brought back
    reverted_to bigint      REFERENCES faq_revisions (id),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX faq_revisions_faq ON faq_revisions (faq_id, id);

INSERT INTO faq_revisions (faq_id, action, published, category, unit, question, alternates, keywords, answer, created_at)
SELECT id, 'baseline', published, category, unit, question, alternates, keywords, answer, updated_at
FROM faqs ORDER BY position, id;

-- Golden questions kept by the editors: a question and the FAQ that must answer it,
-- or 'none' when the bot must not answer it. Run from the console, and before every
-- publish.
CREATE TABLE golden_questions (
    id          bigserial   PRIMARY KEY,
    question    text        NOT NULL CHECK (question <> ''),
    expect      text        NOT NULL CHECK (expect ~ '^[a-z0-9][a-z0-9-]*$'),
    created_by  bigint      REFERENCES staff (id),
    author      text        NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX golden_questions_question ON golden_questions (lower(question));

-- Every change to the editors' synonym sets: who, when, the terms before and after.
-- synonym_id has no foreign key: a deleted set keeps its trail.
CREATE TABLE synonym_changes (
    id          bigserial   PRIMARY KEY,
    synonym_id  bigint      NOT NULL,
    action      text        NOT NULL CHECK (action IN ('add', 'edit', 'delete')),
    before      text[]      NOT NULL DEFAULT '{}',
    after       text[]      NOT NULL DEFAULT '{}',
    staff_id    bigint      REFERENCES staff (id),
    author      text        NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE synonym_changes, golden_questions, faq_revisions;
ALTER TABLE faqs DROP COLUMN published;
