// Package bot is Loket's Telegram door: it takes updates (long polling), routes them to
// the citizen and staff dialogs, renders answers to Telegram's HTML, and sends
// everything through one outbox-fed, rate-limited sender.
//
// An update is handled in one database transaction that records its id, makes its
// changes (question log, tickets) and writes every message it causes to the outbox;
// the sender delivers the outbox afterwards. A redelivered update therefore does
// nothing twice, and a crash loses no message.
package bot
