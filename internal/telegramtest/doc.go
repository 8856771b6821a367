// Package telegramtest is a fake Telegram Bot API server for end-to-end and
// load tests.
//
// A test starts a server, points the bot at [Server.URL] (requests arrive as
// POST {URL}/bot{token}/{method}), plays the part of citizens and officers
// through the injection helpers, and asserts on what the bot sent:
//
//	srv := telegramtest.New(telegramtest.Options{Token: "123:ABC", BotUsername: "loket_bot"})
//	defer srv.Close()
//	citizen := telegramtest.User{ID: 1001, FirstName: "Ani"}
//	srv.SendText(citizen, citizen.ID, "/start")
//	reply, err := srv.WaitFor(5*time.Second, func(s telegramtest.Sent) bool {
//		return s.ChatID == citizen.ID
//	})
//
// The server tries hard to reject what Telegram would reject, so that a
// passing test means Telegram would have accepted the same traffic:
//
//   - parameters arrive as application/x-www-form-urlencoded (what
//     go-telegram-bot-api sends, nested values being JSON strings),
//     application/json, multipart/form-data or URL query parameters;
//   - answers use the Bot API envelope ({"ok":true,"result":...} or
//     {"ok":false,"error_code":N,"description":"...","parameters":{...}})
//     with the matching HTTP status;
//   - HTML parse mode is validated strictly (see [ParseHTML]), text length is
//     counted in UTF-16 code units after entity parsing, inline keyboards,
//     callback data, reply targets, chats and callback query ids are checked;
//   - getUpdates follows Telegram's offset, long-poll, allowed_updates and
//     conflict rules, and webhooks can be set and delivered to.
//
// Every accepted send is recorded as a [Sent]; every request Telegram would
// reject is recorded as a [Rejection]; every breach of the flood limits (when
// enabled with [Server.SetRateLimits]) or of a retry_after is recorded as a
// [Violation]. Faults can be injected with [Server.FailNext], [Server.SetDown]
// and [Server.Outage] (every call answered 502, or stalled and dropped, for a
// while).
//
// The package does not import "testing", so it can also back a load-test
// tool. All methods are safe for concurrent use.
package telegramtest
