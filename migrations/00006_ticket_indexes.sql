-- +goose Up
-- Indexes for the officers' queue (tickets.Store.Queue) and the state counts
-- (tickets.Store.CountByState), sized for a million tickets of which a few percent
-- are open. Benchmarks: go test -run '^$' -bench 1M ./tickets
--
-- The queue is sorted by deadline, "ORDER BY due_at NULLS LAST, id", which is the
-- order of these btrees (ascending, NULLs last), so a page of it is read in order and
-- stops after the limit. They hold only open tickets (status in tickets.OpenStates():
-- about 5% of the table), so they stay small and hot; a query uses them when its state
-- condition implies this predicate, which Queue makes sure of by repeating it.
--
-- One unit's queue, including "due soon" and "overdue" (due_at < $x).
CREATE INDEX tickets_open_unit_due ON tickets (unit, due_at, id)
    WHERE status IN ('baru', 'diproses', 'menunggu_warga');
-- Every unit's queue, and the deadline jobs (reminders, breaches) across units.
CREATE INDEX tickets_open_due ON tickets (due_at, id)
    WHERE status IN ('baru', 'diproses', 'menunggu_warga');
-- An officer's own queue.
CREATE INDEX tickets_open_assignee_due ON tickets (assignee_id, due_at, id)
    WHERE status IN ('baru', 'diproses', 'menunggu_warga');
-- Counts per state of a unit (an index-only scan of the unit's tickets), and lists of
-- one unit's tickets in closed states.
CREATE INDEX tickets_unit_status ON tickets (unit, status);
-- A citizen's tickets, newest first (/status, tickets.Store.ByCitizen), are served by
-- tickets_citizen (citizen_id, id DESC) of 00001: no new index.

-- +goose Down
DROP INDEX IF EXISTS tickets_unit_status;
DROP INDEX IF EXISTS tickets_open_assignee_due;
DROP INDEX IF EXISTS tickets_open_due;
DROP INDEX IF EXISTS tickets_open_unit_due;
