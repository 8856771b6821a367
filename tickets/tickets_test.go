package tickets_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/loket-id/loket/internal/dbtest"
	"github.com/loket-id/loket/internal/pgtest"
	"github.com/loket-id/loket/tickets"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestTicketLifecycle(t *testing.T) {
	ctx := context.Background()
	db := dbtest.New(t)
	if _, err := db.Exec(`INSERT INTO citizens (telegram_user_id, display_name) VALUES (7, 'Ani'), (8, 'Budi')`); err != nil {
		t.Fatal(err)
	}
	s := tickets.NewStore(db)
	officer, err := s.AddStaff(ctx, 900, " Siti ")
	if err != nil || officer.Name != "Siti" || !officer.Active {
		t.Fatalf("AddStaff = %+v, %v", officer, err)
	}
	other, _ := s.AddStaff(ctx, 901, "Rudi")
	tk, created, err := s.Open(ctx, db, tickets.New{CitizenID: 7, Question: "Jalan rusak", Category: "Infrastruktur"})
	if err != nil || !created || tk.Status != tickets.StatusNew {
		t.Fatalf("Open = %+v, %v, %v", tk, created, err)
	}
	step := func(name string, got tickets.Ticket, err error, want tickets.Status) tickets.Ticket {
		t.Helper()
		if err != nil || got.Status != want {
			t.Fatalf("%s: status %q, err %v; want %q", name, got.Status, err, want)
		}
		return got
	}
	tk = step("take", tk2(s.Take(ctx, db, tk.ID, officer.ID)), nil, tickets.StatusInProgress)
	if tk.AssigneeName != "Siti" {
		t.Errorf("assignee %q, want Siti", tk.AssigneeName)
	}
	var taken *tickets.ErrTaken
	if _, err := s.Take(ctx, db, tk.ID, other.ID); !errors.As(err, &taken) || taken.By != "Siti" {
		t.Errorf("second officer's Take err = %v, want ErrTaken by Siti", err)
	}
	tk = step("officer replies", tk2(s.StaffReplied(ctx, db, tk.ID, officer.ID)), nil, tickets.StatusWaitingCitizen)
	if !tk.FirstResponseAt.Valid {
		t.Error("first response not recorded")
	}
	step("citizen replies", tk2(s.CitizenReplied(ctx, db, tk.ID)), nil, tickets.StatusInProgress)
	tk = step("resolve", tk2(s.Resolve(ctx, db, tk.ID, officer.ID, "Sudah diperbaiki")), nil, tickets.StatusResolved)
	if tk.Resolution != "Sudah diperbaiki" {
		t.Errorf("resolution %q", tk.Resolution)
	}
	var tr *tickets.ErrTransition
	if _, err := s.Resolve(ctx, db, tk.ID, officer.ID, "lagi"); !errors.As(err, &tr) || tr.From != tickets.StatusResolved {
		t.Errorf("resolving twice err = %v, want ErrTransition from selesai", err)
	}
	if _, err := s.Cancel(ctx, db, tk.ID, 7); !errors.As(err, &tr) {
		t.Errorf("cancelling a resolved ticket err = %v, want ErrTransition", err)
	}
	if _, err := s.Rate(ctx, db, tk.ID, 8, 5, ""); !errors.Is(err, tickets.ErrNotOwner) {
		t.Errorf("someone else's rating err = %v, want ErrNotOwner", err)
	}
	if _, err := s.Rate(ctx, db, tk.ID, 7, 6, ""); err == nil {
		t.Error("a rating of 6 was accepted")
	}
	tk = step("rate", tk2(s.Rate(ctx, db, tk.ID, 7, 4, "")), nil, tickets.StatusClosed)
	if tk.Rating.Int16 != 4 {
		t.Errorf("rating %v", tk.Rating)
	}
	if err := s.Comment(ctx, db, tk.ID, 7, "Cepat, terima kasih"); err != nil {
		t.Error(err)
	}
	tk = step("reopen", tk2(s.Reopen(ctx, db, tk.ID, 7)), nil, tickets.StatusInProgress)
	if tk.ReopenCount != 1 || tk.Rating.Valid {
		t.Errorf("after reopen: %+v", tk)
	}
	step("cancel", tk2(s.Cancel(ctx, db, tk.ID, 7)), nil, tickets.StatusCancelled)
	if _, err := s.Take(ctx, db, 424242, officer.ID); !errors.Is(err, tickets.ErrNotFound) {
		t.Errorf("Take of a missing ticket err = %v, want ErrNotFound", err)
	}
	msgs, err := s.Messages(ctx, db, tk.ID)
	if err != nil || len(msgs) != 1 || msgs[0].Author != tickets.AuthorCitizen {
		t.Errorf("Messages = %+v, %v", msgs, err)
	}
	if mine, err := s.ByCitizen(ctx, db, 7, 10); err != nil || len(mine) != 1 {
		t.Errorf("ByCitizen(7) = %d tickets, %v", len(mine), err)
	}
	if others, _ := s.ByCitizen(ctx, db, 8, 10); len(others) != 0 {
		t.Errorf("ByCitizen(8) sees %d tickets of someone else", len(others))
	}
}

func tk2(t tickets.Ticket, err error) tickets.Ticket {
	if err != nil {
		panic(err)
	}
	return t
}

// Two officers pressing "Ambil" at once: exactly one gets the ticket.
func TestTakeRace(t *testing.T) {
	ctx := context.Background()
	db := dbtest.New(t)
	if _, err := db.Exec(`INSERT INTO citizens (telegram_user_id) VALUES (7)`); err != nil {
		t.Fatal(err)
	}
	s := tickets.NewStore(db)
	a, _ := s.AddStaff(ctx, 900, "Siti")
	b, _ := s.AddStaff(ctx, 901, "Rudi")
	for range 20 {
		tk, _, err := s.Open(ctx, db, tickets.New{CitizenID: 7, Question: "x"})
		if err != nil {
			t.Fatal(err)
		}
		errs := make(chan error, 2)
		for _, st := range []int64{a.ID, b.ID} {
			go func() {
				tx, err := db.BeginTxx(ctx, nil)
				if err != nil {
					errs <- err
					return
				}
				_, err = s.Take(ctx, tx, tk.ID, st)
				if err == nil {
					err = tx.Commit()
				} else {
					_ = tx.Rollback()
				}
				errs <- err
			}()
		}
		var won, lost int
		for range 2 {
			var taken *tickets.ErrTaken
			switch err := <-errs; {
			case err == nil:
				won++
			case errors.As(err, &taken):
				lost++
			default:
				t.Fatal(err)
			}
		}
		if won != 1 || lost != 1 {
			t.Fatalf("ticket %d: %d won, %d lost; want exactly one each", tk.ID, won, lost)
		}
	}
}

func TestOneTicketPerQuestion(t *testing.T) {
	ctx := context.Background()
	db := dbtest.New(t)
	if _, err := db.Exec(`INSERT INTO citizens (telegram_user_id) VALUES (7);
		INSERT INTO questions (id, citizen_id, text, decision) VALUES (55, 7, 'harga cabai', 'escalate')`); err != nil {
		t.Fatal(err)
	}
	s := tickets.NewStore(db)
	a, created, err := s.Open(ctx, db, tickets.New{CitizenID: 7, QuestionID: 55, Question: "harga cabai"})
	if err != nil || !created {
		t.Fatal(err)
	}
	b, created, err := s.Open(ctx, db, tickets.New{CitizenID: 7, QuestionID: 55, Question: "harga cabai"})
	if err != nil || created || b.ID != a.ID {
		t.Errorf("second Open = %+v, created %v, %v; want ticket %d again", b, created, err, a.ID)
	}
}

func TestStaff(t *testing.T) {
	ctx := context.Background()
	db := dbtest.New(t)
	s := tickets.NewStore(db)
	for _, bad := range []struct {
		id   int64
		name string
	}{{0, "X"}, {-5, "X"}, {5, "  "}} {
		if _, err := s.AddStaff(ctx, bad.id, bad.name); err == nil {
			t.Errorf("AddStaff(%d, %q) accepted", bad.id, bad.name)
		}
	}
	if _, err := s.AddStaff(ctx, 5, "Siti"); err != nil {
		t.Fatal(err)
	}
	again, err := s.AddStaff(ctx, 5, "Siti Rahma")
	if err != nil || again.Name != "Siti Rahma" {
		t.Errorf("re-adding updates the name: %+v, %v", again, err)
	}
	if _, err := s.StaffByTelegramID(ctx, db, 6); !errors.Is(err, tickets.ErrNotFound) {
		t.Errorf("unknown officer err = %v", err)
	}
	list, err := s.ListStaff(ctx)
	if err != nil || len(list) != 1 {
		t.Errorf("ListStaff = %+v, %v", list, err)
	}
}

func TestRetentionAnonymizesOldClosedTickets(t *testing.T) {
	ctx := context.Background()
	db := dbtest.New(t)
	if _, err := db.Exec(`INSERT INTO citizens (telegram_user_id, display_name) VALUES (7, 'Ani')`); err != nil {
		t.Fatal(err)
	}
	s := tickets.NewStore(db)
	officer, _ := s.AddStaff(ctx, 900, "Siti")
	old, _, _ := s.Open(ctx, db, tickets.New{CitizenID: 7, Question: "NIK saya 3201234567890001 hilang"})
	recent, _, _ := s.Open(ctx, db, tickets.New{CitizenID: 7, Question: "pertanyaan baru"})
	open, _, _ := s.Open(ctx, db, tickets.New{CitizenID: 7, Question: "masih berjalan"})
	for _, id := range []int64{old.ID, recent.ID} {
		if _, err := s.Resolve(ctx, db, id, officer.ID, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Rate(ctx, db, id, 7, 5, "bagus"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec(`UPDATE tickets SET closed_at = now() - interval '400 days' WHERE id = $1`, old.ID); err != nil {
		t.Fatal(err)
	}
	n, err := s.Anonymize(ctx, db, time.Now().AddDate(0, 0, -365))
	if err != nil || n != 1 {
		t.Fatalf("Anonymize = %d, %v; want 1", n, err)
	}
	got, _ := s.Get(ctx, db, old.ID)
	if got.CitizenID != 0 || strings.Contains(got.Question, "3201") || got.RatingComment != "" || got.Rating.Int16 != 5 {
		t.Errorf("old ticket after retention: %+v", got)
	}
	for _, id := range []int64{recent.ID, open.ID} {
		if tk, _ := s.Get(ctx, db, id); tk.CitizenID != 7 {
			t.Errorf("ticket %d was anonymised too early", id)
		}
	}
}
