// Package logctx carries correlation ids in a context and adds them to log records:
// an update_id for everything logged while the bot handles a Telegram update, a
// request_id for everything logged while the console serves an HTTP request.
//
// Only records logged with a context (Logger.InfoContext and the like, or through
// Middleware's access line) carry the ids: slog has no other way to see the context.
package logctx

import (
	"context"
	"log/slog"
)

type updateKey struct{}

type requestKey struct{}

// WithUpdateID returns ctx carrying a Telegram update id; 0 (no update id, as in the
// terminal chat) leaves ctx as it is.
func WithUpdateID(ctx context.Context, id int) context.Context {
	if id == 0 {
		return ctx
	}
	return context.WithValue(ctx, updateKey{}, int64(id))
}

// UpdateID returns the update id ctx carries, if any.
func UpdateID(ctx context.Context) (int64, bool) {
	id, ok := ctx.Value(updateKey{}).(int64)
	return id, ok
}

// WithRequestID returns ctx carrying an HTTP request id.
func WithRequestID(ctx context.Context, id string) context.Context {
	if id == "" {
		return ctx
	}
	return context.WithValue(ctx, requestKey{}, id)
}

// RequestID returns the request id ctx carries, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestKey{}).(string)
	return id
}

// Handler adds the ids a record's context carries to the record, then passes it on.
type Handler struct {
	next slog.Handler
}

// NewHandler wraps next so that records logged with a context carry its ids.
func NewHandler(next slog.Handler) *Handler { return &Handler{next: next} }

// Enabled reports whether next handles records of level l.
func (h *Handler) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

// Handle adds update_id and request_id from ctx, when present, and passes r on.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	if ctx != nil {
		if id, ok := UpdateID(ctx); ok && !hasAttr(r, "update_id") {
			r = r.Clone()
			r.AddAttrs(slog.Int64("update_id", id))
		}
		if id := RequestID(ctx); id != "" && !hasAttr(r, "request_id") {
			r = r.Clone()
			r.AddAttrs(slog.String("request_id", id))
		}
	}
	return h.next.Handle(ctx, r)
}

// WithAttrs returns a Handler whose next handler has the attributes.
func (h *Handler) WithAttrs(as []slog.Attr) slog.Handler {
	return &Handler{next: h.next.WithAttrs(as)}
}

// WithGroup returns a Handler whose next handler opens the group.
func (h *Handler) WithGroup(name string) slog.Handler {
	return &Handler{next: h.next.WithGroup(name)}
}

// hasAttr reports whether the record already has a top-level attribute key, so a
// call that logs update_id itself does not get it twice.
func hasAttr(r slog.Record, key string) bool {
	found := false
	r.Attrs(func(a slog.Attr) bool {
		found = a.Key == key
		return !found
	})
	return found
}
