-- +goose Up
-- National holidays (libur nasional) and collective leave days (cuti bersama) the
-- admin loads each year from the SKB 3 Menteri; SLA deadlines skip them.
CREATE TABLE holidays (
    day        date        PRIMARY KEY,
    name       text        NOT NULL CHECK (name <> ''),
    kind       text        NOT NULL CHECK (kind IN ('libur', 'cuti_bersama')),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE holidays;
