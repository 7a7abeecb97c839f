package compose

import (
	"strings"
	"testing"

	"servicedesk/internal/linker"
)

func TestSubject(t *testing.T) {
	t.Parallel()
	tests := []struct {
		title string
		iid   int64
		want  string
	}{
		{"Card declined", 5, "Re: Card declined (#5)"},
		{"Re: X (#5)", 5, "Re: X (#5)"},
		{"Re: Re: RE: X (#5) (#5)", 5, "Re: X (#5)"},
		{"AW: Rückerstattung für Bestellung 881", 881, "Re: Rückerstattung für Bestellung 881 (#881)"},
		{"Sv: Antw: re : Re[2]: Re(3):X", 7, "Re: X (#7)"},
		{"Re: X (#4)", 5, "Re: X (#4) (#5)"}, // another ticket's number is part of the title
		{"X (#5) more", 5, "Re: X (#5) more (#5)"},
		{"Fwd: X", 5, "Re: Fwd: X (#5)"},
		{"Revenue report: Q3", 5, "Re: Revenue report: Q3 (#5)"},
		{"Return: label missing", 5, "Re: Return: label missing (#5)"},
		{"  Line\r\none\tand\u00a0two  ", 5, "Re: Line one and two (#5)"},
		{"", 5, "Re: (#5)"},
		{"Re:", 5, "Re: (#5)"},
		{"Card declined", 0, "Re: Card declined"},
		{"Re: Card declined (#0)", 0, "Re: Card declined (#0)"},
		{"Bad \xff byte", 1, "Re: Bad \uFFFD byte (#1)"},
	}
	for _, tt := range tests {
		t.Run(tt.title, func(t *testing.T) {
			t.Parallel()
			got := Subject(tt.title, tt.iid)
			if got != tt.want {
				t.Errorf("Subject(%q, %d) = %q, want %q", tt.title, tt.iid, got, tt.want)
			}
			if again := Subject(got, tt.iid); again != got {
				t.Errorf("Subject of its own result %q = %q", got, again)
			}
			if iid, ok := linker.SubjectIID(got); tt.iid > 0 && (!ok || iid != tt.iid) {
				t.Errorf("the linker reads #%d (%v) from %q, want #%d", iid, ok, got, tt.iid)
			}
		})
	}
}

func TestReplyTo(t *testing.T) {
	t.Parallel()
	tests := []struct {
		brand, key, want string
	}{
		{"support@acme.com", testKey, "support+" + testKey + "@acme.com"},
		{"support@acme.com", "", "support@acme.com"},
		{"support+eu@acme.com", testKey, "support+eu+" + testKey + "@acme.com"},
		{"support@acme.com", strings.ToUpper(testKey), "support@acme.com"},
		{"support@acme.com", testKey + "0", "support@acme.com"},
		{"support", testKey, "support"},
	}
	for _, tt := range tests {
		got := ReplyTo(tt.brand, tt.key)
		if got != tt.want {
			t.Errorf("ReplyTo(%q, %q) = %q, want %q", tt.brand, tt.key, got, tt.want)
		}
		wantKeys := 0
		if got != tt.brand {
			wantKeys = 1
		}
		if keys := linker.ReplyKeysIn(got); len(keys) != wantKeys || wantKeys == 1 && keys[0] != tt.key {
			t.Errorf("linker.ReplyKeysIn(%q) = %q", got, keys)
		}
	}
}

func TestNewMessageID(t *testing.T) {
	t.Parallel()
	tests := []struct{ brand, domain string }{
		{"support@acme.com", "acme.com"},
		{"Support@ACME.Example.COM", "acme.example.com"},
		{"support+eu@sub.acme.com", "sub.acme.com"},
		{"no-domain", "servicedesk.invalid"},
		{"x@", "servicedesk.invalid"},
		{"x@bücher.example", "servicedesk.invalid"},
		{"x@bad domain", "servicedesk.invalid"},
	}
	for _, tt := range tests {
		seen := map[string]bool{}
		for range 1000 {
			id := NewMessageID(tt.brand)
			if seen[id] {
				t.Fatalf("NewMessageID(%q) repeats %q", tt.brand, id)
			}
			seen[id] = true
			if !validID(id) || !strings.HasSuffix(id, "@"+tt.domain) || strings.ContainsAny(id, "<> ") {
				t.Fatalf("NewMessageID(%q) = %q, want a bare id in %s", tt.brand, id, tt.domain)
			}
		}
	}
}
