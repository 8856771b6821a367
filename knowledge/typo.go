package knowledge

import "unicode/utf8"

// maxTypoDistance is the edit distance allowed when correcting a word of n letters:
// none under 5 letters (too many short words are one edit apart), 1 up to 7, then 2.
func maxTypoDistance(n int) int {
	switch {
	case n < 5:
		return 0
	case n < 8:
		return 1
	default:
		return 2
	}
}

// correct returns the knowledge-base term nearest to an unknown word (optimal string
// alignment distance, so a swap of two letters is one edit), preferring the term used
// by most FAQs; "" when none is near enough.
func (s *snapshot) correct(word string) string {
	if !isWordy(word) {
		return ""
	}
	n := utf8.RuneCountInString(word)
	maxD := maxTypoDistance(n)
	if maxD == 0 {
		return ""
	}
	w := []rune(word)
	best, bestD, bestF := "", maxD+1, -1
	for l := n - maxD; l <= n+maxD; l++ {
		for _, t := range s.byLen[l] {
			d := osaDistance(w, []rune(t), maxD)
			if d < bestD || (d == bestD && s.vocab[t] > bestF) {
				best, bestD, bestF = t, d, s.vocab[t]
			}
		}
	}
	if bestD > maxD {
		return ""
	}
	return best
}

// osaDistance is the optimal-string-alignment edit distance between a and b, or
// limit+1 once it surely exceeds limit.
func osaDistance(a, b []rune, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// split separates two words typed without a space ("carabikin", "perpanjangskck"):
// it returns their analysed terms when both halves are words the knowledge base
// uses, preferring the most balanced split; nil otherwise.
func (s *snapshot) split(word string) []string {
	if len(word) < 6 || !isWordy(word) {
		return nil
	}
	var best []string
	bestBalance := -1
	for i := 3; i <= len(word)-3; i++ {
		left, right := analyzeAll(s.analyzer, word[:i]), analyzeAll(s.analyzer, word[i:])
		if len(left) != 1 || len(right) != 1 {
			continue
		}
		if _, ok := s.vocab[left[0]]; !ok {
			continue
		}
		if _, ok := s.vocab[right[0]]; !ok {
			continue
		}
		if balance := min(i, len(word)-i); balance > bestBalance {
			best, bestBalance = []string{left[0], right[0]}, balance
		}
	}
	return best
}
