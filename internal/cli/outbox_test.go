package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"servicedesk/internal/mailparse"
	"servicedesk/internal/sandbox"
	"servicedesk/internal/secrets"
)

// outboxProfile is a profile connected to its own sandbox GitLab and synced
// once, driven through the command line.
type outboxProfile struct {
	sb   *sandbox.Sandbox
	dir  string
	keys secrets.Keychain
}

func newOutboxProfile(t *testing.T) *outboxProfile {
	t.Helper()
	sb, err := sandbox.Start(context.Background(), sandbox.Options{Seed: 5, Tickets: 20})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	p := &outboxProfile{sb: sb, dir: t.TempDir(), keys: secrets.NewMemory()}
	info := sb.Info()
	p.ok(t, info.GitLabToken+"\n", "account", "add", "gitlab", "--url", info.GitLabURL, "--project", info.Project, "--token-stdin")
	p.ok(t, "", "sync")
	return p
}

// run runs a command on the profile.
func (p *outboxProfile) run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	return runCLI(t, p.keys, stdin, append([]string{"--data-dir", p.dir}, args...)...)
}

// ok runs a command that must succeed and returns its stdout.
func (p *outboxProfile) ok(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	code, out, errOut := p.run(t, stdin, args...)
	if code != 0 {
		t.Fatalf("%v: exit %d: %s%s", args, code, out, errOut)
	}
	return out
}

// failsWithOneLine runs a command that must exit 1 with one line on stderr
// containing want.
func (p *outboxProfile) failsWithOneLine(t *testing.T, want, stdin string, args ...string) {
	t.Helper()
	code, out, errOut := p.run(t, stdin, args...)
	if code != 1 || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, want) {
		t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 1 and one line naming %q", args, code, out, errOut, want)
	}
}

type listedOp struct {
	ID        string    `json:"id"`
	IID       int64     `json:"iid"`
	Kind      string    `json:"kind"`
	State     string    `json:"state"`
	Attempts  int       `json:"attempts"`
	Error     string    `json:"error"`
	NoteID    int64     `json:"note_id"`
	Project   string    `json:"project"`
	NotBefore time.Time `json:"not_before"`
	Payload   struct{ Body string }
}

func (p *outboxProfile) outbox(t *testing.T, args ...string) []listedOp {
	t.Helper()
	out := p.ok(t, "", append([]string{"outbox", "--json"}, args...)...)
	var ops []listedOp
	if err := json.Unmarshal([]byte(out), &ops); err != nil {
		t.Fatalf("outbox --json is not a JSON array: %v\n%s", err, out)
	}
	return ops
}

// notesWith returns the sandbox GitLab's notes of a ticket containing s.
func (p *outboxProfile) notesWith(iid int64, s string) []sandbox.Note {
	var out []sandbox.Note
	for _, n := range p.sb.GitLab().Notes(iid) {
		if strings.Contains(n.Body, s) {
			out = append(out, n)
		}
	}
	return out
}

var opIDLine = regexp.MustCompile(`^[0-9a-f]{16}\n$`)

func TestReplyNowThenFlushPostsTheNote(t *testing.T) {
	t.Parallel()
	p := newOutboxProfile(t)
	body := "We refunded order 4471 today; it shows on your card within five days."
	out := p.ok(t, body+"\n", "reply", "7", "--body-file", "-", "--now")
	if !opIDLine.MatchString(out) {
		t.Fatalf("reply printed %q, want the op id on one line", out)
	}
	id := strings.TrimSpace(out)
	ops := p.outbox(t)
	if len(ops) != 1 || ops[0].ID != id || ops[0].IID != 7 || ops[0].Kind != "reply" || ops[0].Payload.Body != body ||
		ops[0].Project != p.sb.Info().Project {
		t.Fatalf("outbox after reply: %+v", ops)
	}
	if len(p.notesWith(7, body)) != 0 {
		t.Fatal("the reply reached GitLab before the outbox was flushed")
	}

	out = p.ok(t, "", "outbox", "flush")
	if !strings.Contains(out, id) || !strings.Contains(out, "Sent 1, failed 0, waiting 0.") {
		t.Fatalf("flush printed %q", out)
	}
	notes := p.notesWith(7, body)
	if len(notes) != 1 || notes[0].Internal {
		t.Fatalf("GitLab has %d public notes with the reply (%+v), want 1", len(notes), notes)
	}
	if ops := p.outbox(t); len(ops) != 0 {
		t.Fatalf("outbox after flush: %+v", ops)
	}
	all := p.outbox(t, "--all")
	if len(all) != 1 || all[0].State != "recorded" || all[0].NoteID != notes[0].ID || all[0].Attempts != 1 {
		t.Fatalf("outbox --all after flush: %+v (note %d)", all, notes[0].ID)
	}
	// A second flush has nothing to send and sends nothing twice.
	if out := p.ok(t, "", "outbox", "flush"); out != "Sent 0, failed 0, waiting 0.\n" {
		t.Fatalf("second flush printed %q", out)
	}
	if n := len(p.notesWith(7, body)); n != 1 {
		t.Fatalf("%d notes after a second flush", n)
	}
	// The thread shows it from the local copy.
	if out := p.ok(t, "", "show", "7"); !strings.Contains(out, body) {
		t.Fatalf("show 7 lacks the reply:\n%s", out)
	}
}

func TestInternalNoteFromFile(t *testing.T) {
	t.Parallel()
	p := newOutboxProfile(t)
	file := filepath.Join(t.TempDir(), "note.md")
	body := "Customer called: the refund is approved by finance."
	if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	out := p.ok(t, "", "reply", "#3", "--body-file", file, "--internal", "--now", "--json")
	var op listedOp
	if err := json.Unmarshal([]byte(out), &op); err != nil || op.Kind != "note" || op.IID != 3 {
		t.Fatalf("reply --json: %v %s", err, out)
	}
	p.ok(t, "", "outbox", "flush")
	if notes := p.notesWith(3, body); len(notes) != 1 || !notes[0].Internal {
		t.Fatalf("notes with the text: %+v, want one internal", notes)
	}
}

func TestReplyRefusesUnknownVariable(t *testing.T) {
	t.Parallel()
	p := newOutboxProfile(t)
	p.failsWithOneLine(t, "customer.nmae", "Hello {{customer.nmae}},\n\nyour order shipped.\n", "reply", "7", "--body-file", "-")
	if ops := p.outbox(t, "--all"); len(ops) != 0 {
		t.Fatalf("a refused reply was queued: %+v", ops)
	}
}

func TestReplyUndoPutsTheTextBackInTheDraft(t *testing.T) {
	t.Parallel()
	p := newOutboxProfile(t)
	body := "Could you send us a photo of the damaged box?"
	id := strings.TrimSpace(p.ok(t, body, "reply", "9", "--body-file", "-"))
	ops := p.outbox(t)
	if len(ops) != 1 || ops[0].ID != id || ops[0].State != "queued" || time.Until(ops[0].NotBefore) < 5*time.Second {
		t.Fatalf("outbox after a reply with the undo window: %+v", ops)
	}
	if out := p.ok(t, "", "outbox"); !strings.Contains(out, id) || !strings.Contains(out, "queued") || !strings.Contains(out, "sends ") {
		t.Fatalf("outbox table:\n%s", out)
	}
	// Inside the undo window, a flush sends nothing.
	if out := p.ok(t, "", "outbox", "flush"); !strings.Contains(out, "Sent 0, failed 0, waiting 1.") {
		t.Fatalf("flush inside the undo window printed %q", out)
	}
	if out := p.ok(t, "", "outbox", "undo", id); !strings.Contains(out, "back in the draft of #9") {
		t.Fatalf("undo printed %q", out)
	}
	if ops := p.outbox(t); len(ops) != 0 {
		t.Fatalf("outbox after undo: %+v", ops)
	}
	if out := p.ok(t, "", "draft", "9"); out != body+"\n" {
		t.Fatalf("draft after undo = %q, want the reply's text", out)
	}
	p.failsWithOneLine(t, "no op "+id, "", "outbox", "undo", id)
	p.ok(t, "", "outbox", "flush")
	if len(p.notesWith(9, body)) != 0 {
		t.Fatal("an undone reply reached GitLab")
	}
}

func TestDraftSetAndReadBack(t *testing.T) {
	t.Parallel()
	p := newOutboxProfile(t)
	body := "Checking with the warehouse.\n\n- order 881\n- order 882\n"
	if out := p.ok(t, body, "draft", "8", "--body-file", "-", "--internal"); out != "Saved the draft of #8\n" {
		t.Fatalf("draft save printed %q", out)
	}
	if out := p.ok(t, "", "draft", "8"); out != body {
		t.Fatalf("draft 8 = %q, want %q", out, body)
	}
	var d struct {
		IID      int64  `json:"iid"`
		Body     string `json:"body"`
		Internal bool   `json:"internal"`
	}
	if err := json.Unmarshal([]byte(p.ok(t, "", "draft", "8", "--json")), &d); err != nil || d.IID != 8 || d.Body != body || !d.Internal {
		t.Fatalf("draft 8 --json: %+v %v", d, err)
	}
	if out := p.ok(t, "", "draft", "5"); out != "" {
		t.Fatalf("a ticket without a draft printed %q", out)
	}
	// The reply takes the draft's place.
	p.ok(t, "Done, see above.", "reply", "8", "--body-file", "-")
	if out := p.ok(t, "", "draft", "8"); out != "" {
		t.Fatalf("the draft outlived the reply: %q", out)
	}
	p.ok(t, "again", "draft", "8", "--body-file", "-")
	if out := p.ok(t, "\n", "draft", "8", "--body-file", "-"); out != "Deleted the draft of #8\n" {
		t.Fatalf("an empty draft printed %q", out)
	}
	if out := p.ok(t, "", "draft", "8"); out != "" {
		t.Fatalf("the emptied draft reads %q", out)
	}
}

func TestReplyRefusals(t *testing.T) {
	t.Parallel()
	p := newOutboxProfile(t)
	missing := filepath.Join(t.TempDir(), "invoice-4471.pdf")
	p.failsWithOneLine(t, "invoice-4471.pdf", "See the invoice.", "reply", "7", "--body-file", "-", "--attach", missing)
	past := time.Now().Add(-time.Hour).Format(time.RFC3339)
	p.failsWithOneLine(t, "has passed", "Later.", "reply", "7", "--body-file", "-", "--send-at", past)
	p.failsWithOneLine(t, "not in the local copy", "Hello", "reply", "999", "--body-file", "-")
	p.failsWithOneLine(t, "empty", " \n", "reply", "7", "--body-file", "-")
	p.failsWithOneLine(t, "no-such-body.md", "", "reply", "7", "--body-file", filepath.Join(t.TempDir(), "no-such-body.md"))
	p.failsWithOneLine(t, "no op 0123456789abcdef", "", "outbox", "decide", "0123456789abcdef", "retry")
	if ops := p.outbox(t, "--all"); len(ops) != 0 {
		t.Fatalf("refused replies were queued: %+v", ops)
	}
	for _, args := range [][]string{
		{"reply", "7"},                // no --body-file
		{"reply", "--body-file", "-"}, // no ticket
		{"reply", "7", "--body-file", "-", "--send-at", "tomorrow"},
		{"reply", "7", "--body-file", "-", "--now", "--send-at", time.Now().Add(time.Hour).Format(time.RFC3339)},
		{"draft", "8", "--internal"},
		{"outbox", "frobnicate"},
		{"outbox", "undo"},
		{"outbox", "decide", "0123456789abcdef", "maybe"},
		{"outbox", "flush", "--wait", "soon"},
	} {
		if code, _, errOut := p.run(t, "x", args...); code != 2 || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 with a reason", args, code, errOut)
		}
	}
}

// TestFlushWaitSendsLater: a reply to send a moment later waits at a plain
// flush and leaves with flush --wait.
func TestFlushWaitSendsLater(t *testing.T) {
	t.Parallel()
	p := newOutboxProfile(t)
	body := "Your replacement ships on Monday."
	at := time.Now().Add(2 * time.Second).Truncate(time.Second).Add(time.Second)
	id := strings.TrimSpace(p.ok(t, body, "reply", "4", "--body-file", "-", "--send-at", at.Format(time.RFC3339)))
	if out := p.ok(t, "", "outbox", "flush"); !strings.Contains(out, "waiting 1.") {
		t.Fatalf("flush before the time printed %q", out)
	}
	start := time.Now()
	var sum struct{ Sent, Failed, Waiting []listedOp }
	if err := json.Unmarshal([]byte(p.ok(t, "", "outbox", "flush", "--wait", "30s", "--json")), &sum); err != nil {
		t.Fatal(err)
	}
	if len(sum.Sent) != 1 || sum.Sent[0].ID != id || len(sum.Failed)+len(sum.Waiting) != 0 {
		t.Fatalf("flush --wait: %+v", sum)
	}
	if time.Now().Before(at) || time.Since(start) > 15*time.Second {
		t.Fatalf("flush --wait returned after %s, the reply was due at %s", time.Since(start), at)
	}
	if len(p.notesWith(4, body)) != 1 {
		t.Fatal("the reply is not on GitLab")
	}
}

// TestFlushFailsWhileGitLabIsDown: with GitLab gone the op fails, the flush
// exits 1 with a line naming it, and the agent can discard it.
func TestFlushFailsWhileGitLabIsDown(t *testing.T) {
	t.Parallel()
	p := newOutboxProfile(t)
	id := strings.TrimSpace(p.ok(t, "On it.", "reply", "6", "--body-file", "-", "--now"))
	p.sb.Close()
	code, out, errOut := p.run(t, "", "outbox", "flush")
	if code != 1 || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, id) || !strings.Contains(errOut, "failed") {
		t.Fatalf("flush with GitLab down: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if !strings.Contains(out, "Sent 0, failed 1, waiting 0.") {
		t.Fatalf("flush summary %q", out)
	}
	ops := p.outbox(t)
	if len(ops) != 1 || ops[0].State != "failed" || ops[0].Error == "" || ops[0].Attempts != 1 {
		t.Fatalf("outbox after the failed flush: %+v", ops)
	}
	if out := p.ok(t, "", "outbox", "decide", id, "discard"); !strings.Contains(out, "Discarded "+id) {
		t.Fatalf("decide discard printed %q", out)
	}
	if ops := p.outbox(t, "--all"); len(ops) != 0 {
		t.Fatalf("outbox after discard: %+v", ops)
	}
}

// TestReplyWithAttachmentIsMailed: with an identity that mails, a reply
// with --attach reaches the SMTP server once, carrying the file as it was
// when queued, and is recorded on the ticket.
func TestReplyWithAttachmentIsMailed(t *testing.T) {
	t.Parallel()
	p := newOutboxProfile(t)
	info := p.sb.Info()
	host, port := splitAddr(t, info.SMTPAddr)
	p.ok(t, info.SMTPPassword+"\n", "account", "add", "smtp", "--project", info.Project, "--from", info.BrandAddress,
		"--from-name", "Acme Support", "--host", host, "--port", port, "--security", "none", "--user", info.SMTPUser,
		"--password-stdin", "--delivery", "smtp")
	file := filepath.Join(t.TempDir(), "label-4471.pdf")
	data := []byte("%PDF-1.4 return label for order 4471")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	body := "Here is your return label."
	var op struct {
		ID        string `json:"id"`
		MessageID string `json:"message_id"`
		Delivery  string `json:"delivery"`
	}
	if err := json.Unmarshal([]byte(p.ok(t, body, "reply", "7", "--body-file", "-", "--attach", file, "--now", "--json")), &op); err != nil ||
		op.MessageID == "" || op.Delivery != "smtp" {
		t.Fatalf("reply --json: %+v %v", op, err)
	}
	if err := os.WriteFile(file, []byte("changed after queueing"), 0o600); err != nil {
		t.Fatal(err)
	}
	if out := p.ok(t, "", "outbox", "flush"); !strings.Contains(out, "Sent 1, failed 0") {
		t.Fatalf("flush printed %q", out)
	}
	var raws [][]byte
	for _, m := range p.sb.SentMail() {
		if bytes.Contains(m.Data, []byte(op.MessageID)) {
			raws = append(raws, m.Data)
		}
	}
	if len(raws) != 1 {
		t.Fatalf("the SMTP server got the reply %d times", len(raws))
	}
	var name string
	var got []byte
	_, err := mailparse.Parse(bytes.NewReader(raws[0]), mailparse.Options{Attachment: func(a mailparse.Attachment, r io.Reader) error {
		name = a.Filename
		var err error
		got, err = io.ReadAll(r)
		return err
	}})
	if err != nil || name != "label-4471.pdf" || !bytes.Equal(got, data) {
		t.Fatalf("attachment %q %q, %v", name, got, err)
	}
	if notes := p.notesWith(7, body); len(notes) != 1 || !notes[0].Internal {
		t.Fatalf("the mailed reply is not recorded as one internal note: %+v", notes)
	}
}
