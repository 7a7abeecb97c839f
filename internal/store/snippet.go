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
	if len(words) > 0 && isASCII(text) {
		// Most text is ASCII: one lower-cased copy tells at once whether
		// any word can match, sparing a long text's words one by one.
		lower, found := strings.ToLower(text), false
		for _, w := range words {
			found = found || strings.Contains(lower, w)
		}
		if !found {
			return "", false
		}
	}
	var toks []span
	first := -1
	for i := 0; i < len(text); {
		n, word := wordAt(text, i)
		if !word {
			i += n
			continue
		}
		j := i + n
		for j < len(text) {
			n, word := wordAt(text, j)
			if !word {
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

// asciiWord marks the ASCII bytes that are part of words.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range utf8.RuneSelf {
		t[c] = isWordRune(rune(c))
	}
	return t
}()

// wordAt returns the length of the character at text[i] and whether it is
// part of a word; ASCII without decoding.
func wordAt(text string, i int) (int, bool) {
	if c := text[i]; c < utf8.RuneSelf {
		return 1, asciiWord[c]
	}
	r, n := utf8.DecodeRuneInString(text[i:])
	return n, isWordRune(r)
}

// matches reports whether a word of the text starts with one of the
// (folded) query words.
func matches(words []string, word string) bool {
	if len(words) == 0 {
		return false
	}
	if isASCII(word) {
		for _, w := range words {
			if len(word) >= len(w) && strings.EqualFold(word[:len(w)], w) {
				return true
			}
		}
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

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// fold lower-cases a word and strips its diacritics, as the index's
// unicode61 tokenizer with remove_diacritics does; ASCII takes a fast path.
func fold(w string) string {
	if isASCII(w) {
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
