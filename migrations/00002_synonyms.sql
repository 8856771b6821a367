-- +goose Up
-- Synonym sets editors own: each row is a list of equivalent terms (single or
-- multi-word), applied at query time. Built-in sets live in the code.
CREATE TABLE synonyms (
    id         bigserial PRIMARY KEY,
    position   integer     NOT NULL DEFAULT 0,
    terms      text[]      NOT NULL CHECK (cardinality(terms) >= 2),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE synonyms;
