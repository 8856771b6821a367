-- +goose Up
-- Per-citizen message rate (bot/ratelimit.go): a generic cell rate algorithm, one row
-- per citizen updated in the update's own transaction, so every replica sees it.
-- allowed_at is the "theoretical arrival time": a message is allowed while it is no
-- later than now plus the burst tolerance, and each allowed message pushes it one
-- emission interval further. noticed_at is when the citizen was last told to slow
-- down (one notice per window).
CREATE TABLE citizen_limits (
    telegram_user_id bigint      PRIMARY KEY REFERENCES citizens (telegram_user_id) ON DELETE CASCADE,
    allowed_at       timestamptz NOT NULL,
    allowed          boolean     NOT NULL DEFAULT true,
    noticed_at       timestamptz
);

-- +goose Down
DROP TABLE IF EXISTS citizen_limits;
