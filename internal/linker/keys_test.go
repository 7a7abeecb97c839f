package linker

import (
	"reflect"
	"strings"
	"testing"
)

func TestReplyKeysIn(t *testing.T) {
	t.Parallel()
	const k1, k2 = "59d8df8370b7e95c5a49fbf86aeb2c93", "636ca428858779856c226bb145ef4fad"
	tests := []struct {
		name string
		in   []string
		want []string
	}{
		{"subaddressed recipient", []string{"support+" + k1 + "@acme.com"}, []string{k1}},
		{"recipient with display name", []string{`"Acme, Support" <support+` + k1 + `@acme.com>`}, []string{k1}},
		{"reply- id", []string{"reply-" + k1 + "@gitlab.example"}, []string{k1}},
		{"reply- id in brackets", []string{"<reply-" + k1 + "@localhost>"}, []string{k1}},
		{"reply+ id", []string{"reply+" + k1 + "@appmail.example"}, []string{k1}},
		{"comma and no space", []string{"<issue_1@localhost> <reply-" + k1 + "@localhost>,<exchange@microsoft.com>"}, []string{k1}},
		{"after a comma", []string{"<a@b>,reply-" + k1 + "@localhost"}, []string{k1}},
		{"two keys, order kept, duplicates dropped", []string{"a+" + k2 + "@x", "reply-" + k1 + "@y", "b+" + k2 + "@z"}, []string{k2, k1}},
		{"header value runs on", []string{"Discourse <mail+" + k1 + "@arpitjalan.com>Accept-Language: en-US"}, []string{k1}},
		{"upper-case hex", []string{"support+" + strings.ToUpper(k1) + "@acme.com"}, nil},
		{"31 digits", []string{"support+" + k1[1:] + "@acme.com"}, nil},
		{"33 digits", []string{"support+a" + k1 + "@acme.com"}, nil},
		{"no @ after the key", []string{"support+" + k1 + ".x@acme.com", "reply-" + k1}, nil},
		{"noreply- is not reply-", []string{"noreply-" + k1 + "@x"}, nil},
		{"hex message id is no key", []string{"7e2296f83dbf4de388cbf5f56f52c11f@EXDAG29-1.EXCHANGE.INT"}, nil},
		{"project key is no key", []string{"support+project_slug-project_key@example.com", "incoming+email-test-project_id-issue-@x"}, nil},
		{"nothing", []string{"", "+", "reply-"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := ReplyKeysIn(tt.in...); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ReplyKeysIn(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSubjectIID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		subject string
		want    int64
		ok      bool
	}{
		{"Re: Card declined (#123)", 123, true},
		{"Re: htmltest | test issue (#1)", 1, true},
		{"Re: (#12) follow-up on (#34)", 34, true},
		{"Re: see (#12) and (#x)", 12, true},
		{"Re: see (#12) and (#)", 12, true},
		{"((#7))", 7, true},
		{"(#7)trailing", 7, true},
		{"(#007)", 7, true},
		{"(#9223372036854775807)", 9223372036854775807, true},
		{"(#9223372036854775808)", 0, false},
		{"(#0)", 0, false},
		{"(# 12)", 0, false},
		{"(#12 )", 0, false},
		{"(#-3)", 0, false},
		{"(#12", 0, false},
		{"#12", 0, false},
		{"(12)", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, ok := SubjectIID(tt.subject)
		if got != tt.want || ok != tt.ok {
			t.Errorf("SubjectIID(%q) = %d, %v; want %d, %v", tt.subject, got, ok, tt.want, tt.ok)
		}
	}
}

func TestThreadIDs(t *testing.T) {
	t.Parallel()
	got := threadIDs("me@x",
		[]string{"<p@x>"},
		[]string{"<a@x>\r\n\t<b@x>,<c@x>", "d@x,e@x", "<unterminated@x", "me@x", "p@x", "> ,"})
	want := []string{"p@x", "unterminated@x", "e@x", "d@x", "c@x", "b@x", "a@x"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("threadIDs = %q, want %q", got, want)
	}
}
