package store

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The search index keeps no text (migration 0008), so the snippet of a hit
// is cut here from the document's own text: the words around the first
// match, the matching words between [ and ], as FTS5's snippet() did.

const (
	snippetWords = 12       // words shown around the match
	snippetScan  = 64 << 10 // bytes of a long text searched for a match
)

// queryWords are the words of a search, folded as the index folds them
// (lower case, no diacritics); each matches as a prefix.
func queryWords(input string) []string {
	words := splitWords(input)
	for i, w := range words {
		words[i] = fold(w)
	}
	return words
}

// highlight returns a snippet of the first text that contains a match:
// about snippetWords words around the first matching word, matches in
// brackets, "…" where the text was cut. With no match anywhere it is the
// start of the first non-empty text.
func highlight(words []string, texts ...string) string {
	for _, t := range texts {
		if s, ok := highlightIn(words, t); ok {
			return s
		}
	}
	for _, t := range texts {
		if strings.TrimSpace(t) != "" {
			s, _ := highlightIn(nil, t)
			return s
		}
	}
	return ""
}

type span struct{ start, end int }

func highlightIn(words []string, text string) (string, bool) {
	if len(text) > snippetScan {
		text = text[:snippetScan]
	}
	var toks []span
	first := -1
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			i += n
			continue
		}
		j := i + n
		for j < len(text) {
			r, n := utf8.DecodeRuneInString(text[j:])
			if !isWordRune(r) {
				break
			}
			j += n
		}
		toks = append(toks, span{i, j})
		if first < 0 && matches(words, text[i:j]) {
			first = len(toks) - 1
		}
		i = j
		if first >= 0 && len(toks) >= first+snippetWords {
			break
		}
		if first < 0 && len(words) == 0 && len(toks) > snippetWords {
			break
		}
	}
	if len(toks) == 0 {
		return "", false
	}
	from := 0
	if first > snippetWords/3 {
		from = first - snippetWords/3
	}
	to := min(len(toks), from+snippetWords)
	var b strings.Builder
	if from > 0 {
		b.WriteString("…")
	}
	at := toks[from].start
	for _, t := range toks[from:to] {
		b.WriteString(collapseSpace(text[at:t.start]))
		if word := text[t.start:t.end]; matches(words, word) {
			b.WriteString("[" + word + "]")
		} else {
			b.WriteString(word)
		}
		at = t.end
	}
	if to < len(toks) {
		b.WriteString("…")
	} else {
		b.WriteString(collapseSpace(strings.TrimRightFunc(text[at:], unicode.IsSpace)))
	}
	return b.String(), first >= 0
}

// collapseSpace turns every run of white space into one space.
func collapseSpace(s string) string {
	if !strings.ContainsFunc(s, unicode.IsSpace) {
		return s
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	if space {
		b.WriteByte(' ')
	}
	return b.String()
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) || r == '_' }

// matches reports whether a word of the text starts with one of the
// (folded) query words.
func matches(words []string, word string) bool {
	if len(words) == 0 {
		return false
	}
	f := fold(word)
	for _, w := range words {
		if strings.HasPrefix(f, w) {
			return true
		}
	}
	return false
}

// fold lower-cases a word and strips its diacritics, as the index's
// unicode61 tokenizer with remove_diacritics does; ASCII takes a fast path.
func fold(w string) string {
	ascii := true
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(w)
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(w) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
