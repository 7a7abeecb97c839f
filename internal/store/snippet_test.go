package store

import (
	"testing"
	"time"

	"servicedesk/internal/model"
)

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

// A customer's answer the outbox merged in from the ticket GitLab opened
// for it is the customer's word: the ticket needs a reply again.
func TestLastPublicMergedAnswer(t *testing.T) {
	created := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	tk := model.Ticket{Description: "My card fails.", CreatedAt: created}
	notes := []model.Note{
		{Author: "alex", Body: "Could you try again?", CreatedAt: created.Add(time.Hour)},
		{Author: "alex", Internal: true, Body: model.MergedAnswerNote("ana@example.com", 41, "> Still failing."), CreatedAt: created.Add(2 * time.Hour)},
		{Author: "alex", Internal: true, Body: "Checked the logs.", CreatedAt: created.Add(3 * time.Hour)},
	}
	if got := lastPublic(tk, notes); got.Kind != model.KindCustomer || !got.CreatedAt.Equal(created.Add(2*time.Hour)) {
		t.Errorf("last public word %+v, want the merged answer", got)
	}
}
