// Package metrics exposes Loket's Prometheus metrics at /metrics: counters and
// histograms the bot updates as it works (updates, decisions, search latency, Bot API
// calls, SLA breaches), gauges read from PostgreSQL at scrape time (tickets by state,
// outbox depth and age, response and resolution times), the index size, and the Go
// runtime and process. It has its own registry: nothing is registered globally.
//
// docs/metrics.md says what each metric means and when to worry.
package metrics

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// namespace prefixes every Loket metric.
const namespace = "loket"

// Label values the bot reports. Values outside these sets are counted as given; the
// callers use these constants so the series stay few.
const (
	KindMessage  = "message"
	KindCallback = "callback"
	KindEdited   = "edited"
	KindOther    = "other"

	ResultOK        = "ok"
	ResultMalformed = "malformed"
	ResultError     = "error"
	ResultRetry     = "retry"

	APIResultOK      = "ok"
	APIResult429     = "429"
	APIResult4xx     = "4xx"
	APIResult5xx     = "5xx"
	APIResultNetwork = "network"

	BreachFirstResponse = "first_response"
	BreachResolution    = "resolution"
)

// Options configure New.
type Options struct {
	// DB is read at scrape time for tickets and the outbox; nil leaves those out.
	DB *sqlx.DB
	// IndexSize returns the number of FAQs in the search index; nil leaves it out.
	IndexSize func() int
	// Kept returns how many updates wait in the outage spool for the database; nil
	// leaves it out.
	Kept func() int
	// CacheFor is how long database readings are reused between scrapes (default 5 s).
	CacheFor time.Duration
	// QueryTimeout bounds the database queries of one scrape (default 2 s).
	QueryTimeout time.Duration
	// Log receives scrape failures; nil discards them.
	Log *slog.Logger
}

// Metrics holds the registry and the instruments the bot updates. Its methods are
// safe for concurrent use; a nil *Metrics is not usable (pass a nil interface to the
// bot instead).
type Metrics struct {
	reg       *prometheus.Registry
	updates   *prometheus.CounterVec
	decisions *prometheus.CounterVec
	search    prometheus.Histogram
	apiCalls  *prometheus.CounterVec
	throttled prometheus.Counter
	breaches  *prometheus.CounterVec
}

// searchBuckets run from 0.5 ms to 1 s; 50 ms is the bound docs/metrics.md alerts on.
var searchBuckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1}

// New returns Metrics with the bot's instruments, the database and index collectors
// the options allow, and the Go runtime and process collectors registered.
func New(o Options) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		updates: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "updates_total",
			Help: "Telegram updates handled, by kind (message, callback, edited, other) and result (ok, malformed, error, retry).",
		}, []string{"kind", "result"}),
		decisions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "decisions_total",
			Help: "Knowledge-base decisions on citizens' questions (answer, clarify, escalate, smalltalk).",
		}, []string{"decision"}),
		search: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: namespace, Name: "search_duration_seconds",
			Help:    "Time to search the knowledge base for one question.",
			Buckets: searchBuckets,
		}),
		apiCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "telegram_api_calls_total",
			Help: "Bot API calls made by the sender, by method and result (ok, 429, 4xx, 5xx, network).",
		}, []string{"method", "result"}),
		throttled: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: namespace, Name: "telegram_429_total",
			Help: "Bot API calls answered 429 Too Many Requests (the sender waited and retried).",
		}),
		breaches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "sla_breaches_total",
			Help: "SLA breaches alerted by the ticket jobs, by deadline (first_response, resolution).",
		}, []string{"sla"}),
	}
	// Series that exist from the start, so rate() and alerts see zeros, not nothing.
	for _, k := range []string{KindMessage, KindCallback, KindEdited, KindOther} {
		for _, r := range []string{ResultOK, ResultError} {
			m.updates.WithLabelValues(k, r)
		}
	}
	m.updates.WithLabelValues(KindOther, ResultMalformed)
	for _, d := range []string{"answer", "clarify", "escalate", "smalltalk"} {
		m.decisions.WithLabelValues(d)
	}
	m.breaches.WithLabelValues(BreachFirstResponse)
	m.breaches.WithLabelValues(BreachResolution)

	m.reg.MustRegister(m.updates, m.decisions, m.search, m.apiCalls, m.throttled, m.breaches,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if o.IndexSize != nil {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Namespace: namespace, Name: "index_faqs",
			Help: "FAQs in the in-memory search index.",
		}, func() float64 { return float64(o.IndexSize()) }))
	}
	if o.Kept != nil {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Namespace: namespace, Name: "outage_kept_updates",
			Help: "Updates kept on local disk while the database was unreachable, not yet handled.",
		}, func() float64 { return float64(o.Kept()) }))
	}
	if o.DB != nil {
		m.reg.MustRegister(newDBCollector(o))
	}
	return m
}

// Registry is the registry, for tests and for registering more collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics in the Prometheus exposition format. Mount it at
// /metrics on an address that is not public (see docs/metrics.md).
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		Registry:            m.reg, // promhttp_metric_handler_errors_total
		ErrorHandling:       promhttp.ContinueOnError,
		MaxRequestsInFlight: 4,
		Timeout:             10 * time.Second,
	})
}

// Update counts one update of a kind with its result.
func (m *Metrics) Update(kind, result string) { m.updates.WithLabelValues(kind, result).Inc() }

// Decision counts one knowledge-base decision.
func (m *Metrics) Decision(decision string) { m.decisions.WithLabelValues(decision).Inc() }

// SearchDuration observes how long one search took.
func (m *Metrics) SearchDuration(d time.Duration) { m.search.Observe(d.Seconds()) }

// APICall counts one Bot API call; a 429 is also counted in telegram_429_total.
func (m *Metrics) APICall(method, result string) {
	m.apiCalls.WithLabelValues(method, result).Inc()
	if result == APIResult429 {
		m.throttled.Inc()
	}
}

// SLABreach counts one breach of a deadline (BreachFirstResponse, BreachResolution).
func (m *Metrics) SLABreach(sla string) { m.breaches.WithLabelValues(sla).Inc() }
