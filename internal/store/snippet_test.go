package store

import "testing"

func TestHighlight(t *testing.T) {
	t.Parallel()
	long := "one two three four five six seven eight nine ten eleven twelve thirteen fourteen refund sixteen seventeen " +
		"eighteen nineteen twenty twenty-one twenty-two"
	for _, c := range []struct {
		name, query string
		texts       []string
		want        string
	}{
		{"a match near the start keeps the start", "card", []string{"My card keeps getting   declined."},
			"My [card] keeps getting declined."},
		{"prefix and case", "DECL", []string{"My card keeps getting declined."}, "My card keeps getting [declined]."},
		{"diacritics folded both ways", "zoe muller", []string{"Hello, this is Zoë Müller from Acme"},
			"Hello, this is [Zoë] [Müller] from Acme"},
		{"a match deep in a long text is cut around", "refund", []string{long},
			"…eleven twelve thirteen fourteen [refund] sixteen seventeen eighteen nineteen twenty twenty-one…"},
		{"the body first, then the title", "invoice", []string{"Please see below", "Invoice 42 overdue"}, "[Invoice] 42 overdue"},
		{"no match: the start of the first text", "zzz", []string{"", long}, "one two three four five six seven eight nine ten eleven twelve…"},
		{"newlines become spaces", "log", []string{"See the\r\n\r\nlog below"}, "See the [log] below"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := highlight(queryWords(c.query), c.texts...); got != c.want {
				t.Errorf("highlight(%q) = %q\n want %q", c.query, got, c.want)
			}
		})
	}
}
