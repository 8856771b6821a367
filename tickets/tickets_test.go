package tickets_test

import (
	"context"
	"errors"
	"testing"

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
	tk, created, err := s.Open(ctx, db, tickets.New{CitizenID: 7, Question: "Jalan rusak", Category: "Infrastruktur"})
	if err != nil || !created || tk.Status != tickets.StatusOpen {
		t.Fatalf("Open = %+v, %v, %v", tk, created, err)
	}
	if err := s.AddMessage(ctx, db, tk.ID, tickets.AuthorStaff, officer.ID, "Akan kami cek"); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, db, tk.ID)
	if err != nil || !got.FirstResponseAt.Valid {
		t.Errorf("first response not recorded: %+v, %v", got, err)
	}
	msgs, err := s.Messages(ctx, db, tk.ID)
	if err != nil || len(msgs) != 2 || msgs[0].Author != tickets.AuthorCitizen || msgs[1].Body != "Akan kami cek" {
		t.Errorf("Messages = %+v, %v", msgs, err)
	}
	closed, err := s.Close(ctx, db, tk.ID, officer.ID)
	if err != nil || closed.Status != tickets.StatusClosed || closed.ClosedBy.Int64 != officer.ID {
		t.Errorf("Close = %+v, %v", closed, err)
	}
	if _, err := s.Close(ctx, db, tk.ID, officer.ID); !errors.Is(err, tickets.ErrClosed) {
		t.Errorf("second Close err = %v, want ErrClosed", err)
	}
	if _, err := s.Close(ctx, db, 424242, officer.ID); !errors.Is(err, tickets.ErrNotFound) {
		t.Errorf("Close of a missing ticket err = %v, want ErrNotFound", err)
	}
	mine, err := s.ByCitizen(ctx, db, 7, 10)
	if err != nil || len(mine) != 1 {
		t.Errorf("ByCitizen(7) = %d tickets, %v", len(mine), err)
	}
	if others, _ := s.ByCitizen(ctx, db, 8, 10); len(others) != 0 {
		t.Errorf("ByCitizen(8) sees %d tickets of someone else", len(others))
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
