package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// GitLab is a fake GitLab serving the REST API (/api/v4) over a World, in
// GitLab's documented shapes. It implements http.Handler and is safe for
// concurrent use.
type GitLab struct {
	w   *World
	mux *http.ServeMux

	mu        sync.Mutex
	faults    []*fault
	requests  []Request
	limit     *rateWindow // enforced rate limit; nil: none
	limited   int         // requests refused for going over it
	latency   time.Duration
	noKeyset  bool // answer pagination=keyset with 405, as GitLab before 18.3
	scopes    []string
	sdOff     bool   // Service Desk turned off on the project
	token     string // replaces the world's token when set
	rotations int
}

// Request is one API request the fake GitLab received.
type Request struct {
	Method string
	Path   string // escaped path, e.g. /api/v4/projects/acme%2Fsupport
	Query  string
	Status int       // 0 while it is being answered
	At     time.Time // when it arrived
}

type fault struct {
	prefix     string
	status     int
	left       int
	retryAfter time.Duration
	drop       bool // close the connection without an answer
	loseAnswer bool // serve the request, then close the connection without the answer
}

var _ http.Handler = (*GitLab)(nil)

// NewGitLab returns a fake GitLab serving w.
func NewGitLab(w *World) *GitLab {
	g := &GitLab{w: w, mux: http.NewServeMux()}
	g.mux.HandleFunc("GET /api/v4/user", g.getUser)
	g.mux.HandleFunc("GET /api/v4/personal_access_tokens/self", g.getTokenSelf)
	g.mux.HandleFunc("GET /api/v4/version", g.getVersion)
	g.mux.HandleFunc("GET /api/v4/projects/{id}", g.getProject)
	g.mux.HandleFunc("GET /api/v4/projects/{id}/labels", g.getLabels)
	g.mux.HandleFunc("GET /api/v4/projects/{id}/members/all", g.getMembers)
	g.mux.HandleFunc("GET /api/v4/projects/{id}/members", g.getMembers)
	g.mux.HandleFunc("GET /api/v4/projects/{id}/issues", g.listIssues)
	g.mux.HandleFunc("GET /api/v4/projects/{id}/issues/{iid}", g.getIssue)
	g.mux.HandleFunc("PUT /api/v4/projects/{id}/issues/{iid}", g.putIssue)
	g.mux.HandleFunc("GET /api/v4/projects/{id}/issues/{iid}/notes", g.listNotes)
	g.mux.HandleFunc("POST /api/v4/projects/{id}/issues/{iid}/notes", g.postNote)
	g.mux.HandleFunc("DELETE /api/v4/projects/{id}/issues/{iid}/notes/{note}", g.deleteNote)
	g.mux.HandleFunc("GET /api/v4/projects/{id}/repository/tree", g.getTree)
	g.mux.HandleFunc("GET /api/v4/projects/{id}/repository/files/{path}", g.getFile)
	g.mux.HandleFunc("POST /-/sandbox/rotate-token", g.rotateToken)
	g.mux.HandleFunc("/", func(rw http.ResponseWriter, r *http.Request) {
		writeJSON(rw, http.StatusNotFound, map[string]any{"error": "404 Not Found"})
	})
	return g
}

// World returns the world the fake serves.
func (g *GitLab) World() *World { return g.w }

// Token returns the personal access token the fake accepts.
func (g *GitLab) Token() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.token != "" {
		return g.token
	}
	return g.w.token
}

// rotateToken is the sandbox's own endpoint (not GitLab's API): it revokes
// the token it was called with and answers {"token": "<new token>"}, so a
// test can show what an agent sees when a token is revoked.
func (g *GitLab) rotateToken(rw http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	g.rotations++
	token := fmt.Sprintf("glpat-rotated%02d%s", g.rotations, strings.TrimPrefix(g.w.token, "glpat-")[:12])
	g.mu.Unlock()
	g.SetToken(token)
	writeJSON(rw, http.StatusOK, map[string]any{"token": token})
}

// SetToken replaces the valid token, as when the agent's token is revoked
// and a new one created: the old one gets 401 from then on.
func (g *GitLab) SetToken(token string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.token = token
}

// FailNext answers the next n requests whose path starts with pathPrefix
// (with or without the /api/v4 prefix; a trailing "$" matches the whole path) with status and a GitLab error body;
// a 429 carries Retry-After when retryAfter > 0.
func (g *GitLab) FailNext(pathPrefix string, status int, n int, retryAfter time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.faults = append(g.faults, &fault{prefix: pathPrefix, status: status, left: n, retryAfter: retryAfter})
}

// SetTokenScopes changes the scopes the token reports (default: api).
func (g *GitLab) SetTokenScopes(scopes ...string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.scopes = scopes
}

func (g *GitLab) tokenScopes() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.scopes == nil {
		return []string{"api"}
	}
	return g.scopes
}

// SetServiceDesk turns the project's Service Desk on or off.
func (g *GitLab) SetServiceDesk(on bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.sdOff = !on
}

// Requests returns how many API requests the fake has answered.
func (g *GitLab) Requests() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.requests)
}

// RequestLog returns the requests answered so far, oldest first.
func (g *GitLab) RequestLog() []Request {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]Request(nil), g.requests...)
}

// Issue returns the issue with the given iid; false when absent or deleted.
func (g *GitLab) Issue(iid int64) (Issue, bool) { return g.w.Issue(iid) }

// Notes returns the notes of an issue, oldest first.
func (g *GitLab) Notes(iid int64) []Note { return g.w.Notes(iid) }

// AddCustomerTicket files a new ticket from a customer mail; see World.AddCustomerTicket.
func (g *GitLab) AddCustomerTicket(c Customer, subj, body string) Issue {
	return g.w.AddCustomerTicket(c, subj, body)
}

// AddCustomerReply records a customer's e-mail follow-up; see World.AddCustomerReply.
func (g *GitLab) AddCustomerReply(iid int64, body string) (Note, error) {
	return g.w.AddCustomerReply(iid, body)
}

// DeleteIssue deletes an issue; it then answers 404 and leaves every list.
func (g *GitLab) DeleteIssue(iid int64) error { return g.w.DeleteIssue(iid) }

// MoveIssue moves an issue away: closed, moved_to_id set. It returns the new id.
func (g *GitLab) MoveIssue(iid int64) (int64, error) { return g.w.MoveIssue(iid) }

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// ServeHTTP answers one API request.
func (g *GitLab) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	rec := &statusRecorder{ResponseWriter: rw, status: http.StatusOK}
	// The request is logged as it arrives (a client that sees a dropped
	// connection may read the log before this handler returns); its status
	// is filled in when it is answered.
	g.mu.Lock()
	at := len(g.requests)
	g.requests = append(g.requests, Request{Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.RawQuery, At: time.Now()})
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		g.requests[at].Status = rec.status
		g.mu.Unlock()
	}()
	h := rw.Header()
	g.mu.Lock()
	latency := g.latency
	g.mu.Unlock()
	if latency > 0 {
		select {
		case <-time.After(latency):
		case <-r.Context().Done():
			return
		}
	}
	if !g.throttle(h, time.Now()) {
		writeJSON(rec, http.StatusTooManyRequests, map[string]any{"message": "Retry later"})
		return
	}
	if f := g.takeFault(r.Method, r.URL.Path); f != nil {
		if f.drop {
			drop(rw)
			return
		}
		if f.loseAnswer && g.authorized(r) {
			g.mux.ServeHTTP(httptest.NewRecorder(), r) // done, and the answer never leaves
			drop(rw)
			return
		}
		if f.status == http.StatusTooManyRequests && f.retryAfter > 0 {
			h.Set("Retry-After", strconv.Itoa(int((f.retryAfter+time.Second-1)/time.Second)))
			h.Set("RateLimit-Remaining", "0")
		}
		writeJSON(rec, f.status, map[string]any{"message": fmt.Sprintf("%d %s", f.status, http.StatusText(f.status))})
		return
	}
	if !g.authorized(r) {
		writeJSON(rec, http.StatusUnauthorized, map[string]any{"message": "401 Unauthorized"})
		return
	}
	g.mux.ServeHTTP(rec, r)
}

func (g *GitLab) takeFault(method, path string) *fault {
	g.mu.Lock()
	defer g.mu.Unlock()
	for i, f := range g.faults {
		if f.loseAnswer && method == http.MethodGet {
			continue // a lost answer is a write's trouble
		}
		if hasPathPrefix(path, f.prefix) {
			f.left--
			if f.left <= 0 {
				g.faults = append(g.faults[:i], g.faults[i+1:]...)
			}
			return f
		}
	}
	return nil
}

func (g *GitLab) authorized(r *http.Request) bool {
	tok := r.Header.Get("PRIVATE-TOKEN")
	if tok == "" {
		if b, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			tok = b
		}
	}
	return tok != "" && tok == g.Token()
}

func writeJSON(rw http.ResponseWriter, status int, v any) {
	rw.Header().Set("Content-Type", "application/json")
	rw.WriteHeader(status)
	_ = json.NewEncoder(rw).Encode(v)
}

func badRequest(rw http.ResponseWriter, msg string) {
	writeJSON(rw, http.StatusBadRequest, map[string]any{"error": msg})
}

func (g *GitLab) getUser(rw http.ResponseWriter, r *http.Request) {
	u := g.w.agents[0]
	j := g.userJSON(u)
	j["email"] = u.Email
	j["public_email"] = u.Email
	j["bot"] = false
	j["is_admin"] = false
	j["created_at"] = gitlabTime(g.w.now.AddDate(-1, 0, 0))
	writeJSON(rw, http.StatusOK, j)
}

func (g *GitLab) getTokenSelf(rw http.ResponseWriter, r *http.Request) {
	writeJSON(rw, http.StatusOK, map[string]any{
		"id": 4711, "name": "Service Desk Desktop", "revoked": false, "active": true,
		"created_at": gitlabTime(g.w.now.AddDate(0, -3, 0)), "scopes": g.tokenScopes(),
		"user_id": g.w.agents[0].ID, "expires_at": g.w.now.AddDate(0, 9, 0).Format("2006-01-02"), "last_used_at": gitlabTime(g.w.now),
	})
}

func (g *GitLab) getVersion(rw http.ResponseWriter, r *http.Request) {
	writeJSON(rw, http.StatusOK, map[string]any{"version": "18.5.1-ee", "revision": "a1b2c3d4e5f", "enterprise": true})
}

// project resolves :id (numeric or URL-encoded path) or writes a 404.
func (g *GitLab) project(rw http.ResponseWriter, r *http.Request) bool {
	id := r.PathValue("id")
	p := g.w.project
	if id == strconv.FormatInt(p.ID, 10) || id == p.PathWithNamespace() {
		return true
	}
	writeJSON(rw, http.StatusNotFound, map[string]any{"message": "404 Project Not Found"})
	return false
}

func (g *GitLab) getProject(rw http.ResponseWriter, r *http.Request) {
	if g.project(rw, r) {
		j := g.projectJSON(g.w.project)
		g.mu.Lock()
		if g.sdOff {
			j["service_desk_enabled"], j["service_desk_address"] = false, nil
		}
		g.mu.Unlock()
		writeJSON(rw, http.StatusOK, j)
	}
}

func (g *GitLab) getLabels(rw http.ResponseWriter, r *http.Request) {
	if !g.project(rw, r) {
		return
	}
	out := []any{}
	for _, l := range g.w.labels {
		out = append(out, map[string]any{"id": l.ID, "name": l.Name, "color": l.Color, "text_color": "#FFFFFF",
			"description": l.Description, "priority": nil, "is_project_label": true, "subscribed": false})
	}
	page, per, err := pageParams(r.URL.Query())
	if err != nil {
		badRequest(rw, err.Error())
		return
	}
	lo, hi := offsetPage(rw, r, len(out), page, per)
	writeJSON(rw, http.StatusOK, out[lo:hi])
}

func (g *GitLab) getMembers(rw http.ResponseWriter, r *http.Request) {
	if !g.project(rw, r) {
		return
	}
	out := []any{}
	for i, a := range g.w.agents {
		j := g.userJSON(a)
		j["access_level"] = 30
		if i == 0 {
			j["access_level"] = 40
		}
		j["created_at"] = gitlabTime(g.w.now.AddDate(-1, 0, 0))
		j["expires_at"] = nil
		out = append(out, j)
	}
	page, per, err := pageParams(r.URL.Query())
	if err != nil {
		badRequest(rw, err.Error())
		return
	}
	lo, hi := offsetPage(rw, r, len(out), page, per)
	writeJSON(rw, http.StatusOK, out[lo:hi])
}

// issueByPath resolves :id and :iid or writes a 404; the caller holds the world's lock.
func (g *GitLab) issueByPath(rw http.ResponseWriter, r *http.Request) *Issue {
	if !g.project(rw, r) {
		return nil
	}
	iid, err := strconv.ParseInt(r.PathValue("iid"), 10, 64)
	if err != nil {
		writeJSON(rw, http.StatusNotFound, map[string]any{"error": "404 Not Found"})
		return nil
	}
	is := g.w.issueLocked(iid)
	if is == nil {
		writeJSON(rw, http.StatusNotFound, map[string]any{"message": "404 Not found"})
	}
	return is
}

func (g *GitLab) getIssue(rw http.ResponseWriter, r *http.Request) {
	g.w.mu.Lock()
	defer g.w.mu.Unlock()
	if is := g.issueByPath(rw, r); is != nil {
		writeJSON(rw, http.StatusOK, g.issueJSON(is))
	}
}

func (g *GitLab) listNotes(rw http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page, per, err := pageParams(q)
	if err != nil {
		badRequest(rw, err.Error())
		return
	}
	orderBy, sortDir := q.Get("order_by"), q.Get("sort")
	if orderBy != "" && orderBy != "created_at" && orderBy != "updated_at" {
		badRequest(rw, "order_by does not have a valid value")
		return
	}
	if sortDir != "" && sortDir != "asc" && sortDir != "desc" {
		badRequest(rw, "sort does not have a valid value")
		return
	}
	g.w.mu.Lock()
	defer g.w.mu.Unlock()
	is := g.issueByPath(rw, r)
	if is == nil {
		return
	}
	notes := append([]*Note(nil), g.w.notes[is.IID]...)
	key := func(n *Note) time.Time {
		if orderBy == "updated_at" {
			return n.UpdatedAt
		}
		return n.CreatedAt
	}
	sort.SliceStable(notes, func(i, j int) bool {
		a, b := key(notes[i]), key(notes[j])
		if !a.Equal(b) {
			return a.Before(b) == (sortDir == "asc")
		}
		return (notes[i].ID < notes[j].ID) == (sortDir == "asc")
	})
	lo, hi := offsetPage(rw, r, len(notes), page, per)
	out := []any{}
	for _, n := range notes[lo:hi] {
		out = append(out, g.noteJSON(n, is))
	}
	writeJSON(rw, http.StatusOK, out)
}
