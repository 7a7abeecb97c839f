package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"servicedesk/internal/sandbox"
	"servicedesk/internal/secrets"
)

// runCLI runs the command line in-process and returns its exit code, stdout
// and stderr.
func runCLI(t *testing.T, keys secrets.Keychain, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, Env{
		IO:       IO{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb},
		Keychain: keys,
		Window:   func(WindowSpec) error { t.Fatal("no window in tests"); return nil },
	})
	return code, out.String(), errb.String()
}

func startSandbox(t *testing.T) sandbox.Info {
	t.Helper()
	sb, err := sandbox.Start(context.Background(), sandbox.Options{Seed: 3, Tickets: 60})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	return sb.Info()
}

func TestAccountAddSyncTicketsShow(t *testing.T) {
	t.Parallel()
	info := startSandbox(t)
	dir := t.TempDir()
	keys := secrets.NewMemory()

	code, _, errOut := runCLI(t, keys, info.GitLabToken+"\n", "--data-dir", dir, "account", "add", "gitlab",
		"--url", info.GitLabURL, "--project", info.Project, "--token-stdin")
	if code != 0 {
		t.Fatalf("account add: exit %d: %s", code, errOut)
	}
	if tok, err := keys.Get(1, secrets.GitLabToken); err != nil || tok != info.GitLabToken {
		t.Fatalf("token in keychain = %q, %v", tok, err)
	}
	if code, out, errOut := runCLI(t, keys, "", "--data-dir", dir, "sync", "--json"); code != 0 {
		t.Fatalf("sync: exit %d: %s", code, errOut)
	} else if !strings.Contains(out, `"tickets_added": 60`) || !strings.Contains(out, `"tickets_gone": 0`) {
		t.Fatalf("sync output: %s", out)
	}
	code, out, errOut := runCLI(t, keys, "", "--data-dir", dir, "project", "list", "--json")
	var projects []struct {
		Path    string
		Tickets int
		Labels  []struct{ Name string }
		Members []struct{ Username string }
	}
	if code != 0 || json.Unmarshal([]byte(out), &projects) != nil {
		t.Fatalf("project list: exit %d %s %s", code, out, errOut)
	}
	if len(projects) != 1 || projects[0].Path != info.Project || projects[0].Tickets != 60 || len(projects[0].Labels) < 5 || len(projects[0].Members) < 4 {
		t.Fatalf("project list: %+v", projects)
	}

	code, out, errOut = runCLI(t, keys, "", "--data-dir", dir, "tickets", "--state", "all", "--json")
	if code != 0 {
		t.Fatalf("tickets: exit %d: %s", code, errOut)
	}
	var tickets []map[string]any
	if err := json.Unmarshal([]byte(out), &tickets); err != nil {
		t.Fatalf("tickets --json is not a JSON array: %v\n%s", err, out)
	}
	if len(tickets) != 60 {
		t.Fatalf("%d tickets, want 60", len(tickets))
	}
	for _, k := range []string{"iid", "project", "title", "state", "customer", "labels", "assignees", "created_at", "updated_at"} {
		if _, ok := tickets[0][k]; !ok {
			t.Errorf("tickets --json lacks key %q", k)
		}
	}
	if tickets[0]["project"] != info.Project || !strings.Contains(tickets[0]["customer"].(string), "@") {
		t.Errorf("first ticket: project %v customer %v", tickets[0]["project"], tickets[0]["customer"])
	}

	code, out, errOut = runCLI(t, keys, "", "--data-dir", dir, "show", "7", "--json")
	if code != 0 {
		t.Fatalf("show: exit %d: %s", code, errOut)
	}
	var shown struct {
		IID    int64 `json:"iid"`
		Title  string
		Thread []struct {
			Kind, Author, Body string
			CreatedAt          time.Time `json:"created_at"`
		}
	}
	if err := json.Unmarshal([]byte(out), &shown); err != nil {
		t.Fatal(err)
	}
	if shown.IID != 7 || shown.Title == "" || len(shown.Thread) == 0 || shown.Thread[0].Kind != "customer" {
		t.Fatalf("show 7: %+v", shown)
	}
	for i := 1; i < len(shown.Thread); i++ {
		if shown.Thread[i].CreatedAt.Before(shown.Thread[i-1].CreatedAt) {
			t.Fatalf("thread out of time order at %d", i)
		}
		switch shown.Thread[i].Kind {
		case "customer", "reply", "internal", "system", "mail":
		default:
			t.Fatalf("thread entry kind %q", shown.Thread[i].Kind)
		}
	}
}

func TestWrongTokenExitsOneWithOneLine(t *testing.T) {
	t.Parallel()
	info := startSandbox(t)
	dir := t.TempDir()
	code, out, errOut := runCLI(t, secrets.NewMemory(), "glpat-not-the-token\n", "--data-dir", dir, "account", "add", "gitlab",
		"--url", info.GitLabURL, "--project", info.Project, "--token-stdin")
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	if out != "" || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "refused the token") || strings.Contains(errOut, "glpat-not-the-token") {
		t.Fatalf("stdout %q stderr %q: want one line on stderr naming the refusal, without the token", out, errOut)
	}
	if code, out, _ := runCLI(t, nil, "", "--data-dir", dir, "account", "list", "--json"); code != 0 || strings.TrimSpace(out) != "[]" {
		t.Fatalf("a refused account was stored: exit %d, %s", code, out)
	}
}

func TestMisuseExitsTwo(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, args := range [][]string{
		{"--data-dir", dir, "frobnicate"},
		{"--data-dir", dir, "account", "add", "gitlab", "--url", "https://gitlab.com"},
		{"--data-dir", dir, "account", "add", "gitlab", "--url", "https://gitlab.com", "--project", "a/b"}, // no --token-stdin
		{"--data-dir", dir, "tickets", "--state", "pending"},
		{"--data-dir", dir, "show", "abc"},
		{"--no-such-flag"},
	} {
		if code, _, errOut := runCLI(t, secrets.NewMemory(), "", args...); code != 2 || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 with a reason", args, code, errOut)
		}
	}
}

func TestSandboxPrintsOneJSONLine(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int)
	go func() {
		done <- Main([]string{"sandbox", "--seed", "2", "--tickets", "10"}, Env{Context: ctx,
			IO: IO{Stdin: strings.NewReader(""), Stdout: pw, Stderr: io.Discard}})
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	var info map[string]string
	if err := json.Unmarshal([]byte(line), &info); err != nil {
		t.Fatalf("not JSON: %q", line)
	}
	for _, k := range []string{"gitlab_url", "gitlab_token", "project", "imap_addr", "imap_user", "imap_password", "smtp_addr", "smtp_user", "smtp_password", "brand_address"} {
		if info[k] == "" {
			t.Errorf("key %q missing or empty", k)
		}
	}
	cancel()
	go io.Copy(io.Discard, pr)
	if code := <-done; code != 0 {
		t.Fatalf("sandbox exit %d after cancel", code)
	}
}
