-- +goose Up
-- Small settings the bot keeps for every process, such as the generated webhook
-- secret (LOKET_WEBHOOK_SECRET unset): every replica and every restart uses the same.
CREATE TABLE bot_settings (
    key   text PRIMARY KEY,
    value text NOT NULL
);

-- Outbox claims: a sender process claims a chat's due entries before sending them,
-- so that two `loket serve` processes never send the same entry. A claim expires
-- (claimed_until) so that the entries of a process that crashed are taken over.
ALTER TABLE outbox
    ADD COLUMN claimed_by    text,
    ADD COLUMN claimed_until timestamptz;

-- The bot an update's answers belong to, when several bots share a database (NULL:
-- any bot's sender may send it).
ALTER TABLE outbox ADD COLUMN bot_id bigint;

-- +goose Down
ALTER TABLE outbox DROP COLUMN bot_id, DROP COLUMN claimed_until, DROP COLUMN claimed_by;
DROP TABLE bot_settings;
