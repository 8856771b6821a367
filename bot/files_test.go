package bot_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/loket-id/loket/bot"
	"github.com/loket-id/loket/internal/telegramtest"
)

// TestFiles fetches photos and documents from the fake Bot API the way the console's
// attachment proxy does, and checks that no error ever carries the bot token.
func TestFiles(t *testing.T) {
	srv := telegramtest.New(telegramtest.Options{Token: token})
	t.Cleanup(srv.Close)
	user := telegramtest.User{ID: 1001, FirstName: "Ani"}
	srv.AddPrivateChat(user)
	photo := srv.SendPhoto(user, user.ID, "foto KTP")
	doc := srv.Post(user, user.ID, telegramtest.Incoming{Text: "formulir", Document: true})
	ctx := context.Background()
	files := bot.NewFiles(srv.URL(), token, nil)

	read := func(t *testing.T, f *bot.Files, id string) ([]byte, int64, error) {
		t.Helper()
		body, size, err := f.Open(ctx, id)
		if err != nil {
			return nil, 0, err
		}
		defer func() { _ = body.Close() }()
		data, err := io.ReadAll(body)
		return data, size, err
	}
	noToken := func(t *testing.T, err error) {
		t.Helper()
		if err != nil && strings.Contains(err.Error(), token) {
			t.Errorf("error %q contains the bot token", err)
		}
	}

	t.Run("photo", func(t *testing.T) {
		data, size, err := read(t, files, photo.Photo[len(photo.Photo)-1].FileID)
		if err != nil || http.DetectContentType(data) != "image/jpeg" || size != int64(len(data)) {
			t.Errorf("photo: %d bytes (%s), size %d, %v", len(data), http.DetectContentType(data), size, err)
		}
	})
	t.Run("document", func(t *testing.T) {
		data, _, err := read(t, files, doc.Document.FileID)
		if err != nil || !bytes.HasPrefix(data, []byte("%PDF-")) {
			t.Errorf("document: %q, %v", data, err)
		}
	})
	t.Run("content set by the test", func(t *testing.T) {
		srv.SetFile(doc.Document.FileID, []byte("isi berkas"))
		data, size, err := read(t, files, doc.Document.FileID)
		if err != nil || string(data) != "isi berkas" || size != 10 {
			t.Errorf("document: %q (size %d), %v", data, size, err)
		}
	})
	t.Run("unavailable", func(t *testing.T) {
		expired := srv.SendPhoto(user, user.ID, "").Photo[0].FileID
		srv.ExpireFile(expired)
		for _, id := range []string{"tidak-ada", expired, "", strings.Repeat("x", 400)} {
			_, _, err := read(t, files, id)
			if !errors.Is(err, bot.ErrFileUnavailable) {
				t.Errorf("Open(%.20q) = %v, want ErrFileUnavailable", id, err)
			}
			noToken(t, err)
		}
	})
	t.Run("wrong token", func(t *testing.T) {
		wrong := "999:" + strings.Repeat("s", 30)
		_, _, err := read(t, bot.NewFiles(srv.URL(), wrong, nil), photo.Photo[0].FileID)
		if err == nil || strings.Contains(err.Error(), wrong) {
			t.Errorf("wrong token: %v (must fail without the token in the error)", err)
		}
	})
	t.Run("download refused", func(t *testing.T) {
		// getFile answers, the download does not: a file Telegram lost in between.
		var calls int
		mux := http.NewServeMux()
		mux.HandleFunc("/bot"+token+"/getFile", func(w http.ResponseWriter, r *http.Request) {
			calls++
			_, _ = io.WriteString(w, `{"ok":true,"result":{"file_id":"x","file_path":"photos/x.jpg","file_size":3}}`)
		})
		fake := httptest.NewServer(mux)
		t.Cleanup(fake.Close)
		_, _, err := read(t, bot.NewFiles(fake.URL, token, nil), "x")
		if calls != 1 || !errors.Is(err, bot.ErrFileUnavailable) {
			t.Errorf("download 404: %d getFile calls, %v", calls, err)
		}
		noToken(t, err)
	})
	t.Run("Bot API unreachable", func(t *testing.T) {
		down := telegramtest.New(telegramtest.Options{Token: token})
		url := down.URL()
		down.Close()
		_, _, err := read(t, bot.NewFiles(url, token, nil), photo.Photo[0].FileID)
		if err == nil {
			t.Fatal("no error from a closed server")
		}
		noToken(t, err)
	})
	t.Run("the download URL is fetched, not shown", func(t *testing.T) {
		// The file's path and the token only travel between Loket and Telegram: the
		// content is all the caller gets.
		data, _, err := read(t, files, photo.Photo[0].FileID)
		if err != nil || bytes.Contains(data, []byte(token)) {
			t.Errorf("photo content: %v", err)
		}
	})
}

// TestFakeFileDownload checks the fake Bot API's download URL as Telegram serves it:
// the file under the right token, 404 for a wrong token or an unknown path.
func TestFakeFileDownload(t *testing.T) {
	srv := telegramtest.New(telegramtest.Options{Token: token})
	t.Cleanup(srv.Close)
	user := telegramtest.User{ID: 1001, FirstName: "Ani"}
	srv.AddPrivateChat(user)
	id := srv.SendPhoto(user, user.ID, "").Photo[0].FileID
	res, err := http.Post(srv.URL()+"/bot"+token+"/getFile", "application/x-www-form-urlencoded", strings.NewReader("file_id="+id))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	_ = res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `"file_path":"photos/`+id+`.jpg"`) {
		t.Fatalf("getFile: %d %s", res.StatusCode, body)
	}
	for path, want := range map[string]int{
		"/file/bot" + token + "/photos/" + id + ".jpg":     http.StatusOK,
		"/file/bot999:WRONG/photos/" + id + ".jpg":         http.StatusNotFound,
		"/file/bot" + token + "/photos/photo_1_999.jpg":    http.StatusNotFound,
		"/file/bot" + token + "/documents/" + id + ".pdf":  http.StatusNotFound,
		"/file/bot" + token + "/../bot" + token + "/getMe": http.StatusNotFound,
		"/bot" + token + "/getFile?file_id=photo_1_12345":  http.StatusBadRequest,
		"/bot999:WRONG/getFile?file_id=" + id:              http.StatusUnauthorized,
	} {
		res, err := http.Get(srv.URL() + path)
		if err != nil {
			t.Fatal(err)
		}
		_ = res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", path, res.StatusCode, want)
		}
	}
}
