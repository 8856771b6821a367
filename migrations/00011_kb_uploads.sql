-- +goose Up
-- Knowledge-base files uploaded in the console, kept between the report of what they
-- would change and the editor's "Terapkan", so that any process can apply them and the
-- browser never sends the content twice. Only the uploader may apply an upload, and
-- only within an hour; older rows are deleted as new uploads come.
CREATE TABLE kb_uploads (
    id          bigserial   PRIMARY KEY,
    staff_id    bigint      NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    filename    text        NOT NULL DEFAULT '',
    format      text        NOT NULL CHECK (format IN ('yaml', 'json', 'csv')),
    -- "ganti semua": FAQs not in the file are removed
    replace     boolean     NOT NULL,
    data        bytea       NOT NULL,
    sha256      text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX kb_uploads_created_at ON kb_uploads (created_at);

-- The form under which the editors' list of unanswered questions groups them: common
-- accents folded, lowercase, every run of characters other than a-z, 0-9 and the
-- mask's '*' one space, every masked number (its groups of digits written apart too)
-- '#'. Keep in step with
-- knowledge.Normalize (the text is masked when logged).
ALTER TABLE questions ADD COLUMN normalized text NOT NULL GENERATED ALWAYS AS (
    btrim(regexp_replace(regexp_replace(regexp_replace(
        lower(translate(text,
            'ÀÁÂÃÄÅÈÉÊËÌÍÎÏÒÓÔÕÖÙÚÛÜÝŸÑÇàáâãäåèéêëìíîïòóôõöùúûüýÿñç',
            'AAAAAAEEEEIIIIOOOOOUUUUYYNCaaaaaaeeeeiiiiooooouuuuyync')),
        '[^a-z0-9*]+', ' ', 'g'),
        '[a-z0-9]*\*[a-z0-9*]*', '#', 'g'),
        '#( #)+', '#', 'g'))
) STORED;
-- The questions the bot did not answer well: by time, covering what the list counts
-- (an index-only scan of the period), and by group, for the latest wording and the FAQ
-- most often ranked first of the groups on a page (knowledge.Unanswered).
CREATE INDEX questions_unanswered ON questions (created_at) INCLUDE (normalized, decision, feedback)
    WHERE decision IN ('escalate', 'clarify') OR feedback = -1;
CREATE INDEX questions_unanswered_group ON questions (normalized, created_at)
    WHERE decision IN ('escalate', 'clarify') OR feedback = -1;

-- Groups of unanswered questions an editor marked as handled: questions asked before
-- hidden_at leave the list.
CREATE TABLE unanswered_hidden (
    normalized  text        PRIMARY KEY,
    staff_id    bigint      REFERENCES staff (id) ON DELETE SET NULL,
    hidden_at   timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE unanswered_hidden;
DROP INDEX questions_unanswered_group;
DROP INDEX questions_unanswered;
ALTER TABLE questions DROP COLUMN normalized;
DROP TABLE kb_uploads;
