package knowledge

// The analysis chain's word knowledge: the slang lexicon and the stemmer.

// slangFor returns the standard words for a slang token (none: drop it).
func slangFor(tok string) ([]string, bool) { return nil, false }

// stemFor returns a word's stem.
func stemFor(word string) string { return word }

// known reports whether a word is in the lexicon or the root dictionary.
func known(word string) bool { return false }

// isSmalltalk reports whether a message is only a greeting, thanks or small talk.
func isSmalltalk(text string) bool { return false }
