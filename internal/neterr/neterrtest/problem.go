package neterrtest

import (
	"errors"
	"strings"
	"testing"

	"servicedesk/internal/neterr"
)

// WantProblem asserts err is a *neterr.Problem of kind whose sentence has
// every word and never the secret.
func WantProblem(t *testing.T, err error, kind neterr.Kind, secret string, words ...string) {
	t.Helper()
	var p *neterr.Problem
	if !errors.As(err, &p) {
		t.Fatalf("err = %v (%T), want a *neterr.Problem", err, err)
	}
	t.Logf("%v: %s", p.Kind, p.Sentence)
	if p.Kind != kind {
		t.Errorf("kind = %v, want %v; sentence: %s; cause: %v", p.Kind, kind, p.Sentence, p.Err)
	}
	if secret != "" && strings.Contains(p.Sentence, secret) {
		t.Errorf("the sentence shows the secret: %q", p.Sentence)
	}
	for _, w := range words {
		if !strings.Contains(p.Sentence, w) {
			t.Errorf("sentence lacks %q: %q", w, p.Sentence)
		}
	}
}
