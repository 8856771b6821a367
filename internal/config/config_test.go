package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestLoadDefaults(t *testing.T) {
	c, err := Load(env(nil), Need{})
	if err != nil {
		t.Fatal(err)
	}
	if c.TelegramAPIURL != "https://api.telegram.org" || c.HTTPAddr != "127.0.0.1:8080" || !c.AutoMigrate ||
		c.ResponseDays != 1 || c.ResolutionDays != 5 || c.AutoCloseDays != 10 || c.RetentionDays != 365 ||
		!c.RequireConsent || c.Location.String() != "Asia/Jakarta" || len(c.OfficeHours) == 0 {
		t.Errorf("defaults: %+v", c)
	}
}

func TestLoadErrorsNameTheSetting(t *testing.T) {
	base := map[string]string{"TELEGRAM_BOT_TOKEN": "123:abcdefghijklmnopqrstuvwxyz", "DATABASE_URL": "postgres://x/y", "LOKET_STAFF_CHAT_ID": "-100"}
	tests := []struct{ name, key, value string }{
		{"token", "TELEGRAM_BOT_TOKEN", "not-a-token"},
		{"api url", "TELEGRAM_API_URL", "ftp://example"},
		{"database url", "DATABASE_URL", "mysql://x"},
		{"staff chat", "LOKET_STAFF_CHAT_ID", "group"},
		{"http addr", "LOKET_HTTP_ADDR", "8080"},
		{"auto migrate", "LOKET_AUTO_MIGRATE", "maybe"},
		{"time zone", "LOKET_TIMEZONE", "Mars/Olympus"},
		{"response days", "LOKET_RESPONSE_DAYS", "0"},
		{"resolution days", "LOKET_RESOLUTION_DAYS", "x"},
		{"autoclose", "LOKET_AUTOCLOSE_DAYS", "-1"},
		{"retention", "LOKET_RETENTION_DAYS", "forever"},
		{"consent", "LOKET_CONSENT_BEFORE_TICKET", "perhaps"},
		{"supervisors", "LOKET_SUPERVISOR_CHAT_ID", "group"},
		{"console url", "LOKET_CONSOLE_URL", "loket.example"},
		{"public stats", "LOKET_PUBLIC_STATS", "kadang"},
		{"office hours", "LOKET_OFFICE_HOURS", "mon 8-16"},
		{"webhook url", "LOKET_WEBHOOK_URL", "http://loket.example.go.id/hook"},
		{"webhook path", "LOKET_WEBHOOK_URL", "https://loket.example.go.id/"},
		{"webhook secret", "LOKET_WEBHOOK_SECRET", "rahasia dengan spasi"},
		{"webhook connections", "LOKET_WEBHOOK_MAX_CONNECTIONS", "0"},
		{"log format", "LOKET_LOG_FORMAT", "xml"},
		{"log level", "LOKET_LOG_LEVEL", "loud"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vars := map[string]string{}
			for k, v := range base {
				vars[k] = v
			}
			vars[tt.key] = tt.value
			_, err := Load(env(vars), Need{Telegram: true, Database: true})
			if err == nil || !strings.Contains(err.Error(), tt.key) || strings.Contains(err.Error(), "\n") {
				t.Errorf("err = %v, want one line naming %s", err, tt.key)
			}
		})
	}
}

func TestLoadWebhook(t *testing.T) {
	c, err := Load(env(nil), Need{})
	if err != nil {
		t.Fatal(err)
	}
	if c.WebhookURL != "" || c.WebhookSecret != "" || c.WebhookMaxConnections != 40 {
		t.Errorf("webhook defaults: url %q, secret set %v, max %d", c.WebhookURL, c.WebhookSecret != "", c.WebhookMaxConnections)
	}
	c, err = Load(env(map[string]string{"LOKET_WEBHOOK_URL": "https://loket.example.go.id:8443/telegram/hook",
		"LOKET_WEBHOOK_SECRET": "s3cret_-X", "LOKET_WEBHOOK_MAX_CONNECTIONS": "10"}), Need{})
	if err != nil {
		t.Fatal(err)
	}
	if c.WebhookPath != "/telegram/hook" || c.WebhookSecret != "s3cret_-X" || c.WebhookMaxConnections != 10 {
		t.Errorf("webhook: path %q, max %d", c.WebhookPath, c.WebhookMaxConnections)
	}
	// A local test server may be plain http.
	if _, err := Load(env(map[string]string{"LOKET_WEBHOOK_URL": "http://127.0.0.1:9000/hook"}), Need{}); err != nil {
		t.Errorf("local http webhook: %v", err)
	}
	// A refused secret is never quoted back.
	_, err = Load(env(map[string]string{"LOKET_WEBHOOK_SECRET": "bocor rahasia"}), Need{})
	if err == nil || strings.Contains(err.Error(), "bocor") {
		t.Errorf("bad secret: %v", err)
	}
}

func TestEverySettingIsDocumented(t *testing.T) {
	for _, s := range Settings {
		if s.Description == "" || !strings.HasPrefix(s.Name, "TELEGRAM_") && !strings.HasPrefix(s.Name, "LOKET_") && s.Name != "DATABASE_URL" {
			t.Errorf("setting %+v", s)
		}
	}
}

// The README's configuration table names every setting.
func TestREADMEListsEverySetting(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range Settings {
		if !strings.Contains(string(data), "`"+s.Name+"`") {
			t.Errorf("README.md does not document %s", s.Name)
		}
	}
}
