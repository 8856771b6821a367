package telegramtest

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"path"
	"strings"
)

// Files: getFile resolves a file id the server issued (a photo or document a user
// posted or the bot sent) to a file_path, and GET {URL}/file/bot{token}/{file_path}
// downloads it, as with Telegram. Photos are small JPEGs and documents small PDFs
// unless a test sets their content with [Server.SetFile]; [Server.ExpireFile] makes a
// file unavailable, as Telegram does with files it no longer keeps.

// maxDownload is the largest file the Bot API lets a bot download (20 MB).
const maxDownload = 20 << 20

// fileState is what a test said about a file.
type fileState struct {
	data    []byte
	set     bool
	expired bool
}

func init() {
	register("getFile", (*Server).getFile, false)
}

// SetFile sets the content a file id downloads as (the id need not have been issued:
// the server then knows it as well).
func (s *Server) SetFile(fileID string, data []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[fileID] = true
	st := s.fileStateLocked(fileID)
	st.data, st.set = bytes.Clone(data), true
}

// ExpireFile makes getFile refuse the file and its download answer 404.
func (s *Server) ExpireFile(fileID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fileStateLocked(fileID).expired = true
}

// fileStateLocked returns the file's state, creating it; s.mu must be held.
func (s *Server) fileStateLocked(fileID string) *fileState {
	if s.fileData == nil {
		s.fileData = map[string]*fileState{}
	}
	st, ok := s.fileData[fileID]
	if !ok {
		st = &fileState{}
		s.fileData[fileID] = st
	}
	return st
}

// filePath is where a file id downloads from: "photos/<id>.jpg", "documents/<id>.pdf".
func filePath(fileID string) string {
	if strings.HasPrefix(fileID, "photo_") {
		return "photos/" + fileID + ".jpg"
	}
	return "documents/" + fileID + ".pdf"
}

// fileIDOf is the file id of a file path, "" for a path filePath never returns.
func fileIDOf(p string) string {
	_, name := path.Split(p)
	id := strings.TrimSuffix(strings.TrimSuffix(name, ".jpg"), ".pdf")
	if id == "" || filePath(id) != p {
		return ""
	}
	return id
}

// contentLocked returns a file's content, false when the server does not know it or
// it expired; s.mu must be held.
func (s *Server) contentLocked(fileID string) ([]byte, bool) {
	if fileID == "" || !s.files[fileID] {
		return nil, false
	}
	st := s.fileData[fileID]
	switch {
	case st != nil && st.expired:
		return nil, false
	case st != nil && st.set:
		return st.data, true
	case strings.HasPrefix(fileID, "photo_"):
		return samplePhoto(), true
	}
	return []byte("%PDF-1.4\n% telegramtest document " + fileID + "\n%%EOF\n"), true
}

func (s *Server) getFile(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := strings.TrimSpace(c.p.str("file_id"))
	if id == "" {
		return nil, badRequest("file_id is empty")
	}
	if !s.files[id] {
		return nil, badRequest("invalid file_id")
	}
	data, ok := s.contentLocked(id)
	if !ok {
		return nil, badRequest("wrong file_id or the file is temporarily unavailable")
	}
	if len(data) > maxDownload {
		return nil, badRequest("file is too big")
	}
	return map[string]any{"file_id": id, "file_unique_id": "u" + id, "file_size": len(data), "file_path": filePath(id)}, nil
}

// serveFile answers GET /file/bot<token>/<file_path>: the file's bytes, or 404 for a
// wrong token or an unknown or expired file (Telegram answers both alike).
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, "/file/bot")
	token, p, ok := strings.Cut(rest, "/")
	var data []byte
	found := false
	if ok && token == s.opts.Token && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		s.mu.Lock()
		data, found = s.contentLocked(fileIDOf(p))
		s.mu.Unlock()
	}
	if !found {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"ok":false,"error_code":404,"description":"Not Found"}` + "\n"))
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", fmt.Sprint(len(data)))
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(data)
}

// samplePhoto is a small JPEG.
func samplePhoto() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	for x := range 4 {
		for y := range 3 {
			img.Set(x, y, color.RGBA{R: uint8(60 * x), G: uint8(80 * y), B: 160, A: 255})
		}
	}
	var buf bytes.Buffer
	_ = jpeg.Encode(&buf, img, nil)
	return buf.Bytes()
}
