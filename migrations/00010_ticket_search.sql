-- +goose Up
-- Text search in the officers' queue (tickets.QueueFilter.Text): every word of the
-- search as the start of a word of the question, ignoring case. A GIN index on the
-- question's words with the "simple" configuration (lowercased words, no stemming, no
-- stop words: Indonesian has no dictionary in PostgreSQL, and names and numbers must
-- match as typed). It needs no extension. Queries must spell the expression exactly
-- as here: to_tsvector('simple', question).
--
-- The planner combines it with the indexes of 00006 (a bitmap AND), so a search
-- costs about as many tickets as have the words within the units and states asked
-- for. Prefix terms ("ktp:*") are matched inside the index: to_tsvector is not
-- computed again for the tickets it returns.
CREATE INDEX tickets_question_search ON tickets USING gin (to_tsvector('simple', question));

-- +goose Down
DROP INDEX IF EXISTS tickets_question_search;
