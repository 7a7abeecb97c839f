package sandbox

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2/imapclient"
)

// An outage cuts open connections and refuses new ones on all three
// servers; afterwards they serve the same world again.
func TestOutageCutsAndRestores(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	sb, err := Start(ctx, Options{Seed: 2, Tickets: 5})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	info := sb.Info()
	get := func() (int, error) {
		req, _ := http.NewRequest("GET", info.GitLabURL+"/api/v4/user", nil)
		req.Header.Set("PRIVATE-TOKEN", info.GitLabToken)
		resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, nil
	}
	if code, err := get(); err != nil || code != 200 {
		t.Fatalf("before: %d %v", code, err)
	}
	c, err := imapclient.DialInsecure(info.IMAPAddr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(info.IMAPUser, info.IMAPPassword).Wait(); err != nil {
		t.Fatal(err)
	}

	control := func(path string) {
		resp, err := http.Post(info.ControlURL+path, "", nil)
		if err != nil || resp.StatusCode != http.StatusNoContent {
			t.Fatalf("POST %s: %v %v", path, resp, err)
		}
		resp.Body.Close()
	}
	control("/down")
	if !sb.Down() {
		t.Fatal("not down")
	}
	if err := c.Noop().Wait(); err == nil {
		t.Fatal("an open IMAP connection survived the outage")
	}
	if _, err := get(); err == nil {
		t.Fatal("GitLab answered during the outage")
	}
	// A new connection may open at the TCP level; it is cut before serving.
	if c2, err := imapclient.DialInsecure(info.IMAPAddr, nil); err == nil {
		defer c2.Close()
		if err := c2.Noop().Wait(); err == nil {
			t.Fatal("a new IMAP connection was served during the outage")
		}
	}
	control("/up")
	if code, err := get(); err != nil || code != 200 {
		t.Fatalf("after: %d %v", code, err)
	}
}
