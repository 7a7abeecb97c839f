package linker

import (
	"strconv"
	"strings"
)

// keyLen is the length of a GitLab reply key: 32 lower-case hex digits.
const keyLen = 32

// ReplyKeysIn returns the GitLab reply keys in ids, which may be message ids
// or addresses, bare or as whole header values: each "+KEY@" (a subaddressed
// recipient such as support+KEY@acme.com, or a reply+KEY@host id) and each
// "reply-KEY@" that starts an id or an address. KEY must be exactly 32
// lower-case hex digits followed by "@", as GitLab matches it. Keys come in
// order of first appearance, without duplicates; nil when there is none.
func ReplyKeysIn(ids ...string) []string {
	var keys set
	for _, s := range ids {
		scanKeys(&keys, s)
	}
	return keys.list
}

// scanKeys adds to keys the reply keys found in s.
func scanKeys(keys *set, s string) {
	for i := 0; i+keyLen < len(s); i++ {
		var start int
		switch {
		case s[i] == '+':
			start = i + 1
		case s[i] == 'r' && strings.HasPrefix(s[i:], "reply-") && (i == 0 || isWordBreak(s[i-1])):
			start = i + len("reply-")
		default:
			continue
		}
		if start+keyLen < len(s) && s[start+keyLen] == '@' && IsReplyKey(s[start:start+keyLen]) {
			keys.add(s[start : start+keyLen])
			i = start + keyLen
		}
	}
}

// isWordBreak reports whether c can precede the start of an id or address
// in a header value.
func isWordBreak(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', '<', ',', ';', ':', '"', '(':
		return true
	}
	return false
}

// IsReplyKey reports whether k is a GitLab reply key: 32 lower-case hex
// digits.
func IsReplyKey(k string) bool {
	if len(k) != keyLen {
		return false
	}
	for i := 0; i < len(k); i++ {
		if c := k[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// SubjectIID returns N of the last well-formed "(#N)" in subject, the form
// GitLab gives a ticket's mail ("Re: Card declined (#123)"). N is decimal
// digits only, positive and fits an int64; "(# 12)", "(#12a)" and "(#0)" do
// not count.
func SubjectIID(subject string) (int64, bool) {
	s := subject
	for {
		i := strings.LastIndex(s, "(#")
		if i < 0 {
			return 0, false
		}
		if n, ok := iidAt(s[i+2:]); ok {
			return n, true
		}
		s = s[:i]
	}
}

// iidAt parses the "N)" that follows "(#".
func iidAt(s string) (int64, bool) {
	end := strings.IndexByte(s, ')')
	if end <= 0 {
		return 0, false
	}
	for i := 0; i < end; i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s[:end], 10, 64)
	if err != nil || n <= 0 {
		return 0, false
	}
	return n, true
}

// threadIDs returns the ids to try for a message, in order: In-Reply-To as
// given, then References newest (last) first; split and trimmed, without
// duplicates and without the message's own id.
func threadIDs(self string, inReplyTo, references []string) []string {
	var in, refs []string
	for _, s := range inReplyTo {
		in = splitIDs(in, s)
	}
	for _, s := range references {
		refs = splitIDs(refs, s)
	}
	var ids set
	ids.skip = self
	for _, id := range in {
		ids.add(id)
	}
	for i := len(refs) - 1; i >= 0; i-- {
		ids.add(refs[i])
	}
	return ids.list
}

// splitIDs appends the ids in s to out. s may be one bare id, or several,
// bare or in <>, separated by white space or commas (Exchange writes
// "<a@x>,<b@y>").
func splitIDs(out []string, s string) []string {
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == '<':
			rest := s[i+1:]
			end := strings.IndexByte(rest, '>')
			if end < 0 {
				end = len(rest)
				i = len(s)
			} else {
				i += end + 2
			}
			if id := strings.TrimSpace(rest[:end]); id != "" {
				out = append(out, id)
			}
		case isIDSeparator(c):
			i++
		default:
			j := i + 1
			for j < len(s) && !isIDSeparator(s[j]) && s[j] != '<' {
				j++
			}
			out = append(out, s[i:j])
			i = j
		}
	}
	return out
}

// isIDSeparator reports whether c separates bare ids in a header value.
func isIDSeparator(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', ',', '>':
		return true
	}
	return false
}

// set is an ordered list of distinct non-empty strings; small lists are
// searched, long ones (a hostile References header) get a map.
type set struct {
	list  []string
	index map[string]struct{}
	skip  string // never added
}

// add appends s unless it is empty, skipped or already there.
func (s *set) add(v string) {
	if v == "" || v == s.skip {
		return
	}
	if s.index != nil {
		if _, ok := s.index[v]; ok {
			return
		}
		s.index[v] = struct{}{}
		s.list = append(s.list, v)
		return
	}
	for _, have := range s.list {
		if have == v {
			return
		}
	}
	s.list = append(s.list, v)
	if len(s.list) > 16 {
		s.index = make(map[string]struct{}, 2*len(s.list))
		for _, have := range s.list {
			s.index[have] = struct{}{}
		}
	}
}
