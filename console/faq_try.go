package console

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/loket-id/loket/knowledge"
)

// maxTryRunes caps the question tried.
const maxTryRunes = 1000

// tryData is the "try a question" page.
type tryData struct {
	Q string
	// Unavailable: the console runs without the live index.
	Unavailable bool
	// Ran: a question was searched; the rest is its result.
	Ran        bool
	Decision   decisionView
	Confidence string
	Threshold  string
	Hits       []tryHit
	// Top is the best hit's FAQ, for the answer preview.
	Top *knowledge.FAQ
	// NewFAQ and Alternate link to making the question a new FAQ or an alternate of
	// the best hit.
	NewFAQ, Alternate string
}

// decisionView is a search decision said for editors.
type decisionView struct {
	Code, Label, Note string
}

// tryHit is one ranked FAQ.
type tryHit struct {
	Rank                          int
	ID, Question, Score, Coverage string
	// Offered: shown to the citizen as a choice when the bot clarifies.
	Offered bool
}

// smalltalkKinds name the kinds of small talk for editors.
var smalltalkKinds = map[string]string{
	"greeting": "salam", "thanks": "ucapan terima kasih", "goodbye": "salam penutup", "affirm": "jawaban ya",
	"deny": "jawaban tidak", "bot-question": "pertanyaan tentang bot", "abuse": "kata kasar", "mood": "ungkapan perasaan",
	"test": "pesan uji coba",
}

// decisionOf says what the bot does with a search result.
func decisionOf(res knowledge.Result) decisionView {
	d := decisionView{Code: string(res.Decision)}
	switch res.Decision {
	case knowledge.DecisionAnswer:
		d.Label, d.Note = "Dijawab", "Bot langsung mengirim jawaban FAQ teratas."
	case knowledge.DecisionClarify:
		d.Label, d.Note = "Ditanya balik", "Bot bertanya \"Maksud Anda yang mana?\" dengan FAQ bertanda sebagai pilihan."
	case knowledge.DecisionEscalate:
		d.Label, d.Note = "Diteruskan ke petugas", "Bot menjawab belum punya jawaban dan menawarkan bertanya kepada petugas."
	case knowledge.DecisionSmalltalk:
		d.Label, d.Note = "Obrolan ringan", "Bot membalas singkat dengan ramah tanpa mencari FAQ"
		if kind, ok := smalltalkKinds[res.Smalltalk]; ok {
			d.Note += " (" + kind + ")"
		}
		d.Note += "."
	default:
		d.Label = string(res.Decision)
	}
	return d
}

// tryQuestion searches the live index as the bot would and shows why it decides
// what it does.
func (s *Server) tryQuestion(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if rs := []rune(q); len(rs) > maxTryRunes {
		q = string(rs[:maxTryRunes])
	}
	d := tryData{Q: q, Unavailable: s.cfg.Search == nil, Threshold: kbDecimal(knowledge.AnswerConfidence, 2)}
	if q == "" || d.Unavailable {
		s.render(w, r, http.StatusOK, "faq_try", "Coba pertanyaan", "/coba", d)
		return
	}
	res, err := s.cfg.Search.Search(ctx, q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Ran = true
	d.Decision = decisionOf(res)
	d.Confidence = kbDecimal(res.Confidence(), 2)
	offered := map[string]bool{}
	if res.Decision == knowledge.DecisionClarify {
		for _, h := range res.ClarifyOptions() {
			offered[h.ID] = true
		}
	}
	for i, h := range res.Hits {
		d.Hits = append(d.Hits, tryHit{Rank: i + 1, ID: h.ID, Question: h.Question, Score: kbDecimal(h.Score, 2),
			Coverage: strconv.Itoa(int(h.Coverage*100+0.5)) + "%", Offered: offered[h.ID]})
	}
	d.NewFAQ = "/faq/baru?" + url.Values{"pertanyaan": {q}}.Encode()
	if len(res.Hits) > 0 {
		top, err := s.cfg.Knowledge.Get(ctx, res.Hits[0].ID)
		switch {
		case err == nil:
			d.Top = &top
		case !errors.Is(err, knowledge.ErrNotFound):
			s.fail(w, r, err)
			return
		}
		if res.Decision != knowledge.DecisionAnswer {
			d.Alternate = "/tak-terjawab/alternatif?" + url.Values{"pertanyaan": {q}, "faq": {res.Hits[0].ID}}.Encode()
		}
	}
	s.render(w, r, http.StatusOK, "faq_try", "Coba pertanyaan", "/coba", d)
}

// kbDecimal writes a number with a decimal comma: "0,62".
func kbDecimal(v float64, decimals int) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', decimals, 64), ".", ",", 1)
}
