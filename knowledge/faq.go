package knowledge

import "errors"

// FAQ is one question-and-answer pair of the knowledge base.
type FAQ struct {
	// ID is a stable slug of [a-z0-9-], unique in the knowledge base.
	ID string `json:"id" yaml:"id"`
	// Category groups FAQs for browsing and routing (free text).
	Category string `json:"category,omitempty" yaml:"category,omitempty"`
	// Unit is the slug of the unit that takes escalations on this topic (optional).
	Unit string `json:"unit,omitempty" yaml:"unit,omitempty"`
	// Question is the standard phrasing of the question.
	Question string `json:"question" yaml:"question"`
	// Alternates are other ways citizens ask the same thing.
	Alternates []string `json:"alternates,omitempty" yaml:"alternates,omitempty"`
	// Keywords are extra search terms (abbreviations, synonyms).
	Keywords []string `json:"keywords,omitempty" yaml:"keywords,omitempty"`
	// Answer is Markdown.
	Answer string `json:"answer" yaml:"answer"`
}

// ErrNotFound is returned when an FAQ does not exist.
var ErrNotFound = errors.New("knowledge: not found")
