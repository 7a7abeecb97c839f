package sandbox

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"path"
	"slices"
	"strings"

	"servicedesk/internal/model"
)

// TeamDir is where the team keeps Service Desk Desktop's shared templates,
// macros, rules and SLA in the project's repository.
const TeamDir = model.TeamDir

// defaultRepoFiles is the demo project's repository: the team's shared
// reply templates, macros and service levels, and GitLab's own Service Desk
// e-mail template beside them.
func defaultRepoFiles() map[string]string {
	return map[string]string{
		"README.md": "# Support\n\nThe Acme support project.\n",
		".gitlab/service_desk_templates/thank_you.md": "Thank you for contacting Acme support! Your request is %{ISSUE_ID}.\n",
		TeamDir + "/templates/refund-approved.md": "Hi {{customer.first_name}},\n\nwe have refunded the duplicate charge; " +
			"it shows on your statement within 5 business days.\n\nBest regards,\n{{agent.name}}\n",
		TeamDir + "/templates/password-reset.md": "Hi {{customer.first_name}},\n\nthe reset e-mail comes from no-reply@acme.com; " +
			"please check your spam folder. The link works for one hour.\n\n{{agent.name}}\n",
		TeamDir + "/macros/refund-approved.yml": "name: Refund approved\n" +
			"description: \"The refund is issued: tell the customer, note it for finance, and close.\"\n" +
			"reply: refund-approved\nnote: Refund issued in Stripe.\nadd_labels: [refund]\nremove_labels: [urgent]\nstate: close\n",
		TeamDir + "/macros/escalate-to-billing.yml": "name: Escalate to billing\n" +
			"description: Hand the ticket to the billing team.\n" +
			"add_labels: [billing, urgent]\nassign: [priya.natarajan]\nnote: Escalated to billing, please take over.\n",
		TeamDir + "/templates/closing-no-answer.md": "Hi {{customer.first_name}},\n\nwe haven't heard back on #{{ticket.iid}}, " +
			"so we are closing it for now. Just reply to open it again.\n\n{{agent.name}}\n",
		// Round the clock, so the demo's timers move whenever it is opened.
		TeamDir + "/sla.yml": "# Acme's service levels: read by Service Desk Desktop from this file.\n" +
			"version: 1\ntimezone: Europe/Berlin\nhours: 24/7\nholidays:\n  - 2026-12-25 Christmas Day\n" +
			"first_response: 4h\nresolution: 72h\nwarn_before: 25%\npause_while_waiting_on_customer: true\n" +
			"labels:\n  urgent:\n    first_response: 1h\n    resolution: 24h\n",
	}
}

// RepoFiles returns the paths of the demo repository's files, sorted.
func (w *World) RepoFiles() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]string, 0, len(w.repo))
	for p := range w.repo {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// SetRepoFile writes (content non-nil) or deletes a file of the project's
// repository, as a push to the default branch would.
func (w *World) SetRepoFile(p string, content *string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if content == nil {
		delete(w.repo, p)
		return
	}
	w.repo[p] = *content
}

func (w *World) repoFile(p string) (string, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	c, ok := w.repo[p]
	return c, ok
}

// blobID is git's object id of a blob.
func blobID(content string) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(content))
	h.Write([]byte(content))
	return hex.EncodeToString(h.Sum(nil))
}

// getTree serves GET /projects/:id/repository/tree (path, ref, recursive,
// pagination): the entries under path, trees before blobs, as GitLab lists
// them; 404 "Tree Not Found" for a path with nothing under it.
func (g *GitLab) getTree(rw http.ResponseWriter, r *http.Request) {
	if !g.project(rw, r) {
		return
	}
	q := r.URL.Query()
	if ref := q.Get("ref"); ref != "" && ref != "main" && ref != "HEAD" {
		writeJSON(rw, http.StatusNotFound, map[string]any{"message": "404 Tree Not Found"})
		return
	}
	dir := strings.Trim(q.Get("path"), "/")
	recursive := q.Get("recursive") == "true"
	type entry struct{ path, kind string }
	seen := map[string]bool{}
	var entries []entry
	for _, p := range g.w.RepoFiles() {
		rest := p
		if dir != "" {
			if !strings.HasPrefix(p, dir+"/") {
				continue
			}
			rest = strings.TrimPrefix(p, dir+"/")
		}
		parts := strings.Split(rest, "/")
		prefix := dir
		for i, part := range parts {
			full := path.Join(prefix, part)
			prefix = full
			last := i == len(parts)-1
			if !seen[full] {
				seen[full] = true
				kind := "tree"
				if last {
					kind = "blob"
				}
				entries = append(entries, entry{full, kind})
			}
			if !recursive {
				break
			}
		}
	}
	if len(entries) == 0 {
		writeJSON(rw, http.StatusNotFound, map[string]any{"message": "404 Tree Not Found"})
		return
	}
	slices.SortFunc(entries, func(a, b entry) int {
		if a.kind != b.kind {
			return strings.Compare(b.kind, a.kind) // tree before blob
		}
		return strings.Compare(a.path, b.path)
	})
	out := make([]any, 0, len(entries))
	for _, e := range entries {
		id, mode := blobID(e.path), "040000"
		if e.kind == "blob" {
			c, _ := g.w.repoFile(e.path)
			id, mode = blobID(c), "100644"
		}
		out = append(out, map[string]any{"id": id, "name": path.Base(e.path), "type": e.kind, "path": e.path, "mode": mode})
	}
	page, per, err := pageParams(q)
	if err != nil {
		badRequest(rw, err.Error())
		return
	}
	lo, hi := offsetPage(rw, r, len(out), page, per)
	writeJSON(rw, http.StatusOK, out[lo:hi])
}

// getFile serves GET /projects/:id/repository/files/:file_path?ref=: one
// file with its content in base64.
func (g *GitLab) getFile(rw http.ResponseWriter, r *http.Request) {
	if !g.project(rw, r) {
		return
	}
	ref := r.URL.Query().Get("ref")
	if ref == "" {
		badRequest(rw, "ref is missing")
		return
	}
	p := r.PathValue("path")
	c, ok := g.w.repoFile(p)
	if !ok || (ref != "main" && ref != "HEAD") {
		writeJSON(rw, http.StatusNotFound, map[string]any{"message": "404 File Not Found"})
		return
	}
	sum := sha256.Sum256([]byte(c))
	writeJSON(rw, http.StatusOK, map[string]any{
		"file_name": path.Base(p), "file_path": p, "size": len(c), "encoding": "base64",
		"content": base64.StdEncoding.EncodeToString([]byte(c)), "content_sha256": hex.EncodeToString(sum[:]),
		"ref": ref, "blob_id": blobID(c), "commit_id": blobID("commit " + p), "last_commit_id": blobID("commit " + p),
		"execute_filemode": false,
	})
}
