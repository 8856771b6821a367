package console

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/loket-id/loket/knowledge"
	"github.com/loket-id/loket/tickets"
)

// maxDeskText is the longest reply or note the console accepts: the bot adds a line
// of its own and Telegram takes 4,096 characters.
const maxDeskText = 3500

// formError is a problem with what the officer typed, shown to them as it is.
type formError string

func (e formError) Error() string { return string(e) }

// deskAction runs an officer's action on the request's ticket and goes back to the
// ticket page with its notice. The user's access is checked first (403 or 404
// otherwise); the Desk checks it again in its transaction. A formError returned by act
// is shown to the officer; any other error is logged and reported plainly.
func (s *Server) deskAction(w http.ResponseWriter, r *http.Request, act func(ctx context.Context, u tickets.Staff, t tickets.Ticket) (string, error)) {
	t, ok := s.loadTicket(w, r)
	if !ok {
		return
	}
	back := fmt.Sprintf("/tiket/%d", t.ID)
	if s.cfg.Desk == nil {
		s.redirect(w, r, back, "Konsol ini hanya dapat membaca tiket; tindakan dilakukan di grup petugas Telegram.", true)
		return
	}
	u := userOf(r)
	notice, err := act(r.Context(), u, t)
	var fe formError
	switch {
	case errors.As(err, &fe):
		s.redirect(w, r, back, fe.Error(), true)
	case err != nil:
		s.log.ErrorContext(r.Context(), "console: ticket action", "path", r.URL.Path, "ticket", t.ID, "staff", u.ID, "err", err)
		s.redirect(w, r, back, "Tindakan ini tidak dapat dijalankan. Muat ulang halaman lalu coba lagi; bila berulang, hubungi admin.", true)
	default:
		// After a handover the ticket may have left the user's units: back to the queue.
		if after, err := s.cfg.Tickets.Get(r.Context(), s.cfg.DB, t.ID); err != nil || !s.mayAccess(r.Context(), u, after) {
			back = "/tiket"
		}
		s.redirect(w, r, back, notice, false)
	}
}

// formText reads a form's text field, checking it is there (if required) and not too
// long; what names it in the message.
func formText(r *http.Request, field, what string, required bool) (string, error) {
	text := strings.TrimSpace(r.PostFormValue(field))
	switch {
	case required && text == "":
		return "", formError("Tulis " + what + " terlebih dahulu.")
	case utf8.RuneCountInString(text) > maxDeskText:
		return "", formError(fmt.Sprintf("Teks %s terlalu panjang: paling banyak %d karakter.", what, maxDeskText))
	}
	return text, nil
}

// takeTicket is POST /tiket/{id}/ambil.
func (s *Server) takeTicket(w http.ResponseWriter, r *http.Request) {
	s.deskAction(w, r, func(ctx context.Context, u tickets.Staff, t tickets.Ticket) (string, error) {
		return s.cfg.Desk.DeskTake(ctx, u, t.ID)
	})
}

// replyTicket is POST /tiket/{id}/balas: the text goes to the citizen through the
// outbox.
func (s *Server) replyTicket(w http.ResponseWriter, r *http.Request) {
	s.deskAction(w, r, func(ctx context.Context, u tickets.Staff, t tickets.Ticket) (string, error) {
		text, err := formText(r, "teks", "balasan", true)
		if err != nil {
			return "", err
		}
		return s.cfg.Desk.DeskReply(ctx, u, t.ID, text)
	})
}

// noteTicket is POST /tiket/{id}/catatan: an internal note, never sent to the citizen.
func (s *Server) noteTicket(w http.ResponseWriter, r *http.Request) {
	s.deskAction(w, r, func(ctx context.Context, u tickets.Staff, t tickets.Ticket) (string, error) {
		note, err := formText(r, "catatan", "catatan", true)
		if err != nil {
			return "", err
		}
		return s.cfg.Desk.DeskNote(ctx, u, t.ID, note)
	})
}

// resolveTicket is POST /tiket/{id}/selesai, with an optional note for the citizen.
func (s *Server) resolveTicket(w http.ResponseWriter, r *http.Request) {
	s.deskAction(w, r, func(ctx context.Context, u tickets.Staff, t tickets.Ticket) (string, error) {
		note, err := formText(r, "catatan", "catatan penyelesaian", false)
		if err != nil {
			return "", err
		}
		return s.cfg.Desk.DeskResolve(ctx, u, t.ID, note)
	})
}

// handOverTicket is POST /tiket/{id}/alihkan: to one of the Desk's handover targets,
// with an internal note.
func (s *Server) handOverTicket(w http.ResponseWriter, r *http.Request) {
	s.deskAction(w, r, func(ctx context.Context, u tickets.Staff, t tickets.Ticket) (string, error) {
		note, err := formText(r, "catatan", "catatan pengalihan", false)
		if err != nil {
			return "", err
		}
		if t.Confidential {
			return "", formError("Laporan rahasia tetap di unit integritas dan tidak dapat dialihkan.")
		}
		unit := r.PostFormValue("unit")
		targets, err := s.cfg.Desk.HandoverTargets(ctx, t)
		if err != nil {
			return "", fmt.Errorf("console: handover targets: %w", err)
		}
		if !slices.ContainsFunc(targets, func(un tickets.Unit) bool { return un.Slug == unit }) {
			return "", formError("Pilih unit tujuan dari daftar.")
		}
		return s.cfg.Desk.DeskHandOver(ctx, u, t.ID, unit, note)
	})
}

// draftFAQ is POST /tiket/{id}/draf-faq: the ticket's question (masked) with the
// officer's answer becomes an FAQ draft for the editors. Confidential reports never do.
func (s *Server) draftFAQ(w http.ResponseWriter, r *http.Request) {
	t, ok := s.loadTicket(w, r)
	if !ok {
		return
	}
	back := fmt.Sprintf("/tiket/%d", t.ID)
	answer, err := formText(r, "jawaban", "jawaban", true)
	if err != nil {
		s.redirect(w, r, back, err.Error(), true)
		return
	}
	if t.Confidential {
		s.redirect(w, r, back, "Laporan rahasia tidak dapat dijadikan FAQ.", true)
		return
	}
	d := knowledge.Draft{Question: t.Question, Answer: answer, Category: t.Category, Unit: t.Unit}
	if _, err := knowledge.AddDraft(r.Context(), s.cfg.DB, d, userOf(r).ID, t.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, back, "Draf FAQ tersimpan. Editor akan meninjaunya sebelum diterbitkan.", false)
}
