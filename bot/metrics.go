package bot

import (
	"context"
	"errors"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/loket-id/loket/knowledge"
)

// Metrics receives what the bot counts; *metrics.Metrics (internal/metrics)
// satisfies it. The label values are those of internal/metrics: update kinds
// message, callback, edited, other; results ok, malformed, error, retry; Bot API
// results ok, 429, 4xx, 5xx, network; SLAs first_response, resolution.
type Metrics interface {
	Update(kind, result string)
	Decision(decision string)
	SearchDuration(d time.Duration)
	APICall(method, result string)
	SLABreach(sla string)
}

// SetMetrics makes the engine report updates, decisions, search times and SLA
// breaches to m (nil: report nothing). Call it before the engine handles updates.
func (e *Engine) SetMetrics(m Metrics) {
	e.metrics = m
	if m == nil {
		return
	}
	if ms, ok := e.search.(meteredSearcher); ok {
		e.search = ms.Searcher // never time a search twice
	}
	e.search = meteredSearcher{Searcher: e.search, m: m}
}

// SetMetrics makes the sender report every Bot API call, by method and result, to m
// (nil: report nothing). Call it before Run.
func (s *Sender) SetMetrics(m Metrics) {
	if ma, ok := s.api.(meteredAPI); ok {
		s.api = ma.API
	}
	if m != nil {
		s.api = meteredAPI{API: s.api, m: m}
	}
}

// observeUpdate counts a handled update by kind and result.
func (e *Engine) observeUpdate(upd tgbotapi.Update, err error) {
	if e.metrics == nil {
		return
	}
	e.metrics.Update(updateKind(upd), updateResult(err))
}

// observeBreaches counts n SLA breaches the jobs alerted.
func (e *Engine) observeBreaches(sla string, n int) {
	if e.metrics == nil {
		return
	}
	for range n {
		e.metrics.SLABreach(sla)
	}
}

// SLA names for observeBreaches.
const (
	slaFirstResponse = "first_response"
	slaResolution    = "resolution"
)

func updateKind(upd tgbotapi.Update) string {
	switch {
	case upd.Message != nil:
		return "message"
	case upd.CallbackQuery != nil:
		return "callback"
	case upd.EditedMessage != nil:
		return "edited"
	default:
		return "other"
	}
}

func updateResult(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, ErrMalformed):
		return "malformed"
	case errors.Is(err, ErrRetry):
		return "retry"
	default:
		return "error"
	}
}

// meteredSearcher times searches and counts their decisions.
type meteredSearcher struct {
	Searcher
	m Metrics
}

func (s meteredSearcher) Search(ctx context.Context, question string) (knowledge.Result, error) {
	start := time.Now()
	res, err := s.Searcher.Search(ctx, question)
	s.m.SearchDuration(time.Since(start))
	if err == nil {
		s.m.Decision(string(res.Decision))
	}
	return res, err
}

// meteredAPI counts Bot API calls by method and result.
type meteredAPI struct {
	API
	m Metrics
}

func (a meteredAPI) MakeRequest(endpoint string, params tgbotapi.Params) (*tgbotapi.APIResponse, error) {
	resp, err := a.API.MakeRequest(endpoint, params)
	a.m.APICall(endpoint, apiResult(err))
	return resp, err
}

// apiResult classifies a Bot API call's outcome: ok, 429, 4xx, 5xx, or network for
// anything that is not an answer from the Bot API (connection, timeout, bad body).
func apiResult(err error) string {
	if err == nil {
		return "ok"
	}
	var tgErr *tgbotapi.Error
	switch {
	case !errors.As(err, &tgErr):
		return "network"
	case tgErr.Code == 429 || tgErr.RetryAfter > 0:
		return "429"
	case tgErr.Code >= 500:
		return "5xx"
	default:
		return "4xx"
	}
}
