package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"text/template"
)

func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

func write(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestStageTree(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	repo := t.TempDir()
	git(t, repo, "init", "-q")
	write(t, filepath.Join(repo, ".gitignore"), "/build/bin/\n/frontend/node_modules/\n")
	write(t, filepath.Join(repo, "main.go"), "package main\n")
	write(t, filepath.Join(repo, "gone.go"), "package main\n")
	git(t, repo, "add", ".")
	git(t, repo, "commit", "-qm", "first")
	write(t, filepath.Join(repo, "main.go"), "package main // edited\n")
	write(t, filepath.Join(repo, "new.go"), "package main\n")
	write(t, filepath.Join(repo, "build/bin/servicedesk"), "old build")
	write(t, filepath.Join(repo, "frontend/node_modules/svelte/index.js"), "export {}")
	if err := os.Symlink("../svelte/index.js", filepath.Join(repo, "frontend/node_modules/.bin-link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(repo, "gone.go")); err != nil {
		t.Fatal(err)
	}

	dir := filepath.Join(t.TempDir(), "stage")
	if err := stageTree(repo, dir); err != nil {
		t.Fatal(err)
	}
	// The work tree as it is: edits and new files in, ignored and deleted files out.
	if got := string(mustRead(t, filepath.Join(dir, "main.go"))); got != "package main // edited\n" {
		t.Errorf("main.go: %q", got)
	}
	for name, want := range map[string]bool{"new.go": true, ".gitignore": true, "build/bin/servicedesk": false, "gone.go": false} {
		if _, err := os.Stat(filepath.Join(dir, name)); (err == nil) != want {
			t.Errorf("%s staged: %v, want %v", name, err == nil, want)
		}
	}
	a, err := os.Stat(filepath.Join(repo, "frontend/node_modules/svelte/index.js"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.Stat(filepath.Join(dir, "frontend/node_modules/svelte/index.js"))
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(a, b) {
		t.Error("node_modules was copied, not linked")
	}
	if link, err := os.Readlink(filepath.Join(dir, "frontend/node_modules/.bin-link")); err != nil || link != "../svelte/index.js" {
		t.Errorf("the symbolic link: %q, %v", link, err)
	}
}

func TestStageTreeNeedsNodeModules(t *testing.T) {
	t.Parallel()
	err := stageTree(t.TempDir(), filepath.Join(t.TempDir(), "stage"))
	if err == nil || !strings.Contains(err.Error(), "make frontend") {
		t.Errorf("got %v, want a hint to run make frontend", err)
	}
}

// stampVersion edits the project's own wails.json and info.json template.
func TestStampVersion(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "wails.json"), string(mustRead(t, "../../wails.json")))
	write(t, filepath.Join(dir, "build/windows/info.json"), string(mustRead(t, "../../build/windows/info.json")))
	v, err := ParseVersion("v1.4.0-3-gabc1234-dirty", 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := stampVersion(dir, v); err != nil {
		t.Fatal(err)
	}

	var w project
	var raw struct {
		Info struct {
			ProductVersion string `json:"productVersion"`
		} `json:"info"`
	}
	if err := json.Unmarshal(mustRead(t, filepath.Join(dir, "wails.json")), &raw); err != nil {
		t.Fatal(err)
	}
	if raw.Info.ProductVersion != "1.4.0" {
		t.Errorf("wails.json productVersion %q, want 1.4.0", raw.Info.ProductVersion)
	}
	if w, err = readProject(filepath.Join(dir, "wails.json")); err != nil || w.Info.ProductName != "Service Desk" {
		t.Errorf("the rest of wails.json: %+v, %v", w, err)
	}

	// info.json is still a template Wails can fill in, with the version in place.
	tmpl, err := template.New("info").Parse(string(mustRead(t, filepath.Join(dir, "build/windows/info.json"))))
	if err != nil {
		t.Fatalf("info.json is no longer a template: %v", err)
	}
	var out strings.Builder
	data := map[string]any{"Name": "servicedesk", "Info": map[string]string{"ProductVersion": "1.4.0", "CompanyName": "C", "ProductName": "P", "Copyright": "©", "Comments": "x"}}
	if err := tmpl.Execute(&out, data); err != nil {
		t.Fatal(err)
	}
	var info struct {
		Fixed map[string]string            `json:"fixed"`
		Info  map[string]map[string]string `json:"info"`
	}
	if err := json.Unmarshal([]byte(out.String()), &info); err != nil {
		t.Fatalf("rendered info.json: %v\n%s", err, out.String())
	}
	if info.Fixed["file_version"] != "1.4.0.3" || info.Fixed["product_version"] != "1.4.0" {
		t.Errorf("fixed: %v", info.Fixed)
	}
	for lang, table := range info.Info {
		if table["ProductVersion"] != "v1.4.0-3-gabc1234-dirty" || table["FileVersion"] != "1.4.0.3" || table["ProductName"] != "P" {
			t.Errorf("string table %s: %v", lang, table)
		}
	}
}
