package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"servicedesk/internal/model"
	"servicedesk/internal/sandbox"
	"servicedesk/internal/secrets"
	"servicedesk/internal/store"
)

// The crash test: the outbox runs in a child process (this test binary,
// re-run) that kills itself with SIGKILL at one step of a reply's way out;
// a second child starts over on the same data folder, as the app after a
// crash. Whatever the step, the customer got the mail at most once (by
// Message-ID), GitLab got the note at most once (by marker), and the reply
// either arrived or is still in the outbox, never lost.

const crashChildEnv = "SERVICEDESK_OUTBOX_CRASH_CHILD"

// crashChild is what the parent tells a child, as JSON in crashChildEnv.
type crashChild struct {
	Dir     string            `json:"dir"`
	KillAt  string            `json:"kill_at"` // a Runner.Trace step; "" runs to the end
	Secrets map[string]string `json:"secrets"` // "<account id>:<kind>" -> secret (the Memory keychain does not outlive a process)
}

func TestMain(m *testing.M) {
	if v := os.Getenv(crashChildEnv); v != "" {
		os.Exit(runCrashChild(v))
	}
	os.Exit(m.Run())
}

// runCrashChild opens the profile, recovers and flushes the outbox (killing
// itself at KillAt), then syncs the mailbox (where the provider filed the
// sent mail) and flushes again, as the app's loops would.
func runCrashChild(spec string) int {
	var c crashChild
	if err := json.Unmarshal([]byte(spec), &c); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	ctx := context.Background()
	st, err := store.Open(ctx, c.Dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	keys := secrets.NewMemory()
	for k, v := range c.Secrets {
		var id int64
		var kind string
		if _, err := fmt.Sscanf(strings.Replace(k, ":", " ", 1), "%d %s", &id, &kind); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
		_ = keys.Set(id, kind, v)
	}
	svc := New(st, keys, Options{})
	r := svc.OutboxRunner(nil)
	r.Trace = func(op model.OutboxOp, step string) {
		if step == c.KillAt {
			_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {} // the signal is on its way
		}
	}
	if err := r.Recover(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for range 2 {
		if _, err := r.Flush(ctx); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		if _, err := svc.Sync(ctx, SyncOptions{}); err != nil {
			fmt.Fprintln(os.Stderr, "sync:", err)
		}
	}
	return 0
}

func TestOutboxSurvivesAKillAtEveryStep(t *testing.T) {
	if testing.Short() {
		t.Skip("runs child processes")
	}
	t.Parallel()
	cases := []struct {
		delivery string
		steps    []string
	}{
		{model.DeliveryGitLab, []string{"sending", "posted", "recorded"}},
		{model.DeliverySMTP, []string{"sending", "composed", "data", "accepted", "sent", "posted", "recorded"}},
	}
	for _, c := range cases {
		for _, step := range c.steps {
			t.Run(c.delivery+"/"+step, func(t *testing.T) {
				t.Parallel()
				crashCase(t, c.delivery, step)
			})
		}
	}
}

func crashCase(t *testing.T, delivery, step string) {
	ctx := context.Background()
	sb, err := sandbox.Start(ctx, sandbox.Options{Seed: 5, Tickets: 25})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	info := sb.Info()
	dir := t.TempDir()
	st, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	keys := secrets.NewMemory()
	f := &fixture{svc: New(st, keys, Options{}), keys: keys, sb: sb, info: info}
	p := f.connectAll(t)
	if delivery == model.DeliverySMTP {
		if _, err := f.svc.SaveIdentity(ctx, f.identityForm(t, p.ID, info.SMTPPassword)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.svc.Sync(ctx, SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	tk := (&outboxFixture{fixture: f}).openTicket(t)
	op, err := f.svc.Reply(ctx, ReplyRequest{ProjectID: p.ID, IID: tk.IID, Body: "Your refund left today.", Undo: -1})
	if err != nil {
		t.Fatal(err)
	}
	spec := crashChild{Dir: dir, Secrets: map[string]string{}}
	accounts, _ := f.svc.Accounts(ctx)
	for _, a := range accounts {
		kind := map[string]string{model.AccountGitLab: secrets.GitLabToken, model.AccountIMAP: secrets.IMAPPassword, model.AccountSMTP: secrets.SMTPPassword}[a.Kind]
		v, err := keys.Get(a.ID, kind)
		if err != nil {
			t.Fatal(err)
		}
		spec.Secrets[fmt.Sprintf("%d:%s", a.ID, kind)] = v
	}
	st.Close()

	spec.KillAt = step
	if killed, out := runChild(t, spec); !killed {
		t.Fatalf("the child was not killed at %q:\n%s", step, out)
	}
	spec.KillAt = ""
	if killed, out := runChild(t, spec); killed {
		t.Fatalf("the restarted child died:\n%s", out)
	} else if testing.Verbose() {
		t.Log(out)
	}

	copies := 0
	for _, m := range sb.SentMail() {
		if op.MessageID != "" && strings.Contains(string(m.Data), op.MessageID) {
			copies++
		}
	}
	notes := 0
	for _, n := range sb.GitLab().Notes(tk.IID) {
		if strings.Contains(n.Body, "servicedesk:op="+op.ID+" ") {
			notes++
		}
	}
	st, err = store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got, err := st.Op(ctx, op.ID)
	if errors.Is(err, model.ErrNotFound) {
		t.Fatalf("the reply was lost (mail copies %d, notes %d)", copies, notes)
	}
	if err != nil {
		t.Fatal(err)
	}
	if copies > 1 || notes > 1 {
		t.Fatalf("sent %d times by mail and noted %d times on GitLab, want at most once each (op %s: %s)", copies, notes, got.State, got.Reason)
	}
	switch {
	case got.State == model.OpDone && (delivery == model.DeliveryGitLab || copies == 1) && notes == 1:
	case got.State == model.OpUnknown && step == "data" && copies == 0:
		// Killed after the DATA mark, before DATA: the app cannot know the
		// mail did not leave, and it is not in the Sent folder: the agent
		// decides. Nothing was sent twice, nothing lost.
	default:
		t.Fatalf("after the restart: %s (%s); mail copies %d, notes %d", got.State, got.Reason, copies, notes)
	}
}

// runChild runs the crash child and reports whether SIGKILL ended it.
func runChild(t *testing.T, spec crashChild) (killed bool, out string) {
	t.Helper()
	b, _ := json.Marshal(spec)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+string(b))
	o, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			return true, string(o)
		}
		t.Fatalf("child: %v\n%s", err, o)
	}
	if err != nil {
		t.Fatalf("child: %v\n%s", err, o)
	}
	return false, string(o)
}
