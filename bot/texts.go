package bot

import (
	"fmt"
	"strings"
)

// lang is a citizen's language: Indonesian unless their Telegram is in English.
type lang int

const (
	langID lang = iota
	langEN
)

// langOf maps a Telegram language code to the language Loket speaks.
func langOf(code string) lang {
	if strings.HasPrefix(strings.ToLower(code), "en") {
		return langEN
	}
	return langID
}

// textKey names a user-facing text in the catalog.
type textKey int

// The catalog's keys. Every user-facing text is in the catalog below.
const (
	txtStart textKey = iota
	txtHelp
	txtPrivacy
	txtNoAnswer
	txtClarify
	txtBtnHelpful
	txtBtnNotHelpful
	txtBtnOfficer
	txtThanksFeedback
	txtSorryNotHelpful
	txtTicketOpened
	txtTicketExists
	txtStatusNone
	txtStatusHead
	txtOfficerReply
	txtReplyForwarded
	txtTicketClosedCitizen
	txtTicketAlreadyClosedCitizen
	txtButtonExpired
	txtNotYours
	txtOnlyText
	txtAskOfficerPrompt
	txtEmpty
	txtError
	// Browsing (/layanan, browse.go).
	txtBrowseCategories
	txtBrowseFAQs
	txtBrowseFAQsHint
	txtBrowsePage
	txtBrowseEmpty
	txtBtnBack
	txtBtnPrevPage
	txtBtnNextPage
	// Ticket lifecycle.
	txtOfficeClosed
	txtResolutionNote
	txtRatePrompt
	txtBtnReopen
	txtThanksRating
	txtReopened
	txtReopenExpired
	txtTicketStateIs
	txtTicketTaken
	txtCancelled
	txtCancelUsage
	txtNothingToCancel
	txtNoSuchTicket
	txtAutoClosed
	txtCommentPrompt
	txtCommentSaved
	txtTimelineCreated
	txtTimelineTaken
	txtTimelineAnswered
	txtTimelineDue
	txtTimelineResolved
	txtHandedOver
	txtReportUnavailable
	txtReportPrompt
	txtReportIdentity
	txtBtnReportNamed
	txtBtnReportAnon
	txtReportCancelled
	txtReportFiled
	txtAttachmentNoTicket
	txtAttachmentForwarded
	txtAttachmentFromOfficer
	txtCaptionTooLong
	// Consent and waiting tickets.
	txtConsent
	txtBtnConsentYes
	txtBtnConsentNo
	txtConsentDeclined
	txtIntoTicket
	txtBtnNewQuestion
	// Privacy rights.
	txtMyDataHead
	txtMyDataQuestions
	txtMyDataYou
	txtMyDataOfficer
	txtMyDataFoot
	txtEraseConfirm
	txtBtnEraseYes
	txtBtnEraseNo
	txtEraseKept
	txtErased
	// Hostile input: rate limit (ratelimit.go), open-ticket cap (ticketcap.go).
	txtSlowDown
	txtTicketCap
	txtTicketCapHint
	// The database is unreachable (outage.go).
	txtOfflineKept
	txtOfflineButton
	// Small talk.
	txtSmalltalkGreeting
	txtSmalltalkThanks
	txtSmalltalkGoodbye
	txtSmalltalkBot
	txtSmalltalkAbuse
	txtSmalltalkOther
)

// catalog holds every citizen-facing text in Indonesian and English. Values are
// Telegram HTML; %s/%d verbs are filled by T with already-escaped arguments.
var catalog = map[textKey][2]string{
	txtOfflineKept: {
		"Mohon maaf, layanan kami sedang mengalami gangguan sehingga pesan Anda belum dapat diproses. Pesan Anda sudah kami simpan dan akan diproses otomatis begitu layanan pulih; Anda tidak perlu mengirim ulang. Pertanyaan umum tetap kami jawab seperti biasa.",
		"We are sorry: our service is having a disruption, so your message cannot be processed yet. It has been kept and will be processed automatically as soon as the service recovers; there is no need to send it again. General questions are still answered as usual.",
	},
	txtOfflineButton: {
		"Layanan sedang gangguan. Pilihan Anda sudah kami simpan dan akan diproses begitu layanan pulih.",
		"The service is disrupted. Your choice has been kept and will be processed as soon as the service recovers.",
	},
	txtSlowDown: {
		"Mohon tunggu sebentar 🙏 Anda mengirim banyak pesan dalam waktu singkat. Pertanyaan berikutnya akan kami jawab lagi dalam satu menit. Balasan untuk tiket Anda tetap kami terima.",
		"Please wait a moment 🙏 You have sent many messages in a short time. We will answer your questions again within a minute. Replies to your tickets still reach us.",
	},
	txtTicketCap: {
		"Mohon maaf, Anda sudah memiliki %d tiket yang masih terbuka, sehingga pertanyaan ini belum kami jadikan tiket baru:",
		"Sorry, you already have %d open tickets, so this question has not been made into a new ticket:",
	},
	txtTicketCapHint: {
		"Untuk menambahkan keterangan, balas (reply) pesan petugas pada tiket yang sesuai. Tiket yang tidak diperlukan lagi dapat dibatalkan dengan <code>/batal NOMOR</code>. Lihat perkembangannya dengan /status.",
		"To add details, reply to the officer's message on the matching ticket. A ticket you no longer need can be withdrawn with <code>/batal NUMBER</code>. Follow them with /status.",
	},
	txtCommentPrompt:    {"Ada saran untuk kami? Tulis komentar Anda di sini, atau abaikan saja.", "Any suggestions? Write your comment here, or just ignore this."},
	txtCommentSaved:     {"Terima kasih, komentar Anda untuk tiket #%d kami catat. Bila tadi Anda ingin bertanya, silakan tulis lagi pertanyaannya.", "Thank you, your comment on ticket #%d is recorded. If you meant to ask a question, please write it again."},
	txtTimelineCreated:  {"Dibuat", "Created"},
	txtTimelineTaken:    {"Ditangani petugas", "Taken by an officer"},
	txtTimelineAnswered: {"Dijawab", "Answered"},
	txtTimelineDue:      {"Tanggapan paling lambat", "Answer due by"},
	txtTimelineResolved: {"Diselesaikan", "Resolved"},
	txtStart: {
		"Selamat datang di <b>Loket</b>, layanan tanya jawab %s.\nTulis pertanyaan Anda tentang layanan publik; kami jawab seketika, atau kami teruskan ke petugas. Baca /privasi untuk cara kami menjaga data Anda.",
		"Welcome to <b>Loket</b>, the help desk of %s.\nWrite your question about public services; we answer at once, or pass it to an officer. See /privasi for how we protect your data.",
	},
	txtHelp: {
		"<b>Cara memakai Loket</b>\n\n• Tulis pertanyaan Anda dengan kata-kata sendiri, misalnya: <i>syarat membuat KTP baru</i>.\n• Bila jawaban belum membantu, tekan <b>Tanya petugas</b>: pertanyaan Anda menjadi tiket dan dijawab petugas.\n• Untuk menanggapi petugas, balas (reply) pesan petugas.\n\n/layanan — lihat daftar layanan dan pertanyaan umum\n/status — lihat tiket Anda\n/petugas — tanya langsung ke petugas\n/privasi — cara kami menjaga data Anda\n/datasaya — lihat data Anda yang kami simpan\n/hapusdata — hapus data Anda",
		"<b>How to use Loket</b>\n\n• Write your question in your own words, e.g. <i>requirements for a new ID card</i>.\n• If the answer does not help, press <b>Ask an officer</b>: your question becomes a ticket that an officer answers.\n• To answer the officer, reply to the officer's message.\n\n/layanan — browse services and common questions\n/status — see your tickets\n/petugas — ask an officer directly\n/privasi — how we protect your data\n/datasaya — see the data we keep about you\n/hapusdata — erase your data",
	},
	txtPrivacy: {
		"<b>Pemberitahuan privasi</b>\n\nKami menyimpan nama tampilan dan ID Telegram Anda, serta pertanyaan dan pesan yang Anda kirim, hanya untuk menjawab dan menindaklanjuti pertanyaan Anda dan untuk memperbaiki layanan. Nomor telepon tidak kami minta; NIK dan nomor telepon yang Anda tulis disamarkan di catatan pertanyaan.\n\nPesan dalam tiket hanya dibaca petugas yang menanganinya. Anda berhak melihat dan menghapus data Anda (UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi): kirim /datasaya untuk melihatnya dan /hapusdata untuk menghapusnya.",
		"<b>Privacy notice</b>\n\nWe keep your Telegram display name and ID, and the questions and messages you send, only to answer and follow up your questions and to improve the service. We never ask for your phone number; ID numbers (NIK) and phone numbers you write are masked in our question log.\n\nMessages in a ticket are read only by the officers handling it. You may see and erase your data (Law No. 27 of 2022 on Personal Data Protection): send /datasaya to see it and /hapusdata to erase it.",
	},
	txtNoAnswer: {
		"Maaf, kami belum punya jawaban untuk pertanyaan itu.\nPetugas kami dapat membantu: tekan <b>Tanya petugas</b> untuk meneruskan pertanyaan Anda.",
		"Sorry, we don't have an answer to that question yet.\nOur officers can help: press <b>Ask an officer</b> to pass your question on.",
	},
	txtClarify: {
		"Maksud Anda yang mana?",
		"Which one do you mean?",
	},
	txtBtnHelpful:    {"👍 Membantu", "👍 Helpful"},
	txtBtnNotHelpful: {"👎 Tidak membantu", "👎 Not helpful"},
	txtBtnOfficer:    {"🙋 Tanya petugas", "🙋 Ask an officer (petugas)"},
	txtThanksFeedback: {
		"Terima kasih atas masukan Anda.",
		"Thank you for your feedback.",
	},
	txtSorryNotHelpful: {
		"Maaf jawabannya belum membantu. Tekan <b>Tanya petugas</b> agar pertanyaan Anda dijawab petugas, atau tulis pertanyaan dengan kata lain.",
		"Sorry the answer did not help. Press <b>Ask an officer</b> to have an officer answer, or rephrase your question.",
	},
	txtTicketOpened: {
		"Pertanyaan Anda sudah kami teruskan ke petugas.\n\nNomor tiket: <b>#%d</b>\nPerkiraan tanggapan: paling lambat <b>%s</b>.\n\nBalasan petugas akan muncul di sini. Lihat perkembangannya dengan /status.",
		"Your question has been passed to an officer.\n\nTicket number: <b>#%d</b>\nExpected response: by <b>%s</b> at the latest.\n\nThe officer's reply will appear here. Follow it with /status.",
	},
	txtTicketExists: {
		"Pertanyaan ini sudah menjadi tiket <b>#%d</b>. Lihat perkembangannya dengan /status.",
		"This question is already ticket <b>#%d</b>. Follow it with /status.",
	},
	txtStatusNone: {
		"Anda belum punya tiket. Tulis pertanyaan Anda, atau gunakan /petugas untuk bertanya langsung ke petugas.",
		"You have no tickets yet. Write your question, or use /petugas to ask an officer directly.",
	},
	txtStatusHead: {"<b>Tiket Anda</b>", "<b>Your tickets</b>"},
	txtOfficerReply: {
		"<b>Balasan petugas untuk tiket #%d:</b>\n\n%s\n\n<i>Balas (reply) pesan ini untuk menanggapi petugas.</i>",
		"<b>Officer's reply on ticket #%d:</b>\n\n%s\n\n<i>Reply to this message to answer the officer.</i>",
	},
	txtReplyForwarded: {
		"Pesan Anda sudah kami teruskan ke petugas (tiket #%d).",
		"Your message has been passed to the officer (ticket #%d).",
	},
	txtTicketClosedCitizen: {
		"Tiket <b>#%d</b> telah diselesaikan oleh petugas. Terima kasih telah menghubungi kami.\nBila masih ada yang perlu ditanyakan, silakan tulis pertanyaan baru.",
		"Ticket <b>#%d</b> has been resolved by an officer. Thank you for contacting us.\nIf you need anything else, just write a new question.",
	},
	txtTicketAlreadyClosedCitizen: {
		"Tiket #%d sudah selesai, jadi pesan Anda tidak kami teruskan. Silakan tulis pertanyaan baru, atau gunakan /petugas.",
		"Ticket #%d is already resolved, so your message was not passed on. Please write a new question, or use /petugas.",
	},
	txtButtonExpired: {
		"Maaf, tombol ini sudah tidak berlaku.",
		"Sorry, this button is no longer valid.",
	},
	txtNotYours: {
		"Maaf, tombol ini bukan untuk Anda.",
		"Sorry, this button is not for you.",
	},
	txtOnlyText: {
		"Maaf, untuk saat ini Loket hanya dapat membaca pesan teks. Silakan tulis pertanyaan Anda.",
		"Sorry, for now Loket can only read text messages. Please write your question.",
	},
	txtAskOfficerPrompt: {
		"Silakan tulis pertanyaan atau keluhan Anda dalam satu pesan; kami teruskan ke petugas.",
		"Please write your question or complaint in one message; we will pass it to an officer.",
	},
	txtEmpty: {
		"Silakan tulis pertanyaan Anda, misalnya: <i>syarat membuat KTP baru</i>.",
		"Please write your question, e.g. <i>requirements for a new ID card</i>.",
	},
	txtOfficeClosed:   {"Kantor sedang tutup; petugas mulai bekerja kembali %s.", "The office is closed now; officers are back %s."},
	txtResolutionNote: {"<b>Catatan petugas:</b> %s", "<b>Officer's note:</b> %s"},
	txtRatePrompt: {
		"Seberapa puas Anda dengan layanan kami? Pilih 1 (tidak puas) sampai 5 (sangat puas). Bila masalahnya belum beres, tekan <b>Masih bermasalah</b>.",
		"How satisfied are you with our service? Choose 1 (not satisfied) to 5 (very satisfied). If the problem is not solved, press <b>Still a problem</b>.",
	},
	txtBtnReopen:    {"🔁 Masih bermasalah", "🔁 Still a problem"},
	txtThanksRating: {"Terima kasih atas penilaian Anda. Masukan Anda membantu kami memperbaiki layanan.", "Thank you for your rating. It helps us improve our service."},
	txtReopened: {
		"Tiket <b>#%d</b> kami buka kembali dan sudah diteruskan ke petugas. Silakan jelaskan apa yang masih bermasalah dengan membalas (reply) pesan petugas.",
		"Ticket <b>#%d</b> is open again and back with the officers. Please explain what is still wrong by replying to the officer's message.",
	},
	txtReopenExpired: {"Maaf, tiket hanya bisa dibuka kembali dalam 7 hari. Silakan ajukan pertanyaan baru lewat /petugas.", "Sorry, a ticket can only be reopened within 7 days. Please ask again through /petugas."},
	txtTicketStateIs: {"Tiket #%d saat ini berstatus: %s.", "Ticket #%d is now: %s."},
	txtTicketTaken: {
		"Tiket <b>#%d</b> sedang ditangani petugas. Balasan petugas akan muncul di sini.",
		"Ticket <b>#%d</b> is being handled by an officer. Their reply will appear here.",
	},
	txtCancelled:       {"Tiket <b>#%d</b> sudah dibatalkan. Terima kasih.", "Ticket <b>#%d</b> has been cancelled. Thank you."},
	txtCancelUsage:     {"Untuk membatalkan tiket, kirim /batal atau /batal dengan nomor tiketnya, misalnya <code>/batal 12</code>.", "To cancel a ticket, send /batal, or /batal with its number, e.g. <code>/batal 12</code>."},
	txtNothingToCancel: {"Anda tidak punya tiket yang sedang berjalan. Lihat semua tiket Anda dengan /status.", "You have no open ticket. See all your tickets with /status."},
	txtNoSuchTicket:    {"Tiket #%d tidak ditemukan di antara tiket Anda. Lihat /status.", "Ticket #%d is not one of yours. See /status."},
	txtHandedOver:      {"Tiket <b>#%d</b> kini ditangani oleh <b>%s</b>. Balasan petugas akan tetap muncul di sini.", "Ticket <b>#%d</b> is now handled by <b>%s</b>. The officer's reply will still appear here."},
	txtReportUnavailable: {
		"Maaf, layanan laporan rahasia belum disiapkan di kantor ini. Anda dapat melapor melalui SP4N-LAPOR! di www.lapor.go.id.",
		"Sorry, confidential reports are not set up at this office yet. You can report through SP4N-LAPOR! at www.lapor.go.id.",
	},
	txtReportPrompt: {
		"<b>Laporan rahasia</b>\n\nLaporkan pungutan liar (pungli), permintaan suap, atau perilaku petugas yang tidak patut. Laporan Anda hanya dibaca oleh <b>%s</b>, tidak pernah oleh unit yang Anda laporkan.\n\nTuliskan dalam satu pesan: apa yang terjadi, kapan, di mana, dan siapa yang terlibat (bila tahu). Sesudah itu Anda dapat memilih untuk tetap anonim.",
		"<b>Confidential report</b>\n\nReport illegal fees (pungli), a bribe request or an officer's misconduct. Your report is read only by <b>%s</b>, never by the unit you report.\n\nWrite in one message: what happened, when, where, and who was involved (if known). You can then choose to stay anonymous.",
	},
	txtReportIdentity: {
		"Laporan Anda siap dikirim ke %s. Apakah nama Anda boleh ditampilkan kepada mereka? Bila memilih anonim, tidak ada petugas yang melihat identitas Anda; mereka tetap dapat membalas lewat Loket.",
		"Your report is ready for %s. May they see your name? If you choose anonymous, no officer sees who you are; they can still reply through Loket.",
	},
	txtBtnReportNamed:  {"Kirim dengan nama saya", "Send with my name"},
	txtBtnReportAnon:   {"🕶 Kirim tanpa nama (anonim)", "🕶 Send anonymously"},
	txtReportCancelled: {"Laporan tidak dikirim.", "The report was not sent."},
	txtReportFiled: {
		"Laporan Anda kami terima sebagai tiket <b>#%d</b> dan hanya dapat dibaca oleh <b>%s</b>. Tanggapan akan muncul di sini; lihat perkembangannya dengan /status. Terima kasih atas keberanian Anda.",
		"Your report was received as ticket <b>#%d</b> and can be read only by <b>%s</b>. Replies will appear here; follow it with /status. Thank you for your courage.",
	},
	txtAttachmentNoTicket: {
		"Foto atau dokumen hanya dapat kami teruskan sebagai bagian dari tiket. Tulis dulu pertanyaan Anda (atau /petugas), lalu kirim lampirannya sebagai balasan (reply) pesan petugas.",
		"We can only pass on photos or documents as part of a ticket. Write your question first (or /petugas), then send the attachment as a reply to the officer's message.",
	},
	txtAttachmentForwarded:   {"Lampiran Anda sudah kami teruskan ke petugas (tiket #%d).", "Your attachment has been passed to the officer (ticket #%d)."},
	txtAttachmentFromOfficer: {"Lampiran dari petugas untuk tiket #%d.", "Attachment from the officer on ticket #%d."},
	txtCaptionTooLong:        {"Keterangan lampiran terlalu panjang (paling banyak 1.024 karakter). Kirim ulang dengan keterangan lebih pendek, atau tulis penjelasannya sebagai pesan terpisah.", "The caption is too long (1,024 characters at most). Send it again with a shorter caption, or write the explanation as a separate message."},
	txtAutoClosed: {
		"Tiket <b>#%d</b> kami tutup karena belum ada tanggapan dari Anda selama %d hari kerja. Bila masih memerlukan bantuan, silakan ajukan lagi lewat /petugas.",
		"Ticket <b>#%d</b> was closed because we had no reply from you for %d working days. If you still need help, please ask again through /petugas.",
	},
	txtConsent: {
		"Sebelum pertanyaan Anda kami teruskan ke petugas:\n\n• Kami menyimpan nama tampilan dan ID Telegram Anda serta pesan dalam tiket, hanya untuk menindaklanjuti pertanyaan Anda dan mengukur mutu layanan.\n• Pesan dibaca petugas unit yang menangani; NIK dan nomor telepon disamarkan di grup petugas.\n• Data disimpan selama diperlukan untuk pelayanan; Anda dapat melihatnya dengan /datasaya dan menghapusnya dengan /hapusdata.\n\nApakah Anda setuju?",
		"Before we pass your question to an officer:\n\n• We keep your Telegram display name and ID and the messages in the ticket, only to follow up your question and measure our service.\n• Messages are read by the officers of the unit handling it; ID and phone numbers are masked in the officers' group.\n• Data is kept as long as the service needs it; see it with /datasaya and erase it with /hapusdata.\n\nDo you agree?",
	},
	txtBtnConsentYes:   {"✅ Setuju", "✅ I agree"},
	txtBtnConsentNo:    {"Tidak setuju", "I do not agree"},
	txtConsentDeclined: {"Baik, pertanyaan Anda tidak kami teruskan ke petugas. Anda tetap bisa bertanya kepada Loket kapan saja, atau menghubungi kantor kami secara langsung.", "All right, your question was not passed on. You can still ask Loket at any time, or contact our office directly."},
	txtIntoTicket: {
		"Pesan Anda kami teruskan ke petugas sebagai tanggapan untuk tiket <b>#%d</b>. Bila ini pertanyaan baru, tekan tombol di bawah.",
		"Your message was passed to the officer as your reply on ticket <b>#%d</b>. If it is a new question, press the button below.",
	},
	txtBtnNewQuestion: {"❓ Ini pertanyaan baru", "❓ This is a new question"},
	txtMyDataHead: {
		"<b>Data Anda di Loket</b>\n\nNama tampilan: %s\nID Telegram: <code>%d</code>\nPertama menghubungi: %s\nPertanyaan tercatat: %d\nTiket: %d",
		"<b>Your data at Loket</b>\n\nDisplay name: %s\nTelegram ID: <code>%d</code>\nFirst contact: %s\nQuestions logged: %d\nTickets: %d",
	},
	txtMyDataQuestions: {"<b>Pertanyaan terakhir</b> (NIK dan nomor telepon disamarkan):", "<b>Latest questions</b> (ID and phone numbers masked):"},
	txtMyDataYou:       {"Anda", "You"},
	txtMyDataOfficer:   {"Petugas", "Officer"},
	txtMyDataFoot:      {"Untuk menghapus data Anda, kirim /hapusdata.", "To erase your data, send /hapusdata."},
	txtEraseConfirm: {
		"Hapus data pribadi Anda dari Loket? Nama Anda dan semua yang Anda tulis akan dihapus, dan tiket yang masih berjalan dibatalkan. Tiket disimpan tanpa identitas dan isi, hanya untuk statistik layanan. Tindakan ini tidak bisa dibatalkan.",
		"Erase your personal data from Loket? Your name and everything you wrote will be deleted, and open tickets cancelled. Tickets are kept without identity or content, only for service statistics. This cannot be undone.",
	},
	txtBtnEraseYes: {"Ya, hapus data saya", "Yes, erase my data"},
	txtBtnEraseNo:  {"Batal", "Cancel"},
	txtEraseKept:   {"Baik, data Anda tidak dihapus.", "All right, your data was not erased."},
	txtErased: {
		"Data pribadi Anda sudah kami hapus. Terima kasih telah menggunakan Loket. Bila Anda menulis lagi, kami akan mencatatnya sebagai kontak baru.",
		"Your personal data has been erased. Thank you for using Loket. If you write again, we will record it as a new contact.",
	},
	txtSmalltalkGreeting: {
		"Halo, selamat datang di Loket. Silakan tulis pertanyaan Anda tentang layanan publik, atau lihat daftar layanan dengan /layanan.",
		"Hello, welcome to Loket. Please write your question about public services, or browse the services with /layanan.",
	},
	txtSmalltalkThanks: {
		"Sama-sama. Senang dapat membantu. Bila ada pertanyaan lain, silakan tulis saja.",
		"You're welcome. Glad to help. If you have another question, just write it.",
	},
	txtSmalltalkGoodbye: {
		"Terima kasih telah menghubungi Loket. Sampai jumpa.",
		"Thank you for contacting Loket. Goodbye.",
	},
	txtSmalltalkBot: {
		"Loket adalah layanan tanya jawab otomatis. Bila Anda ingin dilayani petugas, tekan <b>Tanya petugas</b> atau kirim /petugas.",
		"Loket is an automated help desk. To be served by an officer, press <b>Ask an officer</b> or send /petugas.",
	},
	txtSmalltalkAbuse: {
		"Mohon maaf bila jawaban kami belum membantu. Silakan tulis pertanyaan Anda dengan kata lain, atau kirim /petugas agar dijawab petugas.",
		"We are sorry our answers have not helped. Please rephrase your question, or send /petugas to have an officer answer.",
	},
	txtSmalltalkOther: {
		"Baik. Silakan tulis pertanyaan Anda tentang layanan publik, atau lihat /layanan.",
		"All right. Please write your question about public services, or see /layanan.",
	},
	txtError: {
		"Maaf, terjadi gangguan di sistem kami. Silakan coba lagi beberapa saat lagi.",
		"Sorry, something went wrong on our side. Please try again in a moment.",
	},
	// Browsing (/layanan, browse.go).
	txtBrowseCategories: {"Pilih kategori layanan:", "Choose a service category:"},
	txtBrowseFAQs:       {"<b>%s</b>\nPilih pertanyaan:", "<b>%s</b>\nChoose a question:"},
	txtBrowseFAQsHint: {
		"Tidak ada yang cocok? Tulis pertanyaan Anda, atau gunakan /petugas.",
		"Nothing fits? Write your question, or use /petugas.",
	},
	txtBrowsePage: {"<i>Halaman %d dari %d</i>", "<i>Page %d of %d</i>"},
	txtBrowseEmpty: {
		"Maaf, belum ada layanan yang terdaftar di Loket.\nSilakan tulis pertanyaan Anda, atau gunakan /petugas untuk bertanya langsung ke petugas.",
		"Sorry, no services are listed yet.\nPlease write your question, or use /petugas to ask an officer directly.",
	},
	txtBtnBack:     {"« Kembali", "« Back"},
	txtBtnPrevPage: {"« Sebelumnya", "« Previous"},
	txtBtnNextPage: {"Berikutnya »", "Next »"},
}

// T returns a catalog text in a language, filled with args (escape them first).
func T(l lang, key textKey, args ...any) string {
	s := catalog[key][l]
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// Staff-facing texts, in Indonesian (officers and editors read Indonesian). Values are
// Telegram HTML filled with fmt.Sprintf.
const (
	staffNotRegistered      = "Maaf, %s, hanya petugas terdaftar yang dapat menanggapi tiket. Minta admin mendaftarkan Anda (ID Telegram Anda: <code>%d</code>)."
	staffReplyHint          = "Balas (reply) kartu ini untuk menjawab warga; /catatan untuk catatan internal; /selesai dan catatan penyelesaian untuk menyelesaikannya."
	staffUseReply           = "Untuk menutup tiket, balas (reply) kartu tiketnya dengan /selesai."
	staffSent               = "✉️ Terkirim ke warga (tiket #%d) oleh %s."
	staffLinkUsage          = "Kirim <code>/tautkan KODE</code> dengan kode dari halaman Akun di konsol Loket."
	staffLinkBadCode        = "Kode itu tidak dikenal atau sudah kedaluwarsa (berlaku 15 menit). Buat kode baru di halaman Akun di konsol."
	staffLinkTaken          = "Akun Telegram ini sudah terdaftar untuk petugas lain. Minta admin menautkannya dengan <code>loket user add --telegram %d</code>."
	staffLinked             = "✅ Akun konsol <b>%s</b> kini tertaut ke akun Telegram ini. Tindakan Anda di grup petugas dan di konsol tercatat atas nama yang sama."
	staffConsoleReply       = "💻 <b>%s</b> menjawab dari konsol:\n%s"
	staffClosed             = "✅ Tiket #%d diselesaikan oleh %s."
	staffAlreadyClosed      = "Tiket #%d sudah %s; pesan tidak dikirim ke warga."
	staffDueSoon            = "⏰ Tiket #%d belum ditanggapi; batas waktunya %s."
	staffBreached           = "🚨 Tiket #%d melewati batas waktu tanggapan (%s). Mohon segera ditanggapi."
	staffResolutionBreached = "🚨 Tiket #%d melewati batas waktu penyelesaian (%s)."
	staffAlertWho           = "Unit: %s · Petugas: %s"
	staffSummaryHead        = "📊 <b>Ringkasan harian</b> — %s"
	staffSummaryEmpty       = "Tidak ada tiket terbuka dan tidak ada tiket baru dalam 24 jam terakhir."
	staffSummaryRow         = "\n\n<b>%s</b>: %d terbuka, %d lewat batas waktu; 24 jam terakhir %d masuk, %d selesai"
	staffSummaryRating      = "; nilai rata-rata %s (%d penilaian)"
	staffAutoClosed         = "🔒 Tiket #%d ditutup otomatis: tidak ada tanggapan warga selama %d hari kerja."
	staffCaptionTooLong     = "Keterangan lampiran terlalu panjang untuk diteruskan; kirim ulang dengan keterangan lebih pendek."
	staffNotYourUnit        = "Maaf, tiket #%d ditangani unit lain; Anda tidak terdaftar di unit tersebut."
	staffHandoverUsage      = "Untuk mengalihkan, balas kartu dengan <code>/alihkan KODE-UNIT catatan</code>. Unit yang ada: %s."
	staffHandedOver         = "↪️ Tiket #%d dialihkan ke %s oleh %s."
	staffNoUnits            = "Belum ada unit lain untuk dialihkan; admin menambahkannya dengan loket unit add."
	staffHandoverPick       = "Alihkan tiket #%d ke unit:"
	staffNoHandoverReport   = "Laporan rahasia tidak dapat dialihkan ke unit lain."
	staffNoteUsage          = "Tulis catatan setelah perintahnya, misalnya: <code>/catatan menunggu data dari kelurahan</code>. Catatan internal tidak dikirim ke warga."
	staffNoteSaved          = "📝 Catatan internal untuk tiket #%d disimpan (tidak dikirim ke warga)."
	staffCannot             = "Tiket #%d sudah %s; tindakan ini tidak bisa dilakukan."
	staffTakenBy            = "Tiket #%d sudah diambil oleh %s."
	staffYouTook            = "Anda mengambil tiket #%d."
	staffRated              = "Warga menilai tiket #%d: %s"
	staffReopened           = "🔁 Warga membuka kembali tiket #%d: masih bermasalah."
	staffCancelled          = "✖️ Warga membatalkan tiket #%d."
	staffNotRegisteredShort = "Maaf, hanya petugas terdaftar yang dapat menangani tiket (ID Telegram Anda: %d)."
	staffOnlyText           = "Untuk saat ini hanya balasan teks yang dapat diteruskan ke warga."
	staffOffline            = "⚠️ Basis data Loket sedang tidak dapat dihubungi. Pesan dan tindakan Anda tersimpan dan akan diproses otomatis begitu pulih; tidak perlu dikirim ulang."
)
