package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sla lists the demo project's policy from its team folder with the open
// tickets due soon and breached; sla check reads a file as the app will.
func TestSLA(t *testing.T) {
	t.Parallel()
	p := newOutboxProfile(t)
	var rows []struct {
		Project, Calendar, Targets, Problem string
		Breached                            int
	}
	out := p.ok(t, "", "sla", "--json")
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("sla --json: %v\n%s", err, out)
	}
	if len(rows) != 1 || rows[0].Problem != "" || rows[0].Project != p.sb.Info().Project ||
		rows[0].Targets != "first response 4h, resolution 72h; label urgent: first response 1h, resolution 24h" ||
		!strings.HasPrefix(rows[0].Calendar, "Europe/Berlin 24/7") || rows[0].Breached == 0 {
		t.Fatalf("sla: %+v", rows)
	}
	if text := p.ok(t, "", "sla"); !strings.Contains(text, "breached") {
		t.Errorf("sla:\n%s", text)
	}

	dir := t.TempDir()
	good := filepath.Join(dir, "sla.yml")
	if err := os.WriteFile(good, []byte("version: 1\ntimezone: UTC\nhours:\n  mon-fri: 09:00-17:00\nfirst_response: 1h30m\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if text := p.ok(t, "", "sla", "check", good); !strings.Contains(text, "reads: first response 1h30m, resolution none") ||
		!strings.Contains(text, "hours: UTC, mon 09:00-17:00") || !strings.Contains(text, "is due for a first response at") {
		t.Errorf("sla check:\n%s", text)
	}
	noFirst := filepath.Join(dir, "resolution-only.yml")
	if err := os.WriteFile(noFirst, []byte("version: 1\ntimezone: UTC\nhours: 24/7\nresolution: 40h\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if text := p.ok(t, "", "sla", "check", noFirst); !strings.Contains(text, "no first-response target") || strings.Contains(text, "is due") {
		t.Errorf("sla check without a first-response target:\n%s", text)
	}
	bad := filepath.Join(dir, "broken.yml")
	if err := os.WriteFile(bad, []byte("version: 1\ntimezone: UTC\nhours: 24/7\nfirst_respons: 4h\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := p.run(t, "", "sla", "check", bad)
	if code != 1 || !strings.Contains(errOut, "broken.yml:4:") {
		t.Errorf("sla check of a broken file: exit %d, %q", code, errOut)
	}
}
