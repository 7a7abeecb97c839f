package outbox

import (
	"errors"
	"fmt"
	"testing"

	"servicedesk/internal/gitlab"
)

// The waits after failed tries grow from MinBackoff to MaxBackoff, with at
// most a quarter of jitter.
func TestBackoff(t *testing.T) {
	t.Parallel()
	prev := MinBackoff
	for n := 1; n <= 12; n++ {
		d := backoff(n)
		base := min(MinBackoff<<(n-1), MaxBackoff)
		if d < base || d > base+base/4 {
			t.Fatalf("attempt %d waits %v, want %v to %v", n, d, base, base+base/4)
		}
		if base < prev {
			t.Fatalf("attempt %d waits less than the one before", n)
		}
		prev = base
	}
}

// Which failures are tried again by themselves.
func TestTemporary(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		err  error
		want bool
	}{
		{fmt.Errorf("post: %w", gitlab.ErrUnreachable), true},
		{fmt.Errorf("post: %w", gitlab.ErrRateLimited), true},
		{fmt.Errorf("post: %w", gitlab.ErrServer), true},
		{Temporary(errors.New("421 try later")), true},
		{fmt.Errorf("post: %w", gitlab.ErrUnauthorized), false},
		{fmt.Errorf("post: %w", gitlab.ErrForbidden), false},
		{fmt.Errorf("post: %w", gitlab.ErrProjectNotFound), false},
		{Permanent(fmt.Errorf("wrapped: %w", gitlab.ErrUnreachable)), false},
		{Unknown(errors.New("no answer to the end of the mail")), false},
		{errors.New("550 no such user"), false},
	} {
		if got := isTemporary(c.err); got != c.want {
			t.Errorf("isTemporary(%v) = %v, want %v", c.err, got, c.want)
		}
	}
	if err := Unknown(errors.New("lost")); !errors.Is(err, ErrUnknown) || err.Error() != "lost" {
		t.Errorf("Unknown keeps neither its kind nor its text: %v", err)
	}
}
