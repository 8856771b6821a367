package console_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/loket-id/loket/internal/hostile"

	"github.com/loket-id/loket/tickets"
)

// hostileTexts are what someone might type to break Loket (internal/hostile).
var hostileTexts = hostile.Texts()

// rawHostile are fragments that must never appear unescaped in a page.
var rawHostile = []string{"<script>alert(1)</script>", `<b onclick=`, `href="javascript:`, "<b>parah</b>"}

// Hostile text saved through every console form that takes text (FAQ question,
// answer and alternates, synonyms, account names, an officer's reply, notes) breaks
// nothing: no server error, every page escapes it, Telegram accepts what reaches the
// citizen, and the tables stay.
func TestHostileTextThroughTheConsole(t *testing.T) {
	e := officersEnv(t)
	e.addUser("admin", tickets.RoleAdmin)
	editor, siti, admin := e.login("editor"), e.login("siti"), e.login("admin")
	pages := map[*client][]string{editor: {"/faq", "/faq/draf", "/sinonim", "/tak-terjawab"}, admin: {"/pengguna"}, siti: {"/tiket"}}
	ok := func(what string, r response) {
		t.Helper()
		if r.Status >= 500 || (r.Status != http.StatusSeeOther && r.Status != http.StatusUnprocessableEntity && r.Status != http.StatusOK) {
			t.Errorf("%s: status %d\n%.500s", what, r.Status, r.Body)
		}
		for _, bad := range rawHostile {
			if strings.Contains(r.Body, bad) {
				t.Errorf("%s: the page holds %q unescaped", what, bad)
			}
		}
	}
	for i, s := range hostileTexts {
		id := fmt.Sprintf("hostile-%d", i)
		r := editor.post("/faq/baru", url.Values{"id": {id}, "question": {"Pertanyaan " + s}, "alternates": {s + "\nalternatif " + s},
			"keywords": {s}, "category": {s}, "unit": {""}, "answer": {s}})
		ok("create FAQ "+id, r)
		if r.Status == http.StatusSeeOther {
			pages[editor] = append(pages[editor], "/faq/"+id, "/faq/"+id+"/riwayat")
		}
		ok("synonym "+id, editor.post("/sinonim", url.Values{"terms": {fmt.Sprintf("istilah%d, %s", i, s)}}))
		ok("golden "+id, editor.post("/faq/emas", url.Values{"question": {s}, "expect": {"skck"}}))
		ok("try "+id, editor.get("/coba?q="+url.QueryEscape(s)))
		ok("search "+id, editor.get("/faq?q="+url.QueryEscape(s)))
		ok("account "+id, admin.post("/pengguna", url.Values{"username": {fmt.Sprintf("akun%d", i)}, "name": {s}, "role": {"editor"}, "password": {password}}))
		ok("account with a hostile username "+id, admin.post("/pengguna", url.Values{"username": {s}, "name": {"X"}, "role": {"editor"}, "password": {password}}))

		ticket := e.insertTicket(strings.ReplaceAll(s, "\x00", ""), "disdukcapil", tickets.StatusNew, 0) // as the bot stores it
		page := fmt.Sprintf("/tiket/%d", ticket)
		ok("reply "+id, siti.post(page+"/balas", url.Values{"teks": {s}}))
		ok("note "+id, siti.post(page+"/catatan", url.Values{"catatan": {s}}))
		ok("draft FAQ "+id, siti.post(page+"/draf-faq", url.Values{"jawaban": {s}}))
		ok("resolve "+id, siti.post(page+"/selesai", url.Values{"catatan": {s}}))
		ok("queue search "+id, siti.get("/tiket?q="+url.QueryEscape(s)))
		pages[siti] = append(pages[siti], page, page+"/percakapan")
	}
	for c, paths := range pages {
		for _, p := range paths {
			ok("GET "+p, c.get(p))
		}
	}
	ok("dashboard", e.login("pimpinan").get("/dasbor"))
	// Logging in with a hostile username is refused, not a server error.
	for _, s := range hostileTexts {
		if r := e.anon().postForm("/masuk", url.Values{"username": {s}, "password": {s}}); r.Status >= 500 || r.Status == http.StatusSeeOther {
			t.Errorf("login as %.40q: status %d", s, r.Status)
		}
	}
	// The replies reached the citizen as valid messages.
	if n := e.countRows(`SELECT count(*) FROM outbox WHERE chat_id = $1 AND method = 'sendMessage'`, citizenAni.ID); n < len(hostileTexts) {
		t.Errorf("%d messages for the citizen, want at least %d", n, len(hostileTexts))
	}
	if n := e.countRows(`SELECT count(*) FROM faqs WHERE id LIKE 'hostile-%'`); n < len(hostileTexts)-1 {
		t.Errorf("%d hostile FAQs saved, want at least %d: the pages above showed little", n, len(hostileTexts)-1)
	}
	if n := e.countRows(`SELECT count(*) FROM staff WHERE username LIKE 'akun%'`); n != len(hostileTexts) {
		t.Errorf("%d accounts with hostile names saved, want %d", n, len(hostileTexts))
	}
	for _, table := range []string{"tickets", "ticket_messages", "faqs", "synonyms", "faq_drafts", "staff", "audit_log"} {
		if n := e.countRows(`SELECT count(*) FROM ` + table); n == 0 {
			t.Errorf("table %s is empty", table)
		}
	}
}
