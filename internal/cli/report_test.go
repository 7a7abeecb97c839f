package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// report counts the profile's tickets as the sandbox GitLab has them, and
// prints text, JSON and CSV.
func TestReport(t *testing.T) {
	t.Parallel()
	p := newOutboxProfile(t)
	opened, closed := 0, 0
	for _, is := range p.sb.World().Issues() {
		if is.Deleted {
			continue
		}
		opened++
		if is.State == "closed" {
			closed++
		}
	}
	var r struct {
		Opened, Closed int
		FirstResponse  struct{ Count int } `json:"first_response"`
		RepliesByAgent []struct {
			Agent   string
			Replies int
		} `json:"replies_by_agent"`
	}
	out := p.ok(t, "", "report", "--from", "2000-01-01", "--to", "2100-01-01", "--json")
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("report --json: %v\n%s", err, out)
	}
	if r.Opened != opened || r.Closed != closed || r.FirstResponse.Count == 0 || len(r.RepliesByAgent) == 0 {
		t.Fatalf("report %+v; the sandbox has %d tickets, %d closed", r, opened, closed)
	}
	csv := p.ok(t, "", "report", "--from", "2000-01-01", "--to", "2100-01-01", "--csv")
	if !strings.HasPrefix(csv, "section,name,value\n") || !strings.Contains(csv, "tickets,opened,") {
		t.Fatalf("report --csv:\n%s", csv)
	}
	text := p.ok(t, "", "report", "--from", "2000-01-01", "--to", "2100-01-01")
	if !strings.Contains(text, "First response") || !strings.Contains(text, "Busiest hour") {
		t.Fatalf("report:\n%s", text)
	}
	if code, _, _ := p.run(t, "", "report", "--from", "yesterday", "--to", "2100-01-01"); code != 2 {
		t.Errorf("a bad date: exit %d, want 2", code)
	}
}
