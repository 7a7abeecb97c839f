package service

import (
	"context"
	"slices"
	"strings"
	"testing"

	"servicedesk/internal/model"
	"servicedesk/internal/sandbox"
)

// The team's templates come from the project's repository with the sync,
// stay readable offline, follow edits and deletions, and a file with an
// unknown variable is listed with its path and line, never usable.
func TestSharedTemplatesFromTheRepository(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.svc.SaveGitLab(ctx, f.gitlabForm()); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SaveTemplate(ctx, model.Template{Name: "Mine", Body: "Hi {{customer.first_name}}"}); err != nil {
		t.Fatal(err)
	}
	sync := func() {
		t.Helper()
		if _, err := f.svc.Sync(ctx, SyncOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	shared := func() map[string]model.Template {
		t.Helper()
		ts, err := f.svc.Templates(ctx)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]model.Template{}
		for _, tm := range ts {
			if tm.Path != "" {
				out[tm.Name] = tm
			} else if tm.Name != "Mine" {
				t.Errorf("unexpected own template %q", tm.Name)
			}
		}
		return out
	}
	sync()
	got := shared()
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range got {
			if !yield(n) {
				return
			}
		}
	})
	if !slices.Equal(names, []string{"Closing no answer", "Password reset", "Refund approved"}) {
		t.Fatalf("shared templates %v", names)
	}
	if r := got["Refund approved"]; r.Problem != "" || !strings.HasPrefix(r.Body, "Hi {{customer.first_name}},") || r.ProjectID == 0 {
		t.Fatalf("refund template %+v", r)
	}
	// The demo's macros read and can be applied.
	ms, err := f.svc.Macros(ctx, 0)
	if err != nil || len(ms) != 2 {
		t.Fatalf("demo macros %+v %v", ms, err)
	}
	for _, m := range ms {
		if m.Problem != "" || len(m.Actions) < 3 || m.Description == "" {
			t.Errorf("demo macro %+v", m)
		}
	}

	w := f.sb.World()
	bad := "Hi {{customer.first_name}},\n\nyour order {{ticket.order}} shipped.\n"
	w.SetRepoFile(sandbox.TeamDir+"/templates/password-reset.md", &bad)
	w.SetRepoFile(sandbox.TeamDir+"/templates/closing-no-answer.md", nil)
	before := len(f.sb.GitLab().RequestLog())
	sync()
	got = shared()
	if _, ok := got["Closing no answer"]; ok || len(got) != 2 {
		t.Fatalf("after a deletion: %v", got)
	}
	p := got["Password reset"].Problem
	if !strings.Contains(p, sandbox.TeamDir+"/templates/password-reset.md") || !strings.Contains(p, "line 3") || !strings.Contains(p, "ticket.order") {
		t.Fatalf("the broken template says %q", p)
	}
	// Only the changed file was read again: the listing and one file.
	reads := 0
	for _, r := range f.sb.GitLab().RequestLog()[before:] {
		if strings.Contains(r.Path, "/repository/files/") {
			reads++
		}
	}
	if reads != 1 {
		t.Errorf("%d files read after one change", reads)
	}
}
