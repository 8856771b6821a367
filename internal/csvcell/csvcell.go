// Package csvcell keeps spreadsheet cells from being run as formulas (CSV injection):
// a cell a spreadsheet would take as a formula is written with a leading apostrophe,
// which Guard adds and Unguard removes again, so that a file round-trips exactly.
package csvcell

import "strings"

// formulaStart reports whether a spreadsheet would take a cell starting with b as a
// formula.
func formulaStart(b byte) bool {
	return b == '=' || b == '+' || b == '-' || b == '@' || b == '\t' || b == '\r'
}

// needsGuard reports whether a cell must be written with a leading apostrophe: it
// starts like a formula, or with an apostrophe Unguard would otherwise remove.
func needsGuard(s string) bool {
	return s != "" && (formulaStart(s[0]) || (s[0] == '\'' && len(s) > 1 && (formulaStart(s[1]) || s[1] == '\'')))
}

// Guard prefixes a cell a spreadsheet would run as a formula with an apostrophe.
func Guard(s string) string {
	if needsGuard(s) {
		return "'" + s
	}
	return s
}

// Unguard removes the apostrophe Guard added.
func Unguard(s string) string {
	if strings.HasPrefix(s, "'") && needsGuard(s[1:]) {
		return s[1:]
	}
	return s
}
