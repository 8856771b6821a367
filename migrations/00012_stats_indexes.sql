-- +goose Up
-- Indexes for the supervisors' dashboard, its CSV exports and the public page of
-- monthly figures (tickets.Store.StatsTickets, OpenCounts, PublicMonthly;
-- knowledge.DecisionsPerDay). A period's tickets are those with anything happening in
-- it: created, first answered, resolved, closed, rated, or a deadline passing without
-- an answer; each of these is an index range below, combined by a BitmapOr, so a
-- month of a large office reads that month's tickets and nothing else.
-- Benchmarks: go test -run '^$' -bench Dashboard100k -benchtime 50x ./console
--
-- Created in the period (opened), and the ticket CSV export.
CREATE INDEX tickets_created_at ON tickets (created_at);
-- First answered, resolved, rated in the period. Only tickets that have the event.
CREATE INDEX tickets_first_response_at ON tickets (first_response_at) WHERE first_response_at IS NOT NULL;
CREATE INDEX tickets_resolved_at ON tickets (resolved_at) WHERE resolved_at IS NOT NULL;
CREATE INDEX tickets_rated_at ON tickets (rated_at) WHERE rated_at IS NOT NULL;
-- Closed without a resolution (waited for the citizen too long): few.
CREATE INDEX tickets_closed_unresolved ON tickets (closed_at)
    WHERE closed_at IS NOT NULL AND resolved_at IS NULL;
-- Never answered, by first-response deadline (a deadline that passed in the period
-- counts as missed): new tickets and withdrawn ones, few.
CREATE INDEX tickets_unanswered_due ON tickets (due_at) WHERE first_response_at IS NULL;
-- Open tickets by resolution deadline (one that passed in the period counts as missed;
-- overdue now).
CREATE INDEX tickets_open_resolve_due ON tickets (resolve_due_at)
    WHERE status IN ('baru', 'diproses', 'menunggu_warga');
-- Questions per day and decision: an index-only scan of the period.
CREATE INDEX questions_created_decision ON questions (created_at, decision);

-- +goose Down
DROP INDEX IF EXISTS questions_created_decision;
DROP INDEX IF EXISTS tickets_open_resolve_due;
DROP INDEX IF EXISTS tickets_unanswered_due;
DROP INDEX IF EXISTS tickets_closed_unresolved;
DROP INDEX IF EXISTS tickets_rated_at;
DROP INDEX IF EXISTS tickets_resolved_at;
DROP INDEX IF EXISTS tickets_first_response_at;
DROP INDEX IF EXISTS tickets_created_at;
