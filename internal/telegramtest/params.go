package telegramtest

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

const maxBody = 50 << 20

// params holds request parameters as strings; JSON-valued parameters
// (reply_markup, commands, ...) hold their JSON text, as go-telegram-bot-api
// sends them.
type params map[string]string

// parseRequest merges URL query parameters with the body, which may be
// form-urlencoded, multipart or JSON.
func parseRequest(r *http.Request) (params, map[string]string, *apiError) {
	p := params{}
	for k, v := range r.URL.Query() {
		if len(v) > 0 {
			p[k] = v[0]
		}
	}
	files := map[string]string{}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
		if err != nil {
			return p, files, badRequest("can't read request body")
		}
		if len(bytes.TrimSpace(body)) == 0 {
			break
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(body, &obj); err != nil {
			return p, files, badRequest("can't parse JSON object")
		}
		for k, v := range obj {
			var str string
			switch {
			case string(v) == "null":
				continue
			case json.Unmarshal(v, &str) == nil:
				p[k] = str
			default:
				p[k] = string(v)
			}
		}
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			return p, files, badRequest("can't parse request body")
		}
		for k, v := range r.PostForm {
			if len(v) > 0 {
				p[k] = v[0]
			}
		}
	case "multipart/form-data":
		if err := r.ParseMultipartForm(maxBody); err != nil {
			return p, files, badRequest("can't parse multipart request body")
		}
		for k, v := range r.MultipartForm.Value {
			if len(v) > 0 {
				p[k] = v[0]
			}
		}
		for k, v := range r.MultipartForm.File {
			if len(v) > 0 {
				files[k] = v[0].Filename
			}
		}
		_ = r.MultipartForm.RemoveAll()
	}
	return p, files, nil
}

func (p params) has(k string) bool { _, ok := p[k]; return ok }

func (p params) str(k string) string { return p[k] }

// int parses an optional integer parameter; absent or empty gives 0.
func (p params) int(k string) (int64, *apiError) {
	v := strings.TrimSpace(p[k])
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, badRequest("invalid %s specified", k)
	}
	return n, nil
}

func (p params) bool(k string) bool {
	b, err := strconv.ParseBool(strings.TrimSpace(p[k]))
	return err == nil && b
}

// chatKey returns the integer chat_id of a request, if it has one.
func (p params) chatKey() (int64, bool) { return p.chatKeyOf("chat_id") }

// chatKeyOf parses parameter k as an integer chat id.
func (p params) chatKeyOf(k string) (int64, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(p[k]), 10, 64)
	return n, err == nil
}
