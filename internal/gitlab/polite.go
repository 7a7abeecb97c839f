package gitlab

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// How a Client behaves as an API citizen: reads are retried on network
// errors, 429 and 5xx with jittered exponential backoff, and a 429's
// Retry-After (or RateLimit-Reset) is honoured; writes are never retried by
// the transport: a repeated POST could post a reply twice, so write-back
// finds an earlier attempt by its idempotency marker instead. client-go's
// own limiter paces requests to two thirds of the announced RateLimit-Limit;
// the pacer below also waits for the window to reset when
// RateLimit-Remaining runs low (other tools may share the token's budget).

type noRetryKey struct{}

// NoRetry marks a context so its requests are tried once: the outbox, which
// retries with its own backoff and must not sit in the transport's waits
// while the network is down, and every POST (see withoutRetry).
func NoRetry(ctx context.Context) context.Context { return withoutRetry(ctx) }

// withoutRetry marks a request context as a write: no automatic retry.
func withoutRetry(ctx context.Context) context.Context {
	return context.WithValue(ctx, noRetryKey{}, true)
}

const (
	retryMax     = 4
	retryWaitMin = 250 * time.Millisecond
	retryWaitMax = 30 * time.Second
	maxRetryWait = 5 * time.Minute // a longer Retry-After is waited for by the next sync instead
)

// checkRetry decides whether a request is tried again.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if ctx.Value(noRetryKey{}) != nil {
		return false, nil
	}
	if err != nil {
		return true, nil // network error on a read
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return retryAfter(resp, time.Now()) <= maxRetryWait, nil
	case resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented:
		return true, nil
	}
	return false, nil
}

// backoff is how long to wait before retry number attempt.
func backoff(lo, hi time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d := retryAfter(resp, time.Now()); d > 0 {
			return d + time.Duration(rand.Int64N(int64(250*time.Millisecond))) // spread agents apart
		}
	}
	d := lo << min(attempt, 16)
	if d > hi || d <= 0 {
		d = hi
	}
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1)) // equal jitter
}

// retryAfter reads how long the server asked us to wait: Retry-After in
// seconds or as an HTTP date, else RateLimit-Reset (a Unix time).
func retryAfter(resp *http.Response, now time.Time) time.Duration {
	if v := resp.Header.Get("Retry-After"); v != "" {
		if s, err := strconv.Atoi(v); err == nil && s >= 0 {
			return time.Duration(s) * time.Second
		}
		if t, err := http.ParseTime(v); err == nil {
			return max(t.Sub(now), 0)
		}
	}
	if v := resp.Header.Get("RateLimit-Reset"); v != "" {
		if s, err := strconv.ParseInt(v, 10, 64); err == nil {
			return max(time.Unix(s, 0).Sub(now), 0)
		}
	}
	return 0
}

var _ retryablehttp.CheckRetry = checkRetry
var _ retryablehttp.Backoff = backoff

// pacer is a RoundTripper that holds requests back while the announced
// budget is nearly spent, until the window resets.
type pacer struct {
	base http.RoundTripper

	mu       sync.Mutex
	resumeAt time.Time
}

// lowWater is the RateLimit-Remaining below which the pacer waits for the
// reset: enough for the requests already in flight.
const lowWater = 8

func (p *pacer) RoundTrip(r *http.Request) (*http.Response, error) {
	p.mu.Lock()
	wait := time.Until(p.resumeAt)
	p.mu.Unlock()
	if wait > 0 {
		t := time.NewTimer(min(wait, maxRetryWait))
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return nil, r.Context().Err()
		}
	}
	resp, err := p.base.RoundTrip(r)
	if err != nil {
		return resp, err
	}
	if rem, err := strconv.Atoi(resp.Header.Get("RateLimit-Remaining")); err == nil && rem < lowWater {
		if d := retryAfter(&http.Response{Header: http.Header{"Ratelimit-Reset": resp.Header.Values("RateLimit-Reset")}}, time.Now()); d > 0 {
			p.mu.Lock()
			p.resumeAt = time.Now().Add(d)
			p.mu.Unlock()
		}
	}
	return resp, nil
}
