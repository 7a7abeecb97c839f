package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// parseTime reads an ISO 8601 time as GitLab's API accepts it.
func parseTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("invalid time %q", s)
}

// issueFilter is the parsed query of GET /projects/:id/issues.
type issueFilter struct {
	author, state, assignee     string
	updatedAfter, updatedBefore time.Time
	createdAfter, createdBefore time.Time
	labels                      []string
	iids                        map[int64]bool
	orderBy, sort               string
}

func parseIssueFilter(q url.Values) (issueFilter, error) {
	f := issueFilter{author: q.Get("author_username"), state: q.Get("state"), assignee: q.Get("assignee_username"),
		orderBy: q.Get("order_by"), sort: q.Get("sort")}
	if f.state == "" {
		f.state = "all"
	}
	if f.state != "opened" && f.state != "closed" && f.state != "all" {
		return f, fmt.Errorf("state does not have a valid value")
	}
	if f.orderBy == "" {
		f.orderBy = "created_at"
	}
	if f.sort == "" {
		f.sort = "desc"
	}
	if f.sort != "asc" && f.sort != "desc" {
		return f, fmt.Errorf("sort does not have a valid value")
	}
	for key, dst := range map[string]*time.Time{"updated_after": &f.updatedAfter, "updated_before": &f.updatedBefore,
		"created_after": &f.createdAfter, "created_before": &f.createdBefore} {
		if s := q.Get(key); s != "" {
			t, err := parseTime(s)
			if err != nil {
				return f, fmt.Errorf("%s is invalid", key)
			}
			*dst = t
		}
	}
	if s := q.Get("labels"); s != "" {
		f.labels = strings.Split(s, ",")
	}
	for _, s := range append(q["iids[]"], q["iids"]...) {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return f, fmt.Errorf("iids[] is invalid")
		}
		if f.iids == nil {
			f.iids = map[int64]bool{}
		}
		f.iids[id] = true
	}
	return f, nil
}

func (w *World) matches(is *Issue, f issueFilter) bool {
	switch {
	case f.author != "" && f.author != w.bot.Username,
		f.state != "all" && is.State != f.state,
		!f.updatedAfter.IsZero() && is.UpdatedAt.Before(f.updatedAfter),
		!f.updatedBefore.IsZero() && is.UpdatedAt.After(f.updatedBefore),
		!f.createdAfter.IsZero() && is.CreatedAt.Before(f.createdAfter),
		!f.createdBefore.IsZero() && is.CreatedAt.After(f.createdBefore),
		f.iids != nil && !f.iids[is.IID]:
		return false
	}
	for _, l := range f.labels {
		if l == "None" && len(is.Labels) > 0 || l == "Any" && len(is.Labels) == 0 || l != "None" && l != "Any" && !slices.Contains(is.Labels, l) {
			return false
		}
	}
	if f.assignee != "" {
		u, ok := w.userByName(f.assignee)
		if !ok || !slices.Contains(is.AssigneeIDs, u.ID) {
			return false
		}
	}
	return true
}

// sortKey is the value issues are ordered by, for offset and keyset pages.
func sortKey(is *Issue, orderBy string) int64 {
	switch orderBy {
	case "updated_at":
		return is.UpdatedAt.UnixMilli()
	case "id":
		return is.ID
	default:
		return is.CreatedAt.UnixMilli()
	}
}

func (g *GitLab) listIssues(rw http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, err := parseIssueFilter(q)
	if err == nil && !slices.Contains([]string{"created_at", "updated_at", "id", "title", "priority", "due_date"}, f.orderBy) {
		err = fmt.Errorf("order_by does not have a valid value")
	}
	page, per, perr := pageParams(q)
	if err == nil {
		err = perr
	}
	keyset := q.Get("pagination") == "keyset"
	g.mu.Lock()
	oldGitLab := g.noKeyset
	g.mu.Unlock()
	if keyset && oldGitLab {
		writeJSON(rw, http.StatusMethodNotAllowed, map[string]any{"message": "405 Method Not Allowed"})
		return
	}
	var after *cursor
	if err == nil && keyset {
		if f.orderBy != "created_at" && f.orderBy != "updated_at" && f.orderBy != "id" {
			err = fmt.Errorf("order_by does not support keyset pagination")
		} else if c := q.Get("cursor"); c != "" {
			cur, cerr := decodeCursor(c)
			err, after = cerr, &cur
		}
	}
	if err != nil {
		badRequest(rw, err.Error())
		return
	}
	if !g.project(rw, r) {
		return
	}
	g.w.mu.Lock()
	defer g.w.mu.Unlock()
	var list []*Issue
	for _, is := range g.w.issues {
		if !is.Deleted && g.w.matches(is, f) {
			list = append(list, is)
		}
	}
	asc := f.sort == "asc"
	less := func(a, b *Issue) bool {
		ka, kb := sortKey(a, f.orderBy), sortKey(b, f.orderBy)
		if ka != kb {
			return (ka < kb) == asc
		}
		return (a.ID < b.ID) == asc
	}
	sort.SliceStable(list, func(i, j int) bool { return less(list[i], list[j]) })
	if keyset {
		if after != nil {
			pivot := &Issue{ID: after.ID, CreatedAt: time.UnixMilli(after.Value), UpdatedAt: time.UnixMilli(after.Value)}
			if f.orderBy == "id" {
				pivot.ID = after.Value
			}
			i := sort.Search(len(list), func(i int) bool { return less(pivot, list[i]) })
			list = list[i:]
		}
		if len(list) > per {
			list = list[:per]
			last := list[per-1]
			keysetNext(rw, r, per, cursor{Value: sortKey(last, f.orderBy), ID: last.ID})
		}
		rw.Header().Set("X-Per-Page", strconv.Itoa(per))
		g.writeIssues(rw, list)
		return
	}
	lo, hi := offsetPage(rw, r, len(list), page, per)
	g.writeIssues(rw, list[lo:hi])
}

func (g *GitLab) writeIssues(rw http.ResponseWriter, list []*Issue) {
	out := make([]any, 0, len(list))
	for _, is := range list {
		out = append(out, g.issueJSON(is))
	}
	writeJSON(rw, http.StatusOK, out)
}

// params reads a request's parameters from a JSON body or a form, as GitLab accepts both.
type params map[string]any

func readParams(r *http.Request) (params, error) {
	p := params{}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		if err := json.NewDecoder(r.Body).Decode(&p); err != nil {
			return nil, fmt.Errorf("body is not valid JSON: %w", err)
		}
		return p, nil
	}
	if err := r.ParseForm(); err != nil {
		return nil, fmt.Errorf("parse form: %w", err)
	}
	for k, v := range r.Form {
		if strings.HasSuffix(k, "[]") {
			p[strings.TrimSuffix(k, "[]")] = v
		} else {
			p[k] = v[0]
		}
	}
	return p, nil
}

func (p params) has(k string) bool { _, ok := p[k]; return ok }

func (p params) str(k string) string {
	switch v := p[k].(type) {
	case string:
		return v
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
}

// list reads a comma-separated string or an array.
func (p params) list(k string) []string {
	var out []string
	switch v := p[k].(type) {
	case string:
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	case []string:
		out = v
	case []any:
		for _, x := range v {
			out = append(out, fmt.Sprint(x))
		}
	case float64:
		out = []string{strconv.FormatFloat(v, 'f', -1, 64)}
	}
	return out
}

func (p params) bool(k string) bool {
	switch v := p[k].(type) {
	case bool:
		return v
	case string:
		return v == "true" || v == "1"
	}
	return false
}
