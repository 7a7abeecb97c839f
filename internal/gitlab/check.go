package gitlab

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	gl "gitlab.com/gitlab-org/api/client-go"
)

// Report is what a connection test learned about a GitLab account and one
// of its projects.
type Report struct {
	Username           string
	Name               string
	Scopes             []string // nil when GitLab did not say (not a personal access token)
	Project            string   // path with namespace
	ServiceDeskEnabled bool
	ServiceDeskAddress string
}

// Summary is the test's result as one sentence.
func (r Report) Summary() string {
	return fmt.Sprintf("Signed in as %s; project %s has Service Desk on (%s).", r.Username, r.Project, r.ServiceDeskAddress)
}

// ErrScope and ErrServiceDeskOff are the refusals a test reports besides
// the client's own errors.
var (
	ErrScope          = errors.New("token lacks the api scope")
	ErrServiceDeskOff = errors.New("service desk is off")
)

// Check signs in, reads the token's scopes and the project's Service Desk
// state. It fails with one sentence per problem: a refused token, a token
// without the api scope (the app writes notes and labels), a missing
// project, or a project whose Service Desk is off.
func (c *Client) Check(ctx context.Context, project string) (Report, error) {
	var r Report
	var err error
	if r.Username, r.Name, err = c.CurrentUser(ctx); err != nil {
		return r, err
	}
	tok, _, err := c.api.PersonalAccessTokens.GetSinglePersonalAccessToken(gl.WithContext(ctx))
	switch {
	case err == nil:
		r.Scopes = tok.Scopes
		if !slices.Contains(r.Scopes, "api") {
			return r, sentence(ErrScope, "the token of %s has the scopes %s but not api, which Service Desk needs to post replies and change tickets: create a token with the api scope",
				r.Username, strings.Join(r.Scopes, ", "))
		}
	case errors.Is(err, gl.ErrNotFound):
		// Not a personal access token (or an older GitLab): the project
		// read below still proves access.
	default:
		return r, c.explain(err, "read the token's scopes")
	}
	p, err := c.Project(ctx, strings.Trim(project, "/"))
	if err != nil {
		return r, err
	}
	r.Project, r.ServiceDeskEnabled, r.ServiceDeskAddress = p.Path, p.ServiceDeskEnabled, p.ServiceDeskAddress
	if !p.ServiceDeskEnabled {
		return r, sentence(ErrServiceDeskOff, "project %s has Service Desk turned off: turn it on in the project's Settings > General > Service Desk", p.Path)
	}
	return r, nil
}
