package csvcell

import "testing"

func TestGuardRoundTrip(t *testing.T) {
	cases := []struct{ in, out string }{
		{"=SUM(A1)", "'=SUM(A1)"}, {"+62812", "'+62812"}, {"-1", "'-1"}, {"@cmd", "'@cmd"},
		{"\tx", "'\tx"}, {"Dinas", "Dinas"}, {"", ""}, {"'=x", "''=x"}, {"'halo", "'halo"},
	}
	for _, c := range cases {
		if got := Guard(c.in); got != c.out {
			t.Errorf("Guard(%q) = %q, want %q", c.in, got, c.out)
		}
		if back := Unguard(Guard(c.in)); back != c.in {
			t.Errorf("Unguard(Guard(%q)) = %q", c.in, back)
		}
	}
}
