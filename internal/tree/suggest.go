package tree

import (
	"slices"
	"unicode"
)

// maxSuggestDistance is the largest edit distance DidYouMean accepts.
const maxSuggestDistance = 2

// DidYouMean returns the candidate closest to word, or "" when none is
// within edit distance 2. The distance is the Levenshtein distance over
// characters, compared case-insensitively; ties go to the candidate that
// sorts first. A candidate is only suggested when the distance is also
// less than the length of word, so a short word is never "corrected" by
// replacing all of it.
func DidYouMean(word string, candidates []string) string {
	w := foldRunes(word)
	best, bestDist := "", min(maxSuggestDistance, len(w)-1)+1
	var prev, cur []int
	for _, c := range candidates {
		cr := foldRunes(c)
		if abs(len(cr)-len(w)) > bestDist {
			continue
		}
		var d int
		d, prev, cur = levenshtein(w, cr, prev, cur)
		if d < bestDist || (d == bestDist && c < best) {
			best, bestDist = c, d
		}
	}
	return best
}

// foldRunes returns s as runes in simple lower case.
func foldRunes(s string) []rune {
	r := []rune(s)
	for i, c := range r {
		r[i] = unicode.ToLower(c)
	}
	return r
}

// levenshtein returns the edit distance between a and b, reusing the row
// buffers prev and cur, which it returns for the next call.
func levenshtein(a, b []rune, prev, cur []int) (int, []int, []int) {
	prev = slices.Grow(prev[:0], len(b)+1)[:len(b)+1]
	cur = slices.Grow(cur[:0], len(b)+1)[:len(b)+1]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)], prev, cur
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
