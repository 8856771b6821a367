package knowledge

// What importing a file would change, worked out before anything is written, so that
// editors see it and confirm.

import (
	"context"
	"slices"
	"strings"
)

// ImportPlan is what ImportAs would do with a file: the FAQs it would add, change and
// remove and the synonym sets it would add and remove.
type ImportPlan struct {
	Replace bool
	// Added are the file's FAQs whose id is not in the database, in file order.
	Added []FAQ
	// Changed are the FAQs whose content would change, or that would be published
	// again, in file order.
	Changed []FAQChange
	// Removed are the published FAQs a replacing import would remove (not in the file).
	Removed []FAQ
	// Unchanged counts the file's FAQs already published with the same content.
	Unchanged int
	// SynonymsAdded and SynonymsRemoved are the synonym sets that would be added and
	// removed.
	SynonymsAdded, SynonymsRemoved [][]string
}

// FAQChange is one FAQ the import would change.
type FAQChange struct {
	Old, New FAQ
	// Republished: the FAQ is unpublished now and the import publishes it.
	Republished bool
	// Fields are the fields whose content differs, in the file format's order.
	Fields []FieldChange
}

// FieldChange is one changed field of an FAQ.
type FieldChange struct {
	// Field is the file format's name: category, unit, question, alternates, keywords
	// or answer; Label its Indonesian name for editors.
	Field, Label string
	// Old and New are the text before and after (for list fields, one entry a line).
	Old, New string
	// Added and Removed are the entries of a list field added and removed; both are
	// empty when only their order changed.
	Added, Removed []string
}

// Changes reports whether the import would change anything at all.
func (p ImportPlan) Changes() bool {
	return len(p.Added)+len(p.Changed)+len(p.Removed)+len(p.SynonymsAdded)+len(p.SynonymsRemoved) > 0
}

// PlanImport works out what ImportAs(f, replace) would do now.
func (s *Store) PlanImport(ctx context.Context, f *File, replace bool) (ImportPlan, error) {
	current, err := s.ListAll(ctx)
	if err != nil {
		return ImportPlan{}, err
	}
	syns, err := s.Synonyms(ctx)
	if err != nil {
		return ImportPlan{}, err
	}
	return PlanImport(current, syns, f, replace), nil
}

// PlanImport works out what importing f into a database holding the FAQs current
// (published or not) and the synonym sets synonyms would do, by the rules of ImportAs.
func PlanImport(current []StoredFAQ, synonyms [][]string, f *File, replace bool) ImportPlan {
	plan := ImportPlan{Replace: replace}
	old := make(map[string]StoredFAQ, len(current))
	for _, c := range current {
		old[c.ID] = c
	}
	inFile := make(map[string]bool, len(f.FAQs))
	for _, q := range f.FAQs {
		inFile[q.ID] = true
		prev, ok := old[q.ID]
		switch {
		case !ok:
			plan.Added = append(plan.Added, q)
		case sameFAQ(prev.FAQ, q) && prev.Published:
			plan.Unchanged++
		default:
			plan.Changed = append(plan.Changed, FAQChange{Old: prev.FAQ, New: q, Republished: !prev.Published, Fields: faqFieldChanges(prev.FAQ, q)})
		}
	}
	if replace {
		for _, c := range current {
			if c.Published && !inFile[c.ID] {
				plan.Removed = append(plan.Removed, c.FAQ)
			}
		}
	}
	key := func(terms []string) string { return strings.Join(terms, "\x00") }
	stored := make(map[string]bool, len(synonyms))
	for _, set := range synonyms {
		stored[key(set)] = true
	}
	wanted := make(map[string]bool, len(f.Synonyms))
	for _, set := range f.Synonyms {
		k := key(set)
		if !stored[k] && !wanted[k] {
			plan.SynonymsAdded = append(plan.SynonymsAdded, set)
		}
		wanted[k] = true
	}
	if replace {
		for _, set := range synonyms {
			if !wanted[key(set)] {
				plan.SynonymsRemoved = append(plan.SynonymsRemoved, set)
			}
		}
	}
	return plan
}

// faqFieldLabels name the FAQ fields for editors.
var faqFieldLabels = map[string]string{
	"category": "Kategori", "unit": "Unit", "question": "Pertanyaan", "alternates": "Pertanyaan lain",
	"keywords": "Kata kunci", "answer": "Jawaban",
}

// faqFieldChanges lists the fields that differ between a and b.
func faqFieldChanges(a, b FAQ) []FieldChange {
	var out []FieldChange
	text := func(field, x, y string) {
		if x != y {
			out = append(out, FieldChange{Field: field, Label: faqFieldLabels[field], Old: x, New: y})
		}
	}
	list := func(field string, x, y []string) {
		if slices.Equal(x, y) {
			return
		}
		out = append(out, FieldChange{Field: field, Label: faqFieldLabels[field],
			Old: strings.Join(x, "\n"), New: strings.Join(y, "\n"), Added: minus(y, x), Removed: minus(x, y)})
	}
	text("category", a.Category, b.Category)
	text("unit", a.Unit, b.Unit)
	text("question", a.Question, b.Question)
	list("alternates", a.Alternates, b.Alternates)
	list("keywords", a.Keywords, b.Keywords)
	text("answer", a.Answer, b.Answer)
	return out
}

// minus returns the entries of a not in b.
func minus(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}
