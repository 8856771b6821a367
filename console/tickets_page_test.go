package console_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/loket-id/loket/internal/telegramtest"
	"github.com/loket-id/loket/tickets"
)

// TestOfficerAnswersInConsole: an officer takes a ticket, replies (the reply reaches
// the citizen in Telegram), writes an internal note (it never does), and resolves it.
func TestOfficerAnswersInConsole(t *testing.T) {
	e := officersEnv(t)
	id := e.openTicket(citizenAni, "Bagaimana cara mengurus izin keramaian untuk pernikahan?")
	e.mustExec(`UPDATE tickets SET unit = 'disdukcapil' WHERE id = $1`, id)
	siti := e.login("siti")
	page := fmt.Sprintf("/tiket/%d", id)

	r := siti.get(page)
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "izin keramaian") || !strings.Contains(r.Body, ">Ambil<") ||
		!strings.Contains(r.Body, fmt.Sprintf(`data-refresh="/tiket/%d/percakapan"`, id)) {
		t.Fatalf("ticket page: %d\n%s", r.Status, r.Body)
	}
	if n := e.auditCount(id, tickets.ActionTicketViewed); n != 1 {
		t.Errorf("%d views audited, want 1", n)
	}
	if r := siti.get(page + "/percakapan"); r.Status != http.StatusOK || strings.Contains(r.Body, "<html") ||
		!strings.Contains(r.Body, "izin keramaian") || e.auditCount(id, tickets.ActionTicketViewed) != 1 {
		t.Errorf("conversation refresh: %d, audited as a view: %v", r.Status, e.auditCount(id, tickets.ActionTicketViewed) != 1)
	}

	if r := siti.post(page+"/ambil", nil); r.Status != http.StatusSeeOther || r.Location != page {
		t.Fatalf("take: %d → %q", r.Status, r.Location)
	}
	r = siti.get(page)
	if !strings.Contains(r.Body, `class="flash"`) || !strings.Contains(r.Body, "<dt>Petugas</dt><dd>Siti</dd>") || strings.Contains(r.Body, ">Ambil<") {
		t.Errorf("after taking: no notice or not assigned to Siti:\n%s", r.Body)
	}

	mark := e.TG.SentCount()
	reply := "Silakan ajukan izin ke Polsek setempat paling lambat 14 hari sebelum acara."
	if r := siti.post(page+"/balas", url.Values{"teks": {reply}}); r.Status != http.StatusSeeOther {
		t.Fatalf("reply: %d", r.Status)
	}
	if _, err := e.TG.WaitFor(waitFor, func(s tgSent) bool {
		return s.Seq > mark && s.ChatID == citizenAni.ID && strings.Contains(s.Text, reply)
	}); err != nil {
		t.Fatalf("the reply did not reach the citizen: %v", err)
	}

	note := "Catatan rahasia: pemohon pernah ditolak tahun lalu."
	if r := siti.post(page+"/catatan", url.Values{"catatan": {note}}); r.Status != http.StatusSeeOther {
		t.Fatalf("note: %d", r.Status)
	}
	if r := siti.post(page+"/balas", url.Values{"teks": {"  "}}); r.Status != http.StatusSeeOther {
		t.Errorf("empty reply: %d", r.Status)
	} else if r := siti.get(page); !strings.Contains(r.Body, "Tulis balasan terlebih dahulu") {
		t.Error("an empty reply is not explained")
	}
	resolveMark := e.TG.SentCount()
	if r := siti.post(page+"/selesai", url.Values{"catatan": {"Izin sudah dijelaskan."}}); r.Status != http.StatusSeeOther {
		t.Fatalf("resolve: %d", r.Status)
	}
	if _, err := e.TG.WaitFor(waitFor, func(s tgSent) bool { return s.Seq > resolveMark && s.ChatID == citizenAni.ID }); err != nil {
		t.Fatalf("the citizen was not told of the resolution: %v", err)
	}
	for _, s := range e.TG.All() {
		if s.ChatID == citizenAni.ID && strings.Contains(s.Text, "pernah ditolak") {
			t.Errorf("the internal note reached the citizen: %q", s.Text)
		}
	}
	var st tickets.Status
	if err := e.DB.Get(&st, `SELECT status FROM tickets WHERE id = $1`, id); err != nil || st != tickets.StatusResolved {
		t.Errorf("status %s, %v; want resolved", st, err)
	}
	r = siti.get(page)
	if !strings.Contains(r.Body, `<article class="msg internal">`) || !strings.Contains(r.Body, "pernah ditolak") ||
		!strings.Contains(r.Body, `<article class="msg staff">`) || !strings.Contains(r.Body, "Polsek setempat") {
		t.Errorf("the conversation does not show the reply and the note apart:\n%s", r.Body)
	}
	if strings.Contains(r.Body, "/balas") || strings.Contains(r.Body, "/selesai") {
		t.Error("a resolved ticket still offers reply and resolve")
	}

	// Jadikan draf FAQ: prefilled with Siti's last reply; the question from the ticket.
	if !strings.Contains(r.Body, ">"+reply+"</textarea>") {
		t.Error("the FAQ draft is not prefilled with the officer's last reply")
	}
	if r := siti.post(page+"/draf-faq", url.Values{"jawaban": {reply}}); r.Status != http.StatusSeeOther {
		t.Fatalf("draft: %d", r.Status)
	}
	var draft struct {
		Q, A     string
		T, Staff int64
	}
	if err := e.DB.QueryRow(`SELECT question, answer, ticket_id, created_by FROM faq_drafts`).Scan(&draft.Q, &draft.A, &draft.T, &draft.Staff); err != nil ||
		!strings.Contains(draft.Q, "izin keramaian") || draft.A != reply || draft.T != id || draft.Staff == 0 {
		t.Errorf("draft %+v, %v", draft, err)
	}
}

// TestHandOverInConsole: handing a ticket to another unit moves it there, tells the
// citizen, and sends the officer back to the queue (the ticket is no longer theirs).
func TestHandOverInConsole(t *testing.T) {
	e := officersEnv(t)
	id := e.openTicket(citizenBudi, "Bagaimana cara mendaftar kartu prakerja di kota ini?")
	e.mustExec(`UPDATE tickets SET unit = 'disdukcapil' WHERE id = $1`, id)
	siti := e.login("siti")
	page := fmt.Sprintf("/tiket/%d", id)
	r := siti.get(page)
	if !strings.Contains(r.Body, `<option value="polres">Polres</option>`) || strings.Contains(r.Body, `<option value="inspektorat">`) ||
		strings.Contains(r.Body, `<option value="disdukcapil">`) {
		t.Errorf("handover targets wrong:\n%s", r.Body)
	}
	if r := siti.post(page+"/alihkan", url.Values{"unit": {"inspektorat"}}); r.Status != http.StatusSeeOther ||
		e.countRows(`SELECT count(*) FROM tickets WHERE id = $1 AND unit = 'disdukcapil'`, id) != 1 {
		t.Errorf("handover to the integrity unit: %d", r.Status)
	}
	mark := e.TG.SentCount()
	r = siti.post(page+"/alihkan", url.Values{"unit": {"polres"}, "catatan": {"Ini urusan Polres."}})
	if r.Status != http.StatusSeeOther || r.Location != "/tiket" {
		t.Errorf("handover: %d → %q, want the queue", r.Status, r.Location)
	}
	if e.countRows(`SELECT count(*) FROM tickets WHERE id = $1 AND unit = 'polres'`, id) != 1 {
		t.Fatal("the ticket did not move to polres")
	}
	if _, err := e.TG.WaitFor(waitFor, func(s tgSent) bool { return s.Seq > mark && s.ChatID == citizenBudi.ID }); err != nil {
		t.Errorf("the citizen was not told: %v", err)
	}
	if r := siti.get(page); r.Status != http.StatusForbidden {
		t.Errorf("after handover siti opens it: %d, want 403", r.Status)
	}
	if r := e.login("rudi").get(page); r.Status != http.StatusOK || !strings.Contains(r.Body, "Ini urusan Polres.") {
		t.Errorf("polres officer: %d, the handover note must show", r.Status)
	}
}

// TestRevealPersonalData: NIKs and phone numbers are masked until the officer reveals
// them; each reveal is audited.
func TestRevealPersonalData(t *testing.T) {
	e := officersEnv(t)
	id := e.insertTicket("KTP saya hilang", "disdukcapil", tickets.StatusNew, 5*time.Hour)
	if _, err := e.Tickets.AddCitizenMessage(context.Background(), e.DB, id, "NIK saya 3171234567890001, HP 081234567890"); err != nil {
		t.Fatal(err)
	}
	siti := e.login("siti")
	page := fmt.Sprintf("/tiket/%d", id)
	for _, p := range []string{page, page + "/percakapan"} {
		r := siti.get(p)
		if r.Status != http.StatusOK || strings.Contains(r.Body, "3171234567890001") || strings.Contains(r.Body, "081234567890") ||
			!strings.Contains(r.Body, "**************01") {
			t.Errorf("GET %s shows personal data unmasked (%d)", p, r.Status)
		}
	}
	if n := e.auditCount(id, tickets.ActionCitizenDataViewed); n != 0 {
		t.Fatalf("%d reveals audited before any", n)
	}
	r := siti.post(page+"/ungkap", nil)
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "3171234567890001") || !strings.Contains(r.Body, "081234567890") {
		t.Fatalf("reveal: %d, personal data not shown", r.Status)
	}
	if strings.Contains(r.Body, "data-refresh") {
		t.Error("the revealed conversation refreshes itself (and would mask itself again)")
	}
	var entry struct {
		Kind, Door string
		Actor      int64
		Detail     string
	}
	if err := e.DB.QueryRow(`SELECT actor_kind, door, actor_id, detail::text FROM audit_log WHERE ticket_id = $1 AND action = $2`,
		id, tickets.ActionCitizenDataViewed).Scan(&entry.Kind, &entry.Door, &entry.Actor, &entry.Detail); err != nil {
		t.Fatalf("reveal not audited: %v", err)
	}
	if entry.Kind != tickets.ActorStaff || entry.Door != string(tickets.DoorConsole) || entry.Actor == 0 ||
		!strings.Contains(entry.Detail, fmt.Sprint(citizenAni.ID)) || strings.Contains(entry.Detail, "3171") {
		t.Errorf("audit entry %+v", entry)
	}
	siti.post(page+"/ungkap", nil)
	if n := e.auditCount(id, tickets.ActionCitizenDataViewed); n != 2 {
		t.Errorf("%d reveals audited, want 2", n)
	}
	if r := siti.get(page); strings.Contains(r.Body, "3171234567890001") {
		t.Error("the page stays unmasked after the reveal")
	}
}

// TestAttachmentProxy: a citizen's photo is shown through the console, with a safe
// content type and never the bot token; a document is a download; a file Telegram no
// longer has is explained.
func TestAttachmentProxy(t *testing.T) {
	e := officersEnv(t)
	id := e.openTicket(citizenAni, "Bagaimana cara mengurus izin keramaian di taman kota?")
	e.mustExec(`UPDATE tickets SET unit = 'disdukcapil' WHERE id = $1`, id)
	siti := e.login("siti")
	page := fmt.Sprintf("/tiket/%d", id)
	mark := e.TG.SentCount()
	siti.post(page+"/balas", url.Values{"teks": {"Mohon kirim foto lokasinya."}})
	if _, err := e.TG.WaitFor(waitFor, func(s tgSent) bool { return s.Seq > mark && s.ChatID == citizenAni.ID }); err != nil {
		t.Fatal(err)
	}
	photo := e.TG.SendPhoto(citizenAni, citizenAni.ID, "ini lokasinya").Photo[0].FileID
	var msgID int64
	deadline := time.Now().Add(waitFor)
	for msgID == 0 && time.Now().Before(deadline) {
		_ = e.DB.Get(&msgID, `SELECT coalesce(max(id), 0) FROM ticket_messages WHERE ticket_id = $1 AND file_kind = 'photo'`, id)
		time.Sleep(20 * time.Millisecond)
	}
	if msgID == 0 {
		t.Fatal("the citizen's photo did not reach the ticket")
	}
	proxy := fmt.Sprintf("/lampiran/%d", msgID)
	r := siti.get(page)
	if !strings.Contains(r.Body, `<img src="`+proxy+`"`) || strings.Contains(r.Body, token) || strings.Contains(r.Body, photo) {
		t.Errorf("the page does not show the photo through the proxy, or leaks the token or file id:\n%s", r.Body)
	}
	r = siti.get(proxy)
	if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "image/jpeg" || !strings.HasPrefix(r.Body, "\xff\xd8\xff") ||
		r.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(r.Header.Get("Cache-Control"), "private") ||
		!strings.HasPrefix(r.Header.Get("Content-Disposition"), "inline") {
		t.Errorf("photo: %d %v", r.Status, r.Header)
	}
	if strings.Contains(r.Body, token) || strings.Contains(fmt.Sprint(r.Header), token) {
		t.Error("the proxy's answer contains the bot token")
	}
	if r := e.login("rudi").get(proxy); r.Status != http.StatusForbidden {
		t.Errorf("another unit's officer gets the photo: %d", r.Status)
	}

	// A "photo" whose content is HTML is never served as HTML: a download.
	e.TG.SetFile(photo, []byte("<html><script>alert(1)</script></html>"))
	r = siti.get(proxy)
	if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "application/octet-stream" ||
		!strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment;") {
		t.Errorf("HTML in a photo: %d %q %q", r.Status, r.Header.Get("Content-Type"), r.Header.Get("Content-Disposition"))
	}

	// A document keeps its name, safely encoded.
	doc := e.TG.Post(citizenAni, citizenAni.ID, telegramtest.Incoming{Text: "surat", Document: true}).Document.FileID
	var docMsg int64
	if err := e.DB.Get(&docMsg, `INSERT INTO ticket_messages (ticket_id, author, body, file_id, file_kind, file_name, file_mime)
		VALUES ($1, 'citizen', 'surat', $2, 'document', $3, 'text/html') RETURNING id`, id, doc, `Surat "kuasa"; ü.pdf`); err != nil {
		t.Fatal(err)
	}
	r = siti.get(fmt.Sprintf("/lampiran/%d", docMsg))
	cd := r.Header.Get("Content-Disposition")
	if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "application/octet-stream" ||
		!strings.Contains(cd, `filename*=UTF-8''Surat%20kuasa%3B%20%C3%BC.pdf`) || !strings.Contains(cd, `filename="Surat kuasa; _.pdf"`) ||
		!strings.HasPrefix(r.Body, "%PDF-") {
		t.Errorf("document: %d %q %q", r.Status, r.Header.Get("Content-Type"), cd)
	}
	if r := siti.get(page); !strings.Contains(r.Body, fmt.Sprintf(`<a href="/lampiran/%d" download>`, docMsg)) {
		t.Error("the document is not offered as a download")
	}

	// A file Telegram no longer keeps.
	e.TG.ExpireFile(photo)
	r = siti.get(proxy)
	if r.Status != http.StatusBadGateway || !strings.Contains(r.Body, "Berkas ini tidak tersedia lagi di Telegram.") || strings.Contains(r.Body, token) {
		t.Errorf("expired file: %d\n%s", r.Status, r.Body)
	}
}

// TestTicketEscaping: what citizens write is escaped everywhere it is shown.
func TestTicketEscaping(t *testing.T) {
	e := officersEnv(t)
	evil := `<script>alert("x")</script><img src=x onerror=alert(1)> KTP`
	id := e.insertTicket(evil, "disdukcapil", tickets.StatusNew, time.Hour)
	e.mustExec(`UPDATE citizens SET display_name = '<b>Ani</b>' WHERE telegram_user_id = $1`, citizenAni.ID)
	siti := e.login("siti")
	for _, p := range []string{"/tiket", "/tiket/baris", fmt.Sprintf("/tiket/%d", id), fmt.Sprintf("/tiket/%d/percakapan", id), "/tiket?q=%3Cscript%3E"} {
		r := siti.get(p)
		if r.Status != http.StatusOK || strings.Contains(r.Body, "<script>alert") || strings.Contains(r.Body, "<img src=x") ||
			strings.Contains(r.Body, "<b>Ani</b>") {
			t.Errorf("GET %s renders user content unescaped (%d)", p, r.Status)
		}
		if p != "/tiket?q=%3Cscript%3E" && !strings.Contains(r.Body, "&lt;script&gt;") {
			t.Errorf("GET %s does not show the question escaped", p)
		}
	}
}
