package service

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"servicedesk/internal/model"
	"servicedesk/internal/sandbox"
	"servicedesk/internal/secrets"
	"servicedesk/internal/store"
)

type fixture struct {
	svc  *Service
	keys *secrets.Memory
	sb   *sandbox.Sandbox
	info sandbox.Info
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	sb, err := sandbox.Start(ctx, sandbox.Options{Seed: 5, Tickets: 25})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	keys := secrets.NewMemory()
	return &fixture{svc: New(st, keys, Options{}), keys: keys, sb: sb, info: sb.Info()}
}

func (f *fixture) gitlabForm() GitLabForm {
	return GitLabForm{URL: f.info.GitLabURL, Project: f.info.Project, Token: f.info.GitLabToken}
}

func hostPort(t testing.TB, addr string) (string, int) {
	t.Helper()
	i := strings.LastIndexByte(addr, ':')
	p, err := strconv.Atoi(addr[i+1:])
	if err != nil {
		t.Fatal(err)
	}
	return addr[:i], p
}

func (f *fixture) mailboxForm(t testing.TB, password string) MailboxForm {
	h, p := hostPort(t, f.info.IMAPAddr)
	return MailboxForm{Host: h, Port: p, Security: model.SecurityNone, Login: f.info.IMAPUser, Password: password}
}

func (f *fixture) identityForm(t testing.TB, projectID int64, password string) IdentityForm {
	h, p := hostPort(t, f.info.SMTPAddr)
	return IdentityForm{ProjectID: projectID, FromAddress: f.info.BrandAddress, FromName: "Acme Support", Delivery: model.DeliverySMTP,
		Host: h, Port: p, Security: model.SecurityNone, Login: f.info.SMTPUser, Password: password}
}

func TestGitLabChecksTellTheTruth(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	gl := f.sb.GitLab()
	for _, tc := range []struct {
		name    string
		setup   func()
		form    func() GitLabForm
		problem string
		words   string
	}{
		{"right", func() {}, f.gitlabForm, "", "Signed in as alex.morgan"},
		{"wrong token", func() {}, func() GitLabForm { g := f.gitlabForm(); g.Token = "glpat-wrong-token-0000"; return g }, "auth", "refused the token"},
		{"no api scope", func() { gl.SetTokenScopes("read_api") }, f.gitlabForm, "scope", "not api"},
		{"service desk off", func() { gl.SetTokenScopes(); gl.SetServiceDesk(false) }, f.gitlabForm, "service-desk-off", "Service Desk turned off"},
		{"missing project", func() { gl.SetServiceDesk(true) }, func() GitLabForm { g := f.gitlabForm(); g.Project = "acme/nope"; return g }, "other", "was not found"},
		{"not a URL", func() {}, func() GitLabForm { g := f.gitlabForm(); g.URL = "gitlab dot com"; return g }, "input", "not a GitLab URL"},
		{"empty token", func() {}, func() GitLabForm { g := f.gitlabForm(); g.Token = ""; return g }, "input", "token"},
	} {
		tc.setup()
		c := f.svc.TestGitLab(ctx, tc.form())
		if c.OK != (tc.problem == "") || c.Problem != tc.problem || !strings.Contains(c.Summary, tc.words) {
			t.Errorf("%s: %+v; want problem %q and %q in the sentence", tc.name, c, tc.problem, tc.words)
		}
		if strings.Contains(c.Summary, "glpat-") {
			t.Errorf("%s: the sentence holds a token: %q", tc.name, c.Summary)
		}
	}
	if accounts, _ := f.svc.Accounts(ctx); len(accounts) != 0 {
		t.Fatalf("tests saved %d accounts", len(accounts))
	}
}

func TestAccountLifecycleKeepsSecretsInTheKeychainOnly(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	a, err := f.svc.SaveGitLab(ctx, f.gitlabForm())
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.svc.ProjectOf(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c := f.svc.TestMailbox(ctx, f.mailboxForm(t, "wrong-password")); c.OK || c.Problem != "auth" {
		t.Fatalf("wrong IMAP password: %+v", c)
	}
	if _, err := f.svc.SaveMailbox(ctx, f.mailboxForm(t, "wrong-password")); err == nil {
		t.Fatal("a mailbox with a wrong password was saved")
	}
	mb, err := f.svc.SaveMailbox(ctx, f.mailboxForm(t, f.info.IMAPPassword))
	if err != nil {
		t.Fatal(err)
	}
	if c := f.svc.TestIdentity(ctx, f.identityForm(t, p.ID, "wrong-password")); c.OK || c.Problem != "auth" {
		t.Fatalf("wrong SMTP password: %+v", c)
	}
	id, err := f.svc.SaveIdentity(ctx, f.identityForm(t, p.ID, f.info.SMTPPassword))
	if err != nil {
		t.Fatal(err)
	}
	for _, acct := range []model.Account{a, mb, id} {
		if c, err := f.svc.TestAccount(ctx, acct.ID); err != nil || !c.OK {
			t.Fatalf("saved %s account %d: %+v %v", acct.Kind, acct.ID, c, err)
		}
	}
	if got, _ := f.keys.Get(mb.ID, secrets.IMAPPassword); got != f.info.IMAPPassword {
		t.Fatal("the IMAP password is not in the keychain")
	}

	// Editing without a password keeps the stored one.
	form := f.mailboxForm(t, "")
	form.ID, form.Name = mb.ID, "Brand inbox"
	if _, err := f.svc.SaveMailbox(ctx, form); err != nil {
		t.Fatalf("edit without a password: %v", err)
	}
	if got, _ := f.svc.Account(ctx, mb.ID); got.Name != "Brand inbox" {
		t.Fatalf("edit not saved: %+v", got)
	}

	// Removing the GitLab account removes its project's identity; the
	// mailbox stays, unlinked; keychain items go with their accounts.
	if err := f.svc.RemoveAccount(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	left, _ := f.svc.Accounts(ctx)
	if len(left) != 1 || left[0].ID != mb.ID {
		t.Fatalf("accounts left: %+v", left)
	}
	for _, gone := range []model.Account{a, id} {
		if _, err := f.keys.Get(gone.ID, secrets.KindOf(gone.Kind)); !errors.Is(err, secrets.ErrNotFound) {
			t.Fatalf("%s account %d's secret outlived it: %v", gone.Kind, gone.ID, err)
		}
	}
	if ts, _ := f.svc.Tickets(ctx, model.TicketFilter{}); len(ts) != 0 {
		t.Fatalf("%d cached tickets outlived the account", len(ts))
	}
}

// A revoked token fails the sync with the sentence; replacing the token
// takes effect at the next sync, without a restart.
func TestReplacingTheTokenTakesEffectAtOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	a, err := f.svc.SaveGitLab(ctx, f.gitlabForm())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Sync(ctx, SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	f.sb.GitLab().SetToken("glpat-rotated-1234567890")
	if _, err := f.svc.Sync(ctx, SyncOptions{}); err == nil || !strings.Contains(err.Error(), "refused the token") {
		t.Fatalf("sync with a revoked token: %v", err)
	}
	if _, err := f.svc.SaveGitLab(ctx, GitLabForm{ID: a.ID, URL: f.info.GitLabURL, Project: f.info.Project, Token: "glpat-rotated-1234567890"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Sync(ctx, SyncOptions{}); err != nil {
		t.Fatalf("sync after replacing the token: %v", err)
	}
}

func TestMailFormsAreCheckedBeforeConnecting(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		edit func(*MailboxForm)
		want string
	}{
		{"plain text to a remote host", func(m *MailboxForm) { m.Host = "mail.example.com" }, "only to this computer"},
		{"port out of range", func(m *MailboxForm) { m.Port = 70000 }, "port"},
		{"unknown security", func(m *MailboxForm) { m.Security = "ssl3" }, "security"},
		{"empty host", func(m *MailboxForm) { m.Host = " " }, "host"},
	} {
		form := f.mailboxForm(t, "secret-password")
		tc.edit(&form)
		c := f.svc.TestMailbox(ctx, form)
		if c.OK || c.Problem != "input" || !strings.Contains(c.Summary, tc.want) {
			t.Errorf("%s: %+v", tc.name, c)
		}
	}
	id := f.identityForm(t, 0, "secret-password")
	id.FromAddress = "Acme <support@acme.com>"
	if c := f.svc.TestIdentity(ctx, id); c.OK || c.Problem != "input" {
		t.Errorf("a display name in the brand address: %+v", c)
	}
	if _, err := f.svc.SaveIdentity(ctx, f.identityForm(t, 0, f.info.SMTPPassword)); err == nil {
		t.Error("an identity without a project was saved")
	}
}
