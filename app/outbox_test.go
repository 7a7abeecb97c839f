package app

import (
	"strings"
	"testing"
)

// The page attaches files only by the tokens PickAttachments handed out: a
// path or a made-up token is refused.
func TestAttachmentsOnlyByPickedToken(t *testing.T) {
	t.Parallel()
	var p pickedFiles
	tok := p.add("/home/alex/Rechnung.pdf")
	if got, err := p.resolve([]string{tok}); err != nil || len(got) != 1 || got[0] != "/home/alex/Rechnung.pdf" {
		t.Fatalf("resolve(picked) = %v, %v", got, err)
	}
	for _, bad := range []string{"/home/alex/.ssh/id_ed25519", "0123456789abcdef01234567", ""} {
		if _, err := p.resolve([]string{tok, bad}); err == nil || !strings.Contains(err.Error(), "pick it again") {
			t.Errorf("resolve(%q) = %v, want a refusal", bad, err)
		}
	}
	if again := p.add("/home/alex/Rechnung.pdf"); again == tok || len(again) != 24 {
		t.Errorf("a second pick of the same file got token %q (first %q)", again, tok)
	}
}
