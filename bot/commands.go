package bot

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/jmoiron/sqlx"
)

// commandMenu is the command menu shown by Telegram, per language.
var commandMenu = map[string][][2]string{
	"": {
		{"start", "Mulai dan lihat penjelasan singkat"},
		{"layanan", "Lihat daftar layanan"}, // browse.go
		{"bantuan", "Cara memakai Loket"},
		{"status", "Lihat tiket Anda"},
		{"petugas", "Tanya langsung ke petugas"},
		{"batal", "Batalkan tiket Anda"},
		{"lapor", "Laporan rahasia: pungli, suap, perilaku petugas"},
		{"privasi", "Cara kami menjaga data Anda"},
		{"datasaya", "Lihat data Anda yang kami simpan"},
		{"hapusdata", "Hapus data Anda"},
	},
	"en": {
		{"start", "Start and see a short introduction"},
		{"layanan", "Browse services"}, // browse.go
		{"bantuan", "How to use Loket"},
		{"status", "See your tickets"},
		{"petugas", "Ask an officer directly"},
		{"batal", "Cancel your ticket"},
		{"lapor", "Confidential report: illegal fees, bribes, misconduct"},
		{"privasi", "How we protect your data"},
		{"datasaya", "See the data we keep about you"},
		{"hapusdata", "Erase your data"},
	},
}

// EnqueueCommands writes the setMyCommands calls (Indonesian by default, English for
// English-language users) to the outbox.
func EnqueueCommands(ctx context.Context, db *sqlx.DB) error {
	var outs []Out
	for lang, cmds := range commandMenu {
		list := make([]map[string]string, len(cmds))
		for i, c := range cmds {
			list[i] = map[string]string{"command": c[0], "description": c[1]}
		}
		b, _ := json.Marshal(list)
		p := map[string]string{"commands": string(b)}
		if lang != "" {
			p["language_code"] = lang
		}
		outs = append(outs, Out{ChatID: 0, Method: "setMyCommands", Params: p})
	}
	return enqueue(ctx, db, outs)
}

// redactToken removes the bot token from a text (the library's errors contain URLs).
func redactToken(s, token string) string {
	if token == "" {
		return s
	}
	return strings.ReplaceAll(s, token, "<token>")
}
