-- +goose Up
-- Units are the offices that answer tickets (disdukcapil, polres, samsat, inspektorat).
-- An escalated question goes to the unit of the matched FAQ (faqs.unit) when that unit
-- exists and is active, else to the default (triage) unit. A deployment with no units
-- works as before: every ticket goes to the configured staff group.
CREATE TABLE units (
    slug                text        PRIMARY KEY CHECK (slug ~ '^[a-z0-9][a-z0-9-]*$'),
    name                text        NOT NULL CHECK (name <> ''),
    -- The unit's own Telegram staff group; NULL: the configured default staff group.
    staff_chat_id       bigint      UNIQUE CHECK (staff_chat_id <> 0),
    -- The triage unit: questions whose FAQ names no active unit.
    is_default          boolean     NOT NULL DEFAULT false,
    -- The integrity unit (e.g. the Inspektorat) receives confidential reports of
    -- misconduct: only its own members may act on its tickets, so it needs its own
    -- group, and it cannot also be the triage unit.
    is_integrity        boolean     NOT NULL DEFAULT false,
    -- Service level, in working days (see the holidays calendar).
    first_response_days integer     NOT NULL DEFAULT 1 CHECK (first_response_days >= 1),
    resolution_days     integer     NOT NULL DEFAULT 5 CHECK (resolution_days >= 1),
    active              boolean     NOT NULL DEFAULT true,
    created_at          timestamptz NOT NULL DEFAULT now(),
    CHECK (NOT (is_default AND is_integrity)),
    CHECK (NOT is_integrity OR staff_chat_id IS NOT NULL),
    -- forum: the staff group is a forum supergroup; each ticket gets a topic
    forum               boolean     NOT NULL DEFAULT false,
    CHECK (NOT forum OR staff_chat_id IS NOT NULL),
    CHECK (active OR NOT (is_default OR is_integrity))
);
-- At most one default unit and one integrity unit.
CREATE UNIQUE INDEX units_one_default ON units ((true)) WHERE is_default;
CREATE UNIQUE INDEX units_one_integrity ON units ((true)) WHERE is_integrity;

-- What an officer may do: officers act on their units' tickets, supervisors and admins
-- on every unit's (the integrity unit's only when they belong to it).
ALTER TABLE staff ADD COLUMN role text NOT NULL DEFAULT 'officer'
    CHECK (role IN ('officer', 'supervisor', 'admin'));

-- The units an officer belongs to.
CREATE TABLE staff_units (
    staff_id bigint NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    unit     text   NOT NULL REFERENCES units (slug),
    PRIMARY KEY (staff_id, unit)
);
CREATE INDEX staff_units_unit ON staff_units (unit);

-- +goose Down
DROP TABLE staff_units;
ALTER TABLE staff DROP COLUMN role;
DROP TABLE units;
