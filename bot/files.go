package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// maxFileSize is the largest file the Bot API lets a bot download (20 MB).
const maxFileSize = 20 << 20

// ErrFileUnavailable is returned for a file Telegram no longer has or will not give
// (too big, expired, unknown id).
var ErrFileUnavailable = errors.New("bot: file unavailable")

// Files fetches files from the Bot API by file id (getFile, then the download URL),
// for the console's attachment proxy: the browser never sees the token, and no error
// carries it.
type Files struct {
	base, token string
	client      *http.Client
}

// NewFiles returns a Files for the Bot API at base (nil client: a 60 s timeout).
func NewFiles(base, token string, client *http.Client) *Files {
	if client == nil {
		client = &http.Client{Timeout: 60 * time.Second}
	}
	return &Files{base: strings.TrimRight(base, "/"), token: token, client: client}
}

// Open returns the file's content and size; the caller closes it.
func (f *Files) Open(ctx context.Context, fileID string) (io.ReadCloser, int64, error) {
	if fileID == "" || len(fileID) > 300 {
		return nil, 0, ErrFileUnavailable
	}
	form := url.Values{"file_id": {fileID}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.base+"/bot"+f.token+"/getFile", strings.NewReader(form.Encode()))
	if err != nil {
		return nil, 0, fmt.Errorf("bot: getFile: %w", redactErr(err, f.token))
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := f.client.Do(req)
	if err != nil {
		return nil, 0, fmt.Errorf("bot: getFile: %w", redactErr(err, f.token))
	}
	defer func() { _ = res.Body.Close() }()
	var out struct {
		OK     bool `json:"ok"`
		Result struct {
			FilePath string `json:"file_path"`
			FileSize int64  `json:"file_size"`
		} `json:"result"`
		Description string `json:"description"`
	}
	if err := json.NewDecoder(io.LimitReader(res.Body, 1<<20)).Decode(&out); err != nil {
		return nil, 0, fmt.Errorf("bot: getFile: %w", err)
	}
	if !out.OK || out.Result.FilePath == "" {
		return nil, 0, fmt.Errorf("%w: %s", ErrFileUnavailable, out.Description)
	}
	if out.Result.FileSize > maxFileSize {
		return nil, 0, fmt.Errorf("%w: %d bytes", ErrFileUnavailable, out.Result.FileSize)
	}
	dl, err := http.NewRequestWithContext(ctx, http.MethodGet, f.base+"/file/bot"+f.token+"/"+out.Result.FilePath, nil)
	if err != nil {
		return nil, 0, fmt.Errorf("bot: download: %w", redactErr(err, f.token))
	}
	body, err := f.client.Do(dl)
	if err != nil {
		return nil, 0, fmt.Errorf("bot: download: %w", redactErr(err, f.token))
	}
	if body.StatusCode != http.StatusOK {
		_ = body.Body.Close()
		return nil, 0, fmt.Errorf("%w: download status %d", ErrFileUnavailable, body.StatusCode)
	}
	return body.Body, body.ContentLength, nil
}

// redactErr removes the token from an error's text (url.Error quotes the URL).
func redactErr(err error, token string) error {
	if token == "" || !strings.Contains(err.Error(), token) {
		return err
	}
	return errors.New(redactToken(err.Error(), token))
}
