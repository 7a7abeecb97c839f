package sandbox

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// rateWindow is GitLab's rate limit as a fixed window: at most n requests
// per window, answered with 429 and Retry-After beyond that.
type rateWindow struct {
	n      int
	window time.Duration
	start  time.Time
	used   int
}

// SetRateLimit enforces perMinute requests a minute, as GitLab.com does
// (2,000), and announces it in RateLimit-* headers so clients can pace
// themselves; a request beyond it gets 429 with Retry-After. 0 turns it
// off, as a self-managed GitLab with rate limits off (no headers).
func (g *GitLab) SetRateLimit(perMinute int) { g.SetRateLimitWindow(perMinute, time.Minute) }

// SetRateLimitWindow enforces n requests per window (tests use short
// windows); the headers announce the equivalent per-minute limit.
func (g *GitLab) SetRateLimitWindow(n int, window time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if n <= 0 {
		g.limit = nil
		return
	}
	g.limit = &rateWindow{n: n, window: window}
}

// RateLimited is how many requests the fake answered with 429 because the
// client went over the enforced limit (injected faults not counted).
func (g *GitLab) RateLimited() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.limited
}

// SetLatency delays every answer by d, like a GitLab far away.
func (g *GitLab) SetLatency(d time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.latency = d
}

// DropNext closes the connection without an answer for the next n requests
// whose path starts with pathPrefix (with or without /api/v4).
func (g *GitLab) DropNext(pathPrefix string, n int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.faults = append(g.faults, &fault{prefix: pathPrefix, drop: true, left: n})
}

// LoseAnswerNext serves the next n writes (not GETs) whose path starts with
// pathPrefix and then closes the connection without the answer: the change
// is made, and the client cannot know (a POST whose answer was lost).
func (g *GitLab) LoseAnswerNext(pathPrefix string, n int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.faults = append(g.faults, &fault{prefix: pathPrefix, loseAnswer: true, left: n})
}

// throttle counts the request against the enforced limit, sets the
// RateLimit-* headers and reports whether it may be served.
func (g *GitLab) throttle(h http.Header, now time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	l := g.limit
	if l == nil {
		return true
	}
	if now.Sub(l.start) >= l.window {
		l.start, l.used = now.Truncate(l.window), 0
		if now.Sub(l.start) >= l.window { // Truncate works from the zero time
			l.start = now
		}
	}
	reset := l.start.Add(l.window)
	perMinute := int(float64(l.n) * float64(time.Minute) / float64(l.window))
	h.Set("RateLimit-Limit", strconv.Itoa(perMinute))
	h.Set("RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	h.Set("RateLimit-ResetTime", reset.UTC().Format(http.TimeFormat))
	if l.used >= l.n {
		g.limited++
		h.Set("RateLimit-Remaining", "0")
		h.Set("Retry-After", strconv.Itoa(int(reset.Sub(now)/time.Second)+1))
		return false
	}
	l.used++
	h.Set("RateLimit-Remaining", strconv.Itoa(l.n-l.used))
	return true
}

// drop hijacks the connection and closes it without an answer.
func drop(rw http.ResponseWriter) {
	if hj, ok := rw.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler) // net/http closes the connection
}

// hasPathPrefix matches a fault's path: a prefix, or the whole path when it
// ends in "$".
func hasPathPrefix(path, prefix string) bool {
	if exact, ok := strings.CutSuffix(prefix, "$"); ok {
		return path == exact || strings.TrimPrefix(path, "/api/v4") == exact
	}
	return strings.HasPrefix(path, prefix) || strings.HasPrefix(strings.TrimPrefix(path, "/api/v4"), prefix)
}

// SetKeyset turns keyset pagination of project issues on (the default, as
// GitLab 18.3+) or off (older GitLab: 405 for pagination=keyset).
func (g *GitLab) SetKeyset(on bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.noKeyset = !on
}
