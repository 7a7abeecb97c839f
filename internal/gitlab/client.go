// Package gitlab talks to a GitLab instance through client-go: it reads the
// signed-in user and Service Desk projects and syncs their tickets and notes
// into the store. It owns the mapping from GitLab's REST shapes to model
// types and the sentences shown when GitLab refuses a request; scheduling
// syncs is the syncer's job.
package gitlab

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	gl "gitlab.com/gitlab-org/api/client-go"

	"servicedesk/internal/model"
)

// Client is an authenticated connection to one GitLab instance.
type Client struct {
	api      *gl.Client
	baseURL  string
	requests atomic.Int64
	noKeyset atomic.Bool // the server refused or ignored keyset pagination
}

// Options tune a Client. The zero value is fine.
type Options struct {
	Timeout time.Duration // per request; 0 means 30 s
	// HTTPClient, when set, is used as the transport's base (tests).
	Transport http.RoundTripper
}

// NewClient returns a client for the GitLab at baseURL (https://gitlab.com
// or a self-managed root URL; /api/v4 is added) signed in with token.
func NewClient(baseURL, token string, opts Options) (*Client, error) {
	u, err := url.Parse(strings.TrimSpace(baseURL))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("%q is not a GitLab URL: use the address of the GitLab instance, such as https://gitlab.com", baseURL)
	}
	if u.User != nil {
		return nil, fmt.Errorf("the GitLab URL must not hold a user name or password: enter https://%s and give the token in its own field", u.Host)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return nil, fmt.Errorf("%s uses plain http: use https (plain http is allowed only to this computer)", baseURL)
	}
	if opts.Timeout == 0 {
		opts.Timeout = 30 * time.Second
	}
	base := opts.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	c := &Client{baseURL: strings.TrimRight(u.String(), "/")}
	hc := &http.Client{Timeout: opts.Timeout, Transport: &pacer{base: countingTransport{base: base, n: &c.requests}}}
	c.api, err = gl.NewClient(token, gl.WithBaseURL(c.baseURL), gl.WithHTTPClient(hc),
		gl.WithCustomRetry(checkRetry), gl.WithCustomBackoff(backoff),
		gl.WithCustomRetryMax(retryMax), gl.WithCustomRetryWaitMinMax(retryWaitMin, retryWaitMax))
	if err != nil {
		return nil, fmt.Errorf("create GitLab client for %s: %w", c.baseURL, err)
	}
	return c, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Requests is how many HTTP requests this client has sent.
func (c *Client) Requests() int64 { return c.requests.Load() }

// BaseURL is the instance's root URL.
func (c *Client) BaseURL() string { return c.baseURL }

type countingTransport struct {
	base http.RoundTripper
	n    *atomic.Int64
}

func (t countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.n.Add(1)
	return t.base.RoundTrip(r)
}

// CurrentUser returns the username and display name the token belongs to.
func (c *Client) CurrentUser(ctx context.Context) (username, name string, err error) {
	u, _, err := c.api.Users.CurrentUser(gl.WithContext(ctx))
	if err != nil {
		return "", "", c.explain(err, "read the signed-in user")
	}
	return u.Username, u.Name, nil
}

// Project reads a project by its path with namespace (or numeric id).
func (c *Client) Project(ctx context.Context, path string) (model.Project, error) {
	p, _, err := c.api.Projects.GetProject(path, nil, gl.WithContext(ctx))
	if err != nil {
		if errors.Is(err, gl.ErrNotFound) {
			return model.Project{}, sentence(ErrProjectNotFound, "project %s was not found on %s, or this token cannot see it", path, c.baseURL)
		}
		return model.Project{}, c.explain(err, "read project "+path)
	}
	return model.Project{
		GitLabID:           p.ID,
		Path:               p.PathWithNamespace,
		Name:               p.Name,
		WebURL:             p.WebURL,
		ServiceDeskEnabled: p.ServiceDeskEnabled,
		ServiceDeskAddress: p.ServiceDeskAddress,
	}, nil
}

// explain turns a client-go error into one sentence for the agent. It never
// includes the token (client-go sends it in a header, not the URL).
func (c *Client) explain(err error, what string) error {
	var er *gl.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		switch er.Response.StatusCode {
		case http.StatusUnauthorized:
			return sentence(ErrUnauthorized, "GitLab at %s refused the token (401 Unauthorized): it is wrong, expired or revoked; create a personal access token with the api scope", c.baseURL)
		case http.StatusForbidden:
			return sentence(ErrForbidden, "GitLab at %s refused to %s (403 Forbidden): the token needs the api scope and access to the project", c.baseURL, what)
		case http.StatusTooManyRequests:
			e := sentence(ErrRateLimited, "GitLab at %s is rate-limiting us (429); the app will try again later", c.baseURL).(sentenceErr)
			e.after = retryAfter(er.Response, time.Now())
			return e
		}
		if er.Response.StatusCode >= 500 {
			return sentence(ErrServer, "GitLab at %s failed to %s (%d %s); the app will try again later",
				c.baseURL, what, er.Response.StatusCode, http.StatusText(er.Response.StatusCode))
		}
		return fmt.Errorf("GitLab at %s refused to %s: %d %s", c.baseURL, what, er.Response.StatusCode, er.Message)
	}
	if errors.Is(err, gl.ErrNotFound) {
		return sentence(ErrProjectNotFound, "GitLab at %s could not %s: not found (the project was deleted or moved, or the token lost access to it); check it in Accounts", c.baseURL, what)
	}
	if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() {
		return sentence(ErrUnreachable, "GitLab at %s did not answer in time to %s; the app will try again later (check the network if it goes on)", c.baseURL, what)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %w", what, err)
	}
	var ne net.Error
	var ue *url.Error
	if errors.As(err, &ne) || errors.As(err, &ue) || strings.Contains(err.Error(), "giving up after") {
		return sentence(ErrUnreachable, "cannot reach GitLab at %s to %s; check the network and the URL", c.baseURL, what)
	}
	return fmt.Errorf("%s on %s: %w", what, c.baseURL, err)
}

// sentenceErr is a sentence for the agent that matches one of the errors
// below with errors.Is, without that error's text tacked on.
type sentenceErr struct {
	msg   string
	kind  error
	after time.Duration // Retry-After, for ErrRateLimited
}

func (e sentenceErr) Error() string        { return e.msg }
func (e sentenceErr) Is(target error) bool { return target == e.kind }

func sentence(kind error, format string, args ...any) error {
	return sentenceErr{msg: fmt.Sprintf(format, args...), kind: kind}
}

// Errors callers test for with errors.Is.
var (
	ErrUnauthorized = errors.New("unauthorized")
	ErrForbidden    = errors.New("forbidden")
	ErrUnreachable  = errors.New("unreachable")
	ErrRateLimited  = errors.New("rate limited") // 429: try again after RetryAfter
	ErrServer       = errors.New("server error") // 5xx: try again later
	// ErrProjectNotFound: the project is gone, moved, or hidden from the token.
	ErrProjectNotFound = errors.New("project not found")
)

// RetryAfter is how long GitLab asked us to wait in a 429's Retry-After; ok
// is false when the error is not one or GitLab named no time.
func RetryAfter(err error) (d time.Duration, ok bool) {
	var e sentenceErr
	if errors.As(err, &e) && e.after > 0 {
		return e.after, true
	}
	return 0, false
}

// Temporary reports whether an error from a GitLab call may heal by itself:
// the network, a rate limit, or GitLab's own failure (5xx).
func Temporary(err error) bool {
	return errors.Is(err, ErrUnreachable) || errors.Is(err, ErrRateLimited) || errors.Is(err, ErrServer)
}
