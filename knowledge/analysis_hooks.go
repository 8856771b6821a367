package knowledge

import (
	"sync"
	"sync/atomic"
)

// The analysis chain's word knowledge: the slang lexicon and the stemmer.

// slangFor returns the standard words for a slang token (none: drop it).
func slangFor(tok string) ([]string, bool) { return lookupSlang(tok) }

// stemFor returns a word's stem, remembering the stems of the first stemCacheMax
// distinct words (a knowledge base's vocabulary repeats a lot; questions add few).
func stemFor(word string) string {
	if v, ok := stemCache.Load(word); ok {
		return v.(string)
	}
	s := stem(word)
	if stemCacheSize.Load() < stemCacheMax {
		if _, loaded := stemCache.LoadOrStore(word, s); !loaded {
			stemCacheSize.Add(1)
		}
	}
	return s
}

// The stem cache is shared by every index (the stemmer is a pure function).
var (
	stemCache     sync.Map
	stemCacheSize atomic.Int64
)

const stemCacheMax = 500_000

// known reports whether a word is a root word or in the lexicon: such a word is
// never "corrected" as a typo.
func known(word string) bool {
	if isRootWord(word) {
		return true
	}
	_, ok := lookupSlang(word)
	return ok
}
