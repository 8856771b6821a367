package knowledge

import (
	"regexp"
	"strings"
)

var (
	// A NIK is 16 digits, sometimes written in groups.
	nikPattern = regexp.MustCompile(`\b\d(?:[ .-]?\d){15}\b`)
	// Indonesian phone numbers: 08…, +62 8…, 62 8…, 021-…, 9 to 14 digits in all.
	phonePattern = regexp.MustCompile(`(?:\+?62|\b0)[ .-]?\d{2,4}(?:[ .-]?\d{2,4}){2,3}\b`)
	// Long runs of digits (account or card numbers) are masked too.
	longDigits = regexp.MustCompile(`\b\d{10,}\b`)
)

// MaskPersonalData replaces NIKs, phone numbers and other long numbers in text with a
// mask that keeps only the last digits, so a question can be kept or logged without
// the personal data it may contain (UU 27/2022).
func MaskPersonalData(text string) string {
	text = nikPattern.ReplaceAllStringFunc(text, maskDigits)
	text = phonePattern.ReplaceAllStringFunc(text, maskDigits)
	return longDigits.ReplaceAllStringFunc(text, maskDigits)
}

// maskDigits keeps the last two digits of s and masks the others.
func maskDigits(s string) string {
	digits := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	var b strings.Builder
	seen := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			seen++
			if seen <= digits-2 {
				b.WriteByte('*')
				continue
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}
