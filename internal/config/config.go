// Package config reads Loket's configuration from environment variables, validates it
// once, and describes every setting for `loket help` and the README.
package config

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/loket-id/loket/tickets"
)

// Config is Loket's configuration.
type Config struct {
	// TelegramToken is the bot token from BotFather; empty means no Telegram bot.
	TelegramToken string
	// TelegramAPIURL is the Bot API base URL; requests go to {base}/bot{token}/{method}.
	TelegramAPIURL string
	// DatabaseURL is the PostgreSQL connection URL; empty means "start a private
	// cluster" for the commands that can (run), an error for the others.
	DatabaseURL string
	// StaffChatID is the Telegram group where officers receive ticket cards.
	StaffChatID int64
	// SecureCookies marks console cookies Secure (LOKET_CONSOLE_URL is https).
	SecureCookies bool
	// PublicStats serves the public page of monthly figures.
	PublicStats bool
	// SupervisorChatID receives the daily summary and breach alerts (0: the staff group).
	SupervisorChatID int64
	// HTTPAddr is where /healthz and /readyz are served.
	HTTPAddr string
	// AutoMigrate applies pending migrations at start.
	AutoMigrate bool
	// LogFormat is "text" or "json".
	LogFormat string
	// LogLevel is debug, info, warn or error.
	LogLevel string
	// ResponseDays is the first-response time promised to citizens when a ticket
	// opens, in working days on the office's calendar.
	ResponseDays int
	// ResolutionDays is the resolution time promised for tickets of no unit.
	ResolutionDays int
	// RequireConsent asks citizens to agree to the privacy notice before a ticket.
	RequireConsent bool
	// RetentionDays anonymises closed tickets after this many days (0: keep).
	RetentionDays int
	// CitizenRate is how many fresh questions a citizen may ask a minute (0: no limit).
	CitizenRate int
	// AutoCloseDays closes tickets that waited this many working days for the citizen.
	AutoCloseDays int
	// OfficeHours are the office's opening hours, for deadlines.
	OfficeHours tickets.OfficeHours
	// OfficeName is the office's name as citizens know it, used in the greeting.
	OfficeName string
	// Location is the deployment's time zone; times shown to people are in it.
	Location *time.Location
	// PollTimeout is the long-polling timeout of getUpdates.
	PollTimeout time.Duration
	// WebhookURL is the public URL Telegram posts updates to; empty means long polling.
	WebhookURL string
	// WebhookPath is WebhookURL's path, where the HTTP server serves the webhook.
	WebhookPath string
	// WebhookSecret is the webhook's secret token; empty means generated once and kept
	// in the database.
	WebhookSecret string
	// WebhookMaxConnections is how many updates Telegram may post at once.
	WebhookMaxConnections int
	// SpoolDir keeps the updates taken while the database is unreachable.
	SpoolDir string
}

// Setting documents one environment variable.
type Setting struct {
	Name, Default, Description string
}

// Settings lists every environment variable Loket reads, for `loket help` and the README.
var Settings = []Setting{
	{"TELEGRAM_BOT_TOKEN", "", "Bot token from @BotFather. Without it `loket serve` refuses to start and the run command opens the terminal chat instead."},
	{"TELEGRAM_API_URL", "https://api.telegram.org", "Bot API base URL; requests go to {base}/bot{token}/{method}. Set it for a self-hosted Bot API server or a test server."},
	{"DATABASE_URL", "", "PostgreSQL URL, e.g. postgres://loket:secret@db:5432/loket?sslmode=disable. Unset: the run command starts a private cluster under .data/."},
	{"LOKET_STAFF_CHAT_ID", "", "Id of the Telegram staff group that receives ticket cards (a negative number, e.g. -1001234567890). Required by `loket serve`."},
	{"LOKET_SUPERVISOR_CHAT_ID", "", "Id of the supervisors' Telegram group or channel: the daily summary and SLA breach alerts go there (breach alerts also go to the unit's group). Unset: both go to the staff group."},
	{"LOKET_HTTP_ADDR", "127.0.0.1:8080", "Address of the HTTP server: the web console, /healthz and /readyz."},
	{"LOKET_CONSOLE_URL", "", "The console's address as users open it, e.g. https://loket.sukamajukota.go.id. With https the session cookies are marked Secure (put TLS in front of LOKET_HTTP_ADDR: a reverse proxy)."},
	{"LOKET_PUBLIC_STATS", "false", "With true, /publik shows monthly figures per unit with no personal data, for transparency."},
	{"LOKET_AUTO_MIGRATE", "true", "Apply pending database migrations at start (under a lock). With false, start refuses an out-of-date schema."},
	{"LOKET_OFFICE_NAME", "Pemerintah Kota", "The office's name as citizens know it, shown in the greeting (e.g. Pemerintah Kota Sukamaju)."},
	{"LOKET_TIMEZONE", "Asia/Jakarta", "The office's time zone: Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT)."},
	{"LOKET_RESPONSE_DAYS", "1", "Working days within which officers answer a new ticket; citizens are told the deadline, computed on the office calendar."},
	{"LOKET_RESOLUTION_DAYS", "5", "Working days within which a ticket of no unit is resolved (units set their own with loket unit add); officers are alerted when it passes."},
	{"LOKET_CONSENT_BEFORE_TICKET", "true", "A citizen agrees to the privacy notice with a button before their first ticket is opened (pressing Setuju opens it at once). With false the notice is only linked from /start and /privasi, and processing rests on the office's public-service duty (UU 27/2022 Pasal 20)."},
	{"LOKET_RETENTION_DAYS", "365", "Days after a ticket is closed when what the citizen wrote and who they were are removed from it (UU 27/2022); the ticket stays for statistics. 0 keeps everything."},
	{"LOKET_CITIZEN_RATE", "20", "Fresh questions one citizen may ask a minute (in bursts of up to 8); beyond it they are asked once to slow down. Replies within a ticket, buttons and commands are never slowed. 0 turns the limit off."},
	{"LOKET_AUTOCLOSE_DAYS", "10", "Working days after which a ticket waiting for the citizen's reply (or for a rating) is closed, with notice; 0 never closes."},
	{"LOKET_OFFICE_HOURS", "", "Office hours, e.g. \"mon-thu 08:00-12:00,13:00-16:00; fri 08:00-11:30,13:00-16:30\" (Indonesian day names and 08.00 work too). Unset: Senin–Kamis 08.00–16.00 (istirahat 12.00–13.00), Jumat 08.00–16.30 (istirahat 11.30–13.00). Holidays: `loket calendar import`."},
	{"LOKET_WEBHOOK_URL", "", "Public https URL Telegram posts updates to, e.g. https://loket.sukamajukota.go.id/telegram/webhook (port 443, 80, 88 or 8443; a path of its own). The path is served on LOKET_HTTP_ADDR behind your TLS proxy. Set: `loket serve` uses the webhook (needed for several replicas behind a load balancer); unset: long polling."},
	{"LOKET_WEBHOOK_SECRET", "", "Secret token Telegram sends with every webhook call (1–256 characters A–Z, a–z, 0–9, _ and -). Unset: one is generated and kept in the database, shared by every replica."},
	{"LOKET_WEBHOOK_MAX_CONNECTIONS", "40", "Most webhook calls Telegram makes at once (1–100); one chat's messages are still handled in order."},
	{"LOKET_SPOOL_DIR", "", "Directory where updates taken while PostgreSQL is unreachable are kept until it is back (readable by Loket's user only; emptied once they are handled). Default: $STATE_DIRECTORY/spool under systemd, else loket/spool in the user's cache directory."},
	{"LOKET_LOG_FORMAT", "text", "Log format: text or json."},
	{"LOKET_LOG_LEVEL", "info", "Log level: debug, info, warn or error."},
}

// Need says which settings a command requires.
type Need struct {
	Telegram bool // token and staff chat required
	Database bool // DATABASE_URL required
}

var tokenPattern = regexp.MustCompile(`^\d+:[A-Za-z0-9_-]{20,}$`)

// Load reads the configuration from getenv and validates it for a command's needs. The
// error names the setting at fault in one line.
func Load(getenv func(string) string, need Need) (Config, error) {
	get := func(name string) string {
		v := strings.TrimSpace(getenv(name))
		if v == "" {
			for _, s := range Settings {
				if s.Name == name {
					return s.Default
				}
			}
		}
		return v
	}
	c := Config{
		TelegramToken:  get("TELEGRAM_BOT_TOKEN"),
		TelegramAPIURL: strings.TrimRight(get("TELEGRAM_API_URL"), "/"),
		DatabaseURL:    get("DATABASE_URL"),
		HTTPAddr:       get("LOKET_HTTP_ADDR"),
		LogFormat:      get("LOKET_LOG_FORMAT"),
		LogLevel:       get("LOKET_LOG_LEVEL"),
		OfficeName:     get("LOKET_OFFICE_NAME"),
		PollTimeout:    25 * time.Second,
		SpoolDir:       get("LOKET_SPOOL_DIR"),
	}
	if c.SpoolDir == "" {
		c.SpoolDir = defaultSpoolDir(getenv)
	}
	if c.TelegramToken != "" && !tokenPattern.MatchString(c.TelegramToken) {
		return c, fmt.Errorf("config: TELEGRAM_BOT_TOKEN is malformed: expected the form 123456789:AA… given by @BotFather")
	}
	if need.Telegram && c.TelegramToken == "" {
		return c, fmt.Errorf("config: TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and set its token")
	}
	u, err := url.Parse(c.TelegramAPIURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return c, fmt.Errorf("config: TELEGRAM_API_URL %q is not an http(s) URL", c.TelegramAPIURL)
	}
	if c.DatabaseURL != "" {
		if u, err := url.Parse(c.DatabaseURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			return c, fmt.Errorf("config: DATABASE_URL is not a postgres:// URL")
		}
	} else if need.Database {
		return c, fmt.Errorf("config: DATABASE_URL is not set: give the PostgreSQL URL, e.g. postgres://loket@localhost:5432/loket?sslmode=disable")
	}
	if v := get("LOKET_STAFF_CHAT_ID"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id == 0 {
			return c, fmt.Errorf("config: LOKET_STAFF_CHAT_ID %q is not a Telegram chat id (a number such as -1001234567890)", v)
		}
		c.StaffChatID = id
	} else if need.Telegram {
		return c, fmt.Errorf("config: LOKET_STAFF_CHAT_ID is not set: add the bot to the officers' group and give the group's id")
	}
	if v := get("LOKET_SUPERVISOR_CHAT_ID"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id == 0 {
			return c, fmt.Errorf("config: LOKET_SUPERVISOR_CHAT_ID %q is not a Telegram chat id (a number such as -1001234567890)", v)
		}
		c.SupervisorChatID = id
	}
	if v := get("LOKET_CONSOLE_URL"); v != "" {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return c, fmt.Errorf("config: LOKET_CONSOLE_URL %q is not an http(s) URL such as https://loket.example.go.id", v)
		}
		c.SecureCookies = u.Scheme == "https"
	}
	switch v := strings.ToLower(get("LOKET_PUBLIC_STATS")); v {
	case "true", "1", "yes":
		c.PublicStats = true
	case "false", "0", "no", "":
	default:
		return c, fmt.Errorf("config: LOKET_PUBLIC_STATS %q must be true or false", v)
	}
	days, err := strconv.Atoi(get("LOKET_RESPONSE_DAYS"))
	if err != nil || days < 1 || days > 60 {
		return c, fmt.Errorf("config: LOKET_RESPONSE_DAYS %q must be a number of working days from 1 to 60", get("LOKET_RESPONSE_DAYS"))
	}
	c.ResponseDays = days
	resolveDays, err := strconv.Atoi(get("LOKET_RESOLUTION_DAYS"))
	if err != nil || resolveDays < 1 || resolveDays > 365 {
		return c, fmt.Errorf("config: LOKET_RESOLUTION_DAYS %q must be a number of working days from 1 to 365", get("LOKET_RESOLUTION_DAYS"))
	}
	c.ResolutionDays = resolveDays
	closeDays, err := strconv.Atoi(get("LOKET_AUTOCLOSE_DAYS"))
	if err != nil || closeDays < 0 || closeDays > 365 {
		return c, fmt.Errorf("config: LOKET_AUTOCLOSE_DAYS %q must be a number of working days from 0 to 365", get("LOKET_AUTOCLOSE_DAYS"))
	}
	c.AutoCloseDays = closeDays
	citizenRate, err := strconv.Atoi(get("LOKET_CITIZEN_RATE"))
	if err != nil || citizenRate < 0 || citizenRate > 600 {
		return c, fmt.Errorf("config: LOKET_CITIZEN_RATE %q must be a number of questions a minute from 0 (no limit) to 600", get("LOKET_CITIZEN_RATE"))
	}
	c.CitizenRate = citizenRate
	retention, err := strconv.Atoi(get("LOKET_RETENTION_DAYS"))
	if err != nil || retention < 0 {
		return c, fmt.Errorf("config: LOKET_RETENTION_DAYS %q must be a number of days (0 keeps everything)", get("LOKET_RETENTION_DAYS"))
	}
	c.RetentionDays = retention
	switch v := strings.ToLower(get("LOKET_CONSENT_BEFORE_TICKET")); v {
	case "true", "1", "yes":
		c.RequireConsent = true
	case "false", "0", "no":
	default:
		return c, fmt.Errorf("config: LOKET_CONSENT_BEFORE_TICKET %q must be true or false", v)
	}
	c.OfficeHours = tickets.DefaultOfficeHours()
	if v := get("LOKET_OFFICE_HOURS"); v != "" {
		h, err := tickets.ParseOfficeHours(v)
		if err != nil {
			return c, fmt.Errorf("config: LOKET_OFFICE_HOURS: %w", err)
		}
		c.OfficeHours = h
	}
	tz := get("LOKET_TIMEZONE")
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return c, fmt.Errorf("config: LOKET_TIMEZONE %q is not a time zone such as Asia/Jakarta", tz)
	}
	c.Location = loc
	if _, _, err := net.SplitHostPort(c.HTTPAddr); err != nil {
		return c, fmt.Errorf("config: LOKET_HTTP_ADDR %q is not host:port", c.HTTPAddr)
	}
	switch v := strings.ToLower(get("LOKET_AUTO_MIGRATE")); v {
	case "true", "1", "yes":
		c.AutoMigrate = true
	case "false", "0", "no":
	default:
		return c, fmt.Errorf("config: LOKET_AUTO_MIGRATE %q must be true or false", v)
	}
	if err := loadWebhook(get, &c); err != nil {
		return c, err
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return c, fmt.Errorf("config: LOKET_LOG_FORMAT %q must be text or json", c.LogFormat)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return c, fmt.Errorf("config: LOKET_LOG_LEVEL %q must be debug, info, warn or error", c.LogLevel)
	}
	return c, nil
}

var secretPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// loadWebhook reads the webhook settings.
func loadWebhook(get func(string) string, c *Config) error {
	if v := get("LOKET_WEBHOOK_URL"); v != "" {
		u, err := url.Parse(v)
		if err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return fmt.Errorf("config: LOKET_WEBHOOK_URL %q is not a URL such as https://loket.example.go.id/telegram/webhook", v)
		}
		// Telegram posts only to https; plain http is accepted for a local test server.
		local := u.Hostname() == "localhost" || net.ParseIP(u.Hostname()).IsLoopback()
		if u.Scheme != "https" && (u.Scheme != "http" || !local) {
			return fmt.Errorf("config: LOKET_WEBHOOK_URL %q must be an https URL: Telegram posts only to https", v)
		}
		if u.Path == "" || u.Path == "/" {
			return fmt.Errorf("config: LOKET_WEBHOOK_URL %q needs a path of its own, such as /telegram/webhook (the console is served at /)", v)
		}
		c.WebhookURL, c.WebhookPath = v, u.Path
	}
	if v := get("LOKET_WEBHOOK_SECRET"); v != "" {
		if !secretPattern.MatchString(v) {
			// The value itself is never quoted: it is a secret.
			return fmt.Errorf("config: LOKET_WEBHOOK_SECRET must be 1 to 256 characters A-Z, a-z, 0-9, _ or -")
		}
		c.WebhookSecret = v
	}
	n, err := strconv.Atoi(get("LOKET_WEBHOOK_MAX_CONNECTIONS"))
	if err != nil || n < 1 || n > 100 {
		return fmt.Errorf("config: LOKET_WEBHOOK_MAX_CONNECTIONS %q must be a number from 1 to 100", get("LOKET_WEBHOOK_MAX_CONNECTIONS"))
	}
	c.WebhookMaxConnections = n
	return nil
}

// defaultSpoolDir is where the outage spool goes when LOKET_SPOOL_DIR is not set: the
// service's state directory under systemd (StateDirectory=), else the user's cache
// directory, else the temporary directory.
func defaultSpoolDir(getenv func(string) string) string {
	if dir := getenv("STATE_DIRECTORY"); dir != "" {
		return filepath.Join(strings.Split(dir, ":")[0], "spool")
	}
	if dir, err := os.UserCacheDir(); err == nil {
		return filepath.Join(dir, "loket", "spool")
	}
	return filepath.Join(os.TempDir(), "loket-spool")
}
