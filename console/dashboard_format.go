package console

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Numbers as Indonesians write them: "1.234" (dot between thousands), "87,5" (decimal
// comma).

// dashInt writes an integer with dots between thousands: 1234 → "1.234".
func dashInt(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteString("−")
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// dashDecimal writes v with the given decimals, a decimal comma and dots between
// thousands: 1234.56 → "1.234,6" with one decimal.
func dashDecimal(v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	// Halves round away from zero, as people do (35,25 → 35,3), not to even.
	scale := math.Pow(10, float64(decimals))
	s := strconv.FormatFloat(math.Round(math.Abs(v)*scale)/scale, 'f', decimals, 64)
	whole, frac, _ := strings.Cut(s, ".")
	n, _ := strconv.Atoi(whole)
	out := dashInt(n)
	if v < 0 && (n != 0 || strings.Trim(frac, "0") != "") {
		out = "−" + out
	}
	if frac != "" {
		out += "," + frac
	}
	return out
}

// dashNumber writes v without decimals when it is whole, else with one: "12",
// "2,5".
func dashNumber(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return dashInt(int(v))
	}
	return dashDecimal(v, 1)
}

// dashPercent writes part/total as a percentage with one decimal ("87,5%", "100%"),
// "—" when total is 0.
func dashPercent(part, total int) string {
	if total == 0 {
		return "—"
	}
	return strings.TrimSuffix(dashDecimal(100*float64(part)/float64(total), 1), ",0") + "%"
}

// dashHours writes a duration in hours with one decimal: "2,5 jam".
func dashHours(d time.Duration) string {
	return dashDecimal(d.Hours(), 1) + " jam"
}
