package gitlab

import (
	"context"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"servicedesk/internal/sandbox"
)

// The team folder is listed through the tree API (paged) and read through
// the files API, against the sandbox's GitLab; a missing folder is empty.
func TestListAndReadTeamFiles(t *testing.T) {
	t.Parallel()
	w := sandbox.NewWorld(sandbox.Options{Seed: 1, Tickets: 3})
	srv := httptest.NewServer(sandbox.NewGitLab(w))
	defer srv.Close()
	c, err := NewClient(srv.URL, w.Token(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	p, err := c.Project(ctx, w.Project().PathWithNamespace())
	if err != nil {
		t.Fatal(err)
	}
	demo := 0 // the demo's own team files
	for _, f := range w.RepoFiles() {
		if strings.HasPrefix(f, sandbox.TeamDir+"/") {
			demo++
		}
	}
	for i := range 120 { // more than a page
		body := "Hi {{customer.first_name}}, answer " + strings.Repeat("x", i)
		w.SetRepoFile(sandbox.TeamDir+"/templates/extra/t"+string(rune('a'+i%26))+strings.Repeat("z", i/26)+".md", &body)
	}
	files, err := c.ListFiles(ctx, p, sandbox.TeamDir)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range files {
		paths = append(paths, f.Path)
		if len(f.BlobID) != 40 {
			t.Errorf("%s: blob id %q", f.Path, f.BlobID)
		}
	}
	if len(files) != demo+120 || demo < 5 || !slices.Contains(paths, sandbox.TeamDir+"/templates/refund-approved.md") {
		t.Fatalf("%d files: %v", len(files), paths[:3])
	}
	f, err := c.ReadFile(ctx, p, sandbox.TeamDir+"/templates/refund-approved.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(f.Content), "Hi {{customer.first_name}},") || f.BlobID != files[slices.Index(paths, f.Path)].BlobID {
		t.Fatalf("read %q blob %s", f.Content, f.BlobID)
	}
	if got, err := c.ListFiles(ctx, p, ".gitlab/nothing-here"); err != nil || len(got) != 0 {
		t.Fatalf("missing folder: %v %v", got, err)
	}
	if _, err := c.ReadFile(ctx, p, sandbox.TeamDir+"/gone.md"); err == nil {
		t.Fatal("a missing file was read")
	}
}
