package console

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/loket-id/loket/tickets"
)

// maxAttachment is the largest file the proxy passes on (the Bot API's download limit).
const maxAttachment = 20 << 20

// inlineImages are the content types the proxy lets a browser show; anything else is
// a download.
var inlineImages = map[string]string{
	"image/jpeg": ".jpg",
	"image/png":  ".png",
	"image/webp": ".webp",
	"image/gif":  ".gif",
}

// fileGone is what officers read when a file cannot be fetched.
const fileGone = "Berkas ini tidak tersedia lagi di Telegram."

// attachment is GET /lampiran/{messageID}: a photo or document of a ticket's
// conversation, fetched from the Bot API by the server (the bot token never reaches the
// browser) for those who may see the ticket. The type is decided from the content, not
// from what the sender claimed: JPEG, PNG, WebP and GIF images are shown inline,
// everything else is downloaded as application/octet-stream.
func (s *Server) attachment(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := pathID(r, "messageID")
	if id == 0 {
		s.errorPage(w, r, http.StatusNotFound, "Lampiran tidak ditemukan.")
		return
	}
	m, err := s.cfg.Tickets.MessageByID(ctx, s.cfg.DB, id)
	if errors.Is(err, tickets.ErrNotFound) || (err == nil && m.FileID == "") {
		s.errorPage(w, r, http.StatusNotFound, "Lampiran tidak ditemukan.")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := s.cfg.Tickets.Get(ctx, s.cfg.DB, m.TicketID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// Internal notes are for the officers of the ticket, as the rest of it: whoever
	// may see the ticket may see all of its files, nobody else any.
	if !s.mayAccess(ctx, userOf(r), t) {
		s.errorPage(w, r, http.StatusForbidden, "Lampiran ini milik tiket yang tidak dapat Anda buka.")
		return
	}
	if s.cfg.Files == nil {
		s.errorPage(w, r, http.StatusNotFound, fileGone)
		return
	}
	body, size, err := s.cfg.Files.Open(ctx, m.FileID)
	if err != nil {
		// Files never puts the token in its errors.
		s.log.WarnContext(r.Context(), "console: attachment", "message", m.ID, "ticket", t.ID, "err", err)
		s.errorPage(w, r, http.StatusBadGateway, fileGone)
		return
	}
	defer func() { _ = body.Close() }()
	br := bufio.NewReaderSize(io.LimitReader(body, maxAttachment), 512)
	head, err := br.Peek(512)
	if err != nil && !errors.Is(err, io.EOF) {
		s.log.WarnContext(r.Context(), "console: attachment", "message", m.ID, "ticket", t.ID, "err", err)
		s.errorPage(w, r, http.StatusBadGateway, fileGone)
		return
	}
	h := w.Header()
	ctype := http.DetectContentType(head)
	if ext, ok := inlineImages[ctype]; ok {
		h.Set("Content-Type", ctype)
		h.Set("Content-Disposition", contentDisposition("inline", attachmentName(m, ext)))
	} else {
		h.Set("Content-Type", "application/octet-stream")
		h.Set("Content-Disposition", contentDisposition("attachment", attachmentName(m, "")))
	}
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, max-age=300")
	h.Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; sandbox")
	if size > 0 && size <= maxAttachment {
		h.Set("Content-Length", strconv.FormatInt(size, 10))
	}
	if _, err := io.Copy(w, br); err != nil {
		s.log.WarnContext(r.Context(), "console: attachment copy", "message", m.ID, "err", err)
	}
}

// attachmentName is the file name a download gets: the document's own name, cleaned,
// or "lampiran-<id>" with ext.
func attachmentName(m tickets.Message, ext string) string {
	name := strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || strings.ContainsRune(`/\"`, r) {
			return -1
		}
		return r
	}, path.Base(strings.ReplaceAll(m.Name, `\`, "/")))
	name = strings.TrimSpace(name)
	if name == "" || name == "." || name == ".." || len(name) > 200 {
		name = fmt.Sprintf("lampiran-%d%s", m.ID, ext)
	}
	return name
}

// contentDisposition writes a Content-Disposition header value with an ASCII
// fallback name and the exact name in RFC 5987 encoding.
func contentDisposition(kind, name string) string {
	fallback := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%' {
			return '_'
		}
		return r
	}, name)
	var enc strings.Builder
	for _, b := range []byte(name) {
		if attrChar(b) {
			enc.WriteByte(b)
		} else {
			fmt.Fprintf(&enc, "%%%02X", b)
		}
	}
	return fmt.Sprintf(`%s; filename="%s"; filename*=UTF-8''%s`, kind, fallback, enc.String())
}

// attrChar reports whether b may stand unencoded in an RFC 5987 value.
func attrChar(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || strings.IndexByte("!#$&+-.^_`|~", b) >= 0
}
