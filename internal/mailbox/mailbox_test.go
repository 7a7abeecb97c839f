package mailbox_test

import (
	"context"
	"errors"
	"net"
	"strconv"
	"testing"

	"servicedesk/internal/mailbox"
	"servicedesk/internal/model"
	"servicedesk/internal/neterr"
	"servicedesk/internal/neterr/neterrtest"
	"servicedesk/internal/sandbox"
)

// startSandbox runs the demo world and returns the IMAP settings for it.
func startSandbox(t *testing.T) (*sandbox.Sandbox, mailbox.Config) {
	t.Helper()
	sb, err := sandbox.Start(context.Background(), sandbox.Options{Tickets: 20})
	if err != nil {
		t.Fatalf("start sandbox: %v", err)
	}
	t.Cleanup(func() { _ = sb.Close() })
	info := sb.Info()
	host, port := splitAddr(t, info.IMAPAddr)
	return sb, mailbox.Config{Host: host, Port: port, Security: model.SecurityNone, User: info.IMAPUser, Password: info.IMAPPassword}
}

func splitAddr(t *testing.T, addr string) (string, int) {
	t.Helper()
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	port, err := strconv.Atoi(p)
	if err != nil {
		t.Fatal(err)
	}
	return host, port
}

func TestCheckSandbox(t *testing.T) {
	t.Parallel()
	sb, cfg := startSandbox(t)
	r, err := mailbox.Check(context.Background(), cfg)
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	if want := len(sb.World().Mails(sandbox.FolderInbox)); want == 0 || r.Inbox != uint32(want) {
		t.Errorf("Inbox = %d, want %d (the sandbox's INBOX)", r.Inbox, want)
	}
	if r.Sent != sandbox.FolderSent {
		t.Errorf("Sent = %q, want %q", r.Sent, sandbox.FolderSent)
	}
	if len(r.Folders) != 5 {
		t.Errorf("folders = %v, want INBOX, Sent, Drafts, Trash and Archive", r.Folders)
	}
	if r.CondStore || !r.IDLE || !r.Move {
		t.Errorf("CONDSTORE %v IDLE %v MOVE %v, want false true true (imapmemserver)", r.CondStore, r.IDLE, r.Move)
	}
	want := "Signed in as support@acme.com: 5 folders, " + strconv.Itoa(int(r.Inbox)) +
		` messages in INBOX, sent mail in "Sent"; IDLE supported, CONDSTORE not.`
	if got := r.Summary(); got != want {
		t.Errorf("Summary() =\n%s\nwant\n%s", got, want)
	}
}

func TestDialSandbox(t *testing.T) {
	t.Parallel()
	_, cfg := startSandbox(t)
	c, err := mailbox.Dial(context.Background(), cfg)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	// The client outlives Dial's timeout: it can still run commands.
	if _, err := c.Select("INBOX", nil).Wait(); err != nil {
		t.Errorf("SELECT after Dial: %v", err)
	}
	if err := c.Logout().Wait(); err != nil {
		t.Errorf("LOGOUT: %v", err)
	}
	_ = c.Close()
}

func TestCheckSandboxProblems(t *testing.T) {
	t.Parallel()
	_, good := startSandbox(t)
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, closedPort := splitAddr(t, closed.Addr().String())
	_ = closed.Close()

	tests := []struct {
		name   string
		change func(*mailbox.Config)
		kind   neterr.Kind
		words  []string
	}{
		{"wrong password", func(c *mailbox.Config) { c.Password = "wrong-" + c.Password },
			neterr.Auth, []string{"refused the user name or password for support@acme.com", "check them and try again"}},
		{"closed port", func(c *mailbox.Config) { c.Port = closedPort },
			neterr.Refused, []string{"refused the connection", "check the host and port"}},
		{"plain text to another host", func(c *mailbox.Config) { c.Host = "mail.nosuchhost.invalid" },
			neterr.Insecure, []string{"choose TLS or STARTTLS"}},
		{"STARTTLS not offered", func(c *mailbox.Config) { c.Security = model.SecuritySTARTTLS },
			neterr.TLSFailed, []string{"does not offer STARTTLS"}},
		{"TLS to a plain port", func(c *mailbox.Config) { c.Security = model.SecurityTLS },
			neterr.TLSFailed, []string{"did not answer in TLS"}},
		{"no host", func(c *mailbox.Config) { c.Host = "" }, neterr.Other, []string{"no host is set"}},
		{"bad security", func(c *mailbox.Config) { c.Security = "ssl" }, neterr.Other, []string{`"ssl"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := good
			tt.change(&cfg)
			_, err := mailbox.Check(context.Background(), cfg)
			neterrtest.WantProblem(t, err, tt.kind, cfg.Password, tt.words...)
			_, err = mailbox.Dial(context.Background(), cfg)
			neterrtest.WantProblem(t, err, tt.kind, cfg.Password, tt.words...)
		})
	}
}

func TestCheckCancelled(t *testing.T) {
	t.Parallel()
	_, cfg := startSandbox(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := mailbox.Check(ctx, cfg)
	neterrtest.WantProblem(t, err, neterr.Other, cfg.Password, "cancelled")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want it to wrap context.Canceled", err)
	}
}

func TestSummaryWithoutSent(t *testing.T) {
	t.Parallel()
	r := mailbox.Report{User: "a@b.example", Folders: []mailbox.Folder{{Name: "INBOX"}}, Inbox: 1, CondStore: true}
	want := "Signed in as a@b.example: 1 folder, 1 message in INBOX, no folder is marked for sent mail; CONDSTORE supported, IDLE not."
	if got := r.Summary(); got != want {
		t.Errorf("Summary() = %q, want %q", got, want)
	}
}
