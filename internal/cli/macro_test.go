package cli

import (
	"slices"
	"strings"
	"testing"

	"servicedesk/internal/sandbox"
)

// macro list shows the team's macros (a broken one with its line); macro
// apply queues one on a ticket, and the outbox delivers all of it.
func TestMacroListAndApply(t *testing.T) {
	t.Parallel()
	p := newOutboxProfile(t)
	w := p.sb.World()
	spec := "name: Needs logs\nreply_text: \"Hi {{customer.first_name}}, could you send us the logs?\"\nadd_labels: [needs-info]\n"
	broken := "add_labels: [bug\n"
	rules := "- name: Logs to Tom\n  when:\n    words: [log]\n  do:\n    assign: [tom.becker]\n"
	w.SetRepoFile(sandbox.TeamDir+"/rules.yml", &rules)
	w.SetRepoFile(sandbox.TeamDir+"/macros/needs-logs.yml", &spec)
	w.SetRepoFile(sandbox.TeamDir+"/macros/broken.yml", &broken)
	p.ok(t, "", "sync")

	out := p.ok(t, "", "macro", "list")
	if !strings.Contains(out, "Needs logs") || !strings.Contains(out, "add labels needs-info; reply") ||
		!strings.Contains(out, "BROKEN: .gitlab/service_desk_desktop/macros/broken.yml: line 1") {
		t.Fatalf("macro list:\n%s", out)
	}
	if out := p.ok(t, "", "rules"); !strings.Contains(out, "Logs to Tom") || !strings.Contains(out, "mentions log") || !strings.Contains(out, "assign @tom.becker") {
		t.Fatalf("rules:\n%s", out)
	}
	p.failsWithOneLine(t, "no macro \"nope\"", "", "macro", "apply", "3", "nope")
	code, _, _ := p.run(t, "", "macro", "apply", "3")
	if code != 2 {
		t.Errorf("macro apply without a name: exit %d, want 2 (usage)", code)
	}

	ids := p.ok(t, "", "macro", "apply", "3", "Needs logs", "--now")
	if lines := strings.Split(strings.TrimSpace(ids), "\n"); len(lines) != 2 || !strings.HasSuffix(lines[0], "labels") || !strings.HasSuffix(lines[1], "reply") {
		t.Fatalf("macro apply printed %q", ids)
	}
	p.ok(t, "", "outbox", "flush", "--wait", "30s")
	if n := p.notesWith(3, "could you send us the logs?"); len(n) != 1 || strings.Contains(n[0].Body, "{{") {
		t.Fatalf("GitLab's #3 has the macro's reply %d times: %+v", len(n), n)
	}
	if is, _ := p.sb.GitLab().Issue(3); !slices.Contains(is.Labels, "needs-info") {
		t.Fatalf("labels %v", is.Labels)
	}
}
