package pgconn

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"syscall"
	"testing"

	"github.com/lib/pq"
)

func TestDSN(t *testing.T) {
	u, err := DSN("postgres://loket:rahasia@db:5432/loket?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	q := parsed.Query()
	if q.Get("binary_parameters") != "yes" || q.Get("connect_timeout") != "5" || q.Get("sslmode") != "disable" {
		t.Errorf("URL: %s", u)
	}
	if p, _ := parsed.User.Password(); p != "rahasia" {
		t.Errorf("password lost: %s", u)
	}
	kv, err := DSN("host=/run/postgresql dbname=loket connect_timeout=10")
	if err != nil {
		t.Fatal(err)
	}
	if kv != "host=/run/postgresql dbname=loket connect_timeout=10 binary_parameters=yes" {
		t.Errorf("key=value: %q", kv)
	}
	if off, _ := DSN("postgres://db/loket?binary_parameters=no"); !strings.Contains(off, "binary_parameters=no") {
		t.Errorf("an explicit setting was overridden: %s", off)
	}
	if _, err := DSN("postgres://loket:rahasia@db:bad port/x"); err == nil || strings.Contains(err.Error(), "rahasia") {
		t.Errorf("bad URL: %v", err)
	}
}

func TestUnavailable(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{fmt.Errorf("bot: begin: %w", syscall.ECONNREFUSED), true},
		{fmt.Errorf("x: %w", &pq.Error{Code: "57P01"}), true},
		{&pq.Error{Code: "08006"}, true},
		{&pq.Error{Code: "23505"}, false}, // unique violation: the statement's own fault
		{errors.New("bot: update 3: driver: bad connection"), true},
		{errors.New("knowledge: no such FAQ"), false},
		{fmt.Errorf("bot: begin: %w", context.DeadlineExceeded), false}, // a busy pool, not an outage
	} {
		if got := Unavailable(c.err); got != c.want {
			t.Errorf("Unavailable(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}
