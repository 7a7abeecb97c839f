package service

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"servicedesk/internal/gitlab"
	"servicedesk/internal/mailparse"
	"servicedesk/internal/model"
	"servicedesk/internal/neterr/neterrtest"
	"servicedesk/internal/outbox"
	"servicedesk/internal/sandbox"
	"servicedesk/internal/store"
)

// outboxFixture is a profile connected to the sandbox's GitLab (through a
// proxy that can take the network away) and synced once, with a runner
// whose clock the test can move.
type outboxFixture struct {
	*fixture
	p      model.Project
	proxy  *neterrtest.Proxy
	runner *outbox.Runner
	clock  time.Duration // added to the real time
}

func newOutboxFixture(t testing.TB) *outboxFixture {
	t.Helper()
	f := &outboxFixture{fixture: newFixture(t)}
	ctx := context.Background()
	f.proxy = neterrtest.NewProxy(t, strings.TrimPrefix(f.info.GitLabURL, "http://"))
	form := f.gitlabForm()
	form.URL = "http://" + f.proxy.Addr()
	a, err := f.svc.SaveGitLab(ctx, form)
	if err != nil {
		t.Fatal(err)
	}
	if f.p, err = f.svc.ProjectOf(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Sync(ctx, SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	f.runner = f.svc.OutboxRunner(nil)
	f.runner.Now = func() time.Time { return time.Now().Add(f.clock) }
	return f
}

// flush sends what is due, as the runner's loop would.
func (f *outboxFixture) flush(t testing.TB) {
	t.Helper()
	if _, err := f.runner.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func (f *outboxFixture) op(t *testing.T, id string) model.OutboxOp {
	t.Helper()
	ops, err := f.svc.Outbox(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range ops {
		if op.ID == id {
			return op
		}
	}
	t.Fatalf("op %s is not in the outbox", id)
	return model.OutboxOp{}
}

// notesWithMarker returns the sandbox GitLab's notes of a ticket that carry
// an op's marker.
func (f *outboxFixture) notesWithMarker(iid int64, opID string) []sandbox.Note {
	var out []sandbox.Note
	for _, n := range f.sb.GitLab().Notes(iid) {
		if strings.Contains(n.Body, gitlab.Marker(opID)) {
			out = append(out, n)
		}
	}
	return out
}

func (f *outboxFixture) openTicket(t *testing.T) model.Ticket {
	t.Helper()
	ts, err := f.svc.Tickets(context.Background(), model.TicketFilter{State: model.StateOpened})
	if err != nil || len(ts) == 0 {
		t.Fatalf("no open ticket: %v", err)
	}
	return ts[0]
}

// A reply waits out its undo window; undone, its text is the draft again;
// sent, it is one public note on GitLab, read back into the thread.
func TestReplyUndoThenSendAsPublicNote(t *testing.T) {
	t.Parallel()
	f := newOutboxFixture(t)
	ctx := context.Background()
	tk := f.openTicket(t)
	if _, err := f.svc.SaveDraft(ctx, f.p.ID, tk.IID, "Hello Zoë, the refund is on its way.", false); err != nil {
		t.Fatal(err)
	}
	op, err := f.svc.Reply(ctx, ReplyRequest{ProjectID: f.p.ID, IID: tk.IID, Body: "Hello Zoë, the refund is on its way."})
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := f.svc.Draft(ctx, f.p.ID, tk.IID); d.Body != "" {
		t.Fatalf("the draft stayed after queueing: %q", d.Body)
	}
	f.flush(t)
	if got := f.op(t, op.ID); got.State != model.OpQueued {
		t.Fatalf("inside the undo window the reply is %s", got.State)
	}
	if _, err := f.svc.Undo(ctx, op.ID); err != nil {
		t.Fatal(err)
	}
	if d, _ := f.svc.Draft(ctx, f.p.ID, tk.IID); d.Body != "Hello Zoë, the refund is on its way." {
		t.Fatalf("after undo the draft is %q", d.Body)
	}
	op, err = f.svc.Reply(ctx, ReplyRequest{ProjectID: f.p.ID, IID: tk.IID, Body: "Hello Zoë, the refund is on its way."})
	if err != nil {
		t.Fatal(err)
	}
	f.clock = outbox.DefaultUndo + time.Second
	f.flush(t)
	got := f.op(t, op.ID)
	if got.State != model.OpDone || got.NoteID == 0 {
		t.Fatalf("after the window: %+v", got)
	}
	notes := f.notesWithMarker(tk.IID, op.ID)
	if len(notes) != 1 || notes[0].Internal || !strings.HasPrefix(notes[0].Body, "Hello Zoë") {
		t.Fatalf("GitLab has %+v, want one public note", notes)
	}
	if _, err := f.svc.Undo(ctx, op.ID); err == nil || !strings.Contains(err.Error(), "too late") {
		t.Fatalf("undo after it left: %v", err)
	}
	d, err := f.svc.Ticket(ctx, f.p.ID, tk.IID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(d.Thread, func(e model.ThreadEntry) bool { return strings.HasPrefix(e.Body, "Hello Zoë") }) {
		t.Fatal("the thread does not show the reply after it was sent")
	}
}

// Labels, assignee, state and CC change on GitLab, in order, and the local
// copy follows.
func TestTriageReachesGitLab(t *testing.T) {
	t.Parallel()
	f := newOutboxFixture(t)
	ctx := context.Background()
	tk := f.openTicket(t)
	members, err := f.svc.Store().Members(ctx, f.p.ID)
	if err != nil || len(members) == 0 {
		t.Fatalf("members: %v %v", members, err)
	}
	who := []string{members[0].Username}
	ops, err := f.svc.Triage(ctx, TriageRequest{ProjectID: f.p.ID, IID: tk.IID, AddLabels: []string{"billing"},
		Assignees: &who, State: "close", AddCC: []string{"finance@example.org"}})
	if err != nil || len(ops) != 4 {
		t.Fatalf("triage: %d ops, %v", len(ops), err)
	}
	f.flush(t)
	for _, op := range ops {
		if got := f.op(t, op.ID); got.State != model.OpDone {
			t.Fatalf("%s: %s (%s)", op.Kind, got.State, got.Reason)
		}
	}
	is, _ := f.sb.GitLab().Issue(tk.IID)
	if is.State != model.StateClosed || !slices.Contains(is.Labels, "billing") || len(is.AssigneeIDs) != 1 || is.AssigneeIDs[0] != members[0].UserID {
		t.Fatalf("GitLab has %+v", is)
	}
	local, err := f.svc.Store().Ticket(ctx, f.p.ID, tk.IID)
	if err != nil || local.State != model.StateClosed || !slices.Contains(local.Labels, "billing") || !slices.Equal(local.Assignees, who) {
		t.Fatalf("local copy %+v %v", local, err)
	}
}

// GitLab unreachable: replies and changes wait, retried with backoff; back
// online, each arrives once, in order per ticket.
func TestOfflineOpsArriveOnceInOrderWhenBackOnline(t *testing.T) {
	t.Parallel()
	f := newOutboxFixture(t)
	ctx := context.Background()
	tk := f.openTicket(t)
	f.proxy.Refuse(true)
	f.proxy.CutAll()
	var ids []string
	for i, body := range []string{"First answer.", "Second answer.", "Third answer."} {
		op, err := f.svc.Reply(ctx, ReplyRequest{ProjectID: f.p.ID, IID: tk.IID, Body: body, Internal: i == 1, Undo: -1})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, op.ID)
	}
	if _, err := f.svc.Triage(ctx, TriageRequest{ProjectID: f.p.ID, IID: tk.IID, AddLabels: []string{"urgent"}}); err != nil {
		t.Fatal(err)
	}
	f.flush(t)
	first := f.op(t, ids[0])
	if first.State != model.OpFailed || !first.Retryable || first.NextTryAt.IsZero() || !strings.Contains(first.Reason, "GitLab") {
		t.Fatalf("offline, the first reply is %+v", first)
	}
	if second := f.op(t, ids[1]); second.State != model.OpQueued {
		t.Fatalf("offline, the second waits behind the first: %s", second.State)
	}
	f.flush(t) // not due yet: nothing tried
	if got := f.op(t, ids[0]); got.Attempts != 1 {
		t.Fatalf("retried before its time: %d attempts", got.Attempts)
	}
	f.proxy.Refuse(false)
	if err := f.runner.RetryNow(ctx); err != nil { // the syncer found the network back
		t.Fatal(err)
	}
	f.flush(t)
	var order []string
	for _, n := range f.sb.GitLab().Notes(tk.IID) {
		for _, id := range ids {
			if strings.Contains(n.Body, gitlab.Marker(id)) {
				order = append(order, id)
			}
		}
	}
	if !slices.Equal(order, ids) {
		t.Fatalf("GitLab got the notes %v, want each once in order %v", order, ids)
	}
	if is, _ := f.sb.GitLab().Issue(tk.IID); !slices.Contains(is.Labels, "urgent") {
		t.Fatalf("the label change did not arrive: %v", is.Labels)
	}
	if left, _ := f.svc.Outbox(ctx, false); len(left) != 0 {
		t.Fatalf("ops left: %+v", left)
	}
}

// A note whose answer was lost (GitLab took it, the app never heard) is
// found by its marker and not posted again; a 5xx is retried; a 401 stops
// the op with the reason and keeps it.
func TestNotePostedOnceWhenTheAnswerIsLost(t *testing.T) {
	t.Parallel()
	f := newOutboxFixture(t)
	ctx := context.Background()
	tk := f.openTicket(t)
	op, err := f.svc.Reply(ctx, ReplyRequest{ProjectID: f.p.ID, IID: tk.IID, Body: "Checking on it.", Undo: -1})
	if err != nil {
		t.Fatal(err)
	}
	// GitLab takes the note; the connection drops before the answer.
	f.sb.GitLab().LoseAnswerNext(fmt.Sprintf("/projects/%d/issues/%d/notes$", f.p.GitLabID, tk.IID), 1)
	f.flush(t)
	if got := f.op(t, op.ID); got.State != model.OpFailed || !got.Retryable {
		t.Fatalf("after a dropped request: %+v", got)
	}
	f.clock = outbox.MaxBackoff * 2
	f.flush(t)
	if got := f.op(t, op.ID); got.State != model.OpDone || got.Attempts != 2 {
		t.Fatalf("the second try: %+v", got)
	}
	if n := f.notesWithMarker(tk.IID, op.ID); len(n) != 1 {
		t.Fatalf("%d notes with the marker, want 1: the second try posted it again", len(n))
	}

	// GitLab fails (500): tried again later.
	f.sb.GitLab().FailNext(fmt.Sprintf("/projects/%d/issues/%d$", f.p.GitLabID, tk.IID), http.StatusInternalServerError, 1, 0)
	ops, err := f.svc.Triage(ctx, TriageRequest{ProjectID: f.p.ID, IID: tk.IID, AddLabels: []string{"escalated"}})
	if err != nil {
		t.Fatal(err)
	}
	f.flush(t)
	if got := f.op(t, ops[0].ID); got.State != model.OpFailed || !got.Retryable || !strings.Contains(got.Reason, "500") {
		t.Fatalf("after a 500: %+v", got)
	}
	f.clock = outbox.MaxBackoff * 4
	f.flush(t)
	if got := f.op(t, ops[0].ID); got.State != model.OpDone {
		t.Fatalf("the retry after a 500: %+v", got)
	}

	// Revoked token: stops, keeps the op, says why.
	op2, err := f.svc.Reply(ctx, ReplyRequest{ProjectID: f.p.ID, IID: tk.IID, Body: "Another.", Undo: -1})
	if err != nil {
		t.Fatal(err)
	}
	f.sb.GitLab().SetToken("glpat-rotated-0000000000")
	f.flush(t)
	got := f.op(t, op2.ID)
	if got.State != model.OpFailed || got.Retryable || !strings.Contains(got.Reason, "refused the token") {
		t.Fatalf("with a revoked token: %+v", got)
	}
	if _, err := f.svc.Decide(ctx, op2.ID, DecideRetry); err != nil {
		t.Fatal(err)
	}
	if got := f.op(t, op2.ID); got.State != model.OpReady {
		t.Fatalf("after retry: %s", got.State)
	}
}

// Another agent's public note (or the customer's mail) arriving while the
// reply waits puts the reply in conflict; sent anyway, it leaves once.
func TestCollisionStopsTheReply(t *testing.T) {
	t.Parallel()
	f := newOutboxFixture(t)
	ctx := context.Background()
	tk := f.openTicket(t)
	op, err := f.svc.Reply(ctx, ReplyRequest{ProjectID: f.p.ID, IID: tk.IID, Body: "Have you tried turning it off and on?"})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond) // the customer's answer is newer than what the reply answers
	if _, err := f.sb.GitLab().AddCustomerReply(tk.IID, "Never mind, it works now!"); err != nil {
		t.Fatal(err)
	}
	f.clock = outbox.DefaultUndo + time.Second
	f.flush(t)
	got := f.op(t, op.ID)
	if got.State != model.OpConflict || !strings.Contains(got.Reason, "the customer") {
		t.Fatalf("after the customer wrote again: %+v", got)
	}
	if n := f.notesWithMarker(tk.IID, op.ID); len(n) != 0 {
		t.Fatal("a conflicted reply left")
	}
	if _, err := f.svc.Decide(ctx, op.ID, DecideSendAnyway); err != nil {
		t.Fatal(err)
	}
	f.flush(t)
	if got := f.op(t, op.ID); got.State != model.OpDone || len(f.notesWithMarker(tk.IID, op.ID)) != 1 {
		t.Fatalf("sent anyway: %+v", got)
	}
	// Our own earlier reply is no collision for the next one.
	a, _ := f.svc.Reply(ctx, ReplyRequest{ProjectID: f.p.ID, IID: tk.IID, Body: "One.", Undo: -1})
	b, _ := f.svc.Reply(ctx, ReplyRequest{ProjectID: f.p.ID, IID: tk.IID, Body: "Two.", Undo: -1})
	f.flush(t)
	if f.op(t, a.ID).State != model.OpDone || f.op(t, b.ID).State != model.OpDone {
		t.Fatalf("two replies in a row: %s, %s", f.op(t, a.ID).State, f.op(t, b.ID).Reason)
	}
}

// With delivery smtp the app sends the reply itself, from the brand, with
// the ticket's reply key and the thread's ids, then records it on the
// ticket as an internal note carrying its marker.
func TestReplyByMailIsThreadedAndRecorded(t *testing.T) {
	t.Parallel()
	f := newOutboxFixture(t)
	ctx := context.Background()
	mb := f.mailboxForm(t, f.info.IMAPPassword)
	mb.ProjectID = f.p.ID
	if _, err := f.svc.SaveMailbox(ctx, mb); err != nil {
		t.Fatal(err)
	}
	id := f.identityForm(t, f.p.ID, f.info.SMTPPassword)
	id.Signature = "{{agent.nmae}}"
	if _, err := f.svc.SaveIdentity(ctx, id); err == nil || !strings.Contains(err.Error(), "signature") {
		t.Fatalf("a signature with a variable: %v", err)
	}
	id.Signature = "{{agent.name}} · Acme Support\nhttps://acme.example/help"
	if _, err := f.svc.SaveIdentity(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Sync(ctx, SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	// A ticket whose mail taught its reply key.
	var tk model.Ticket
	var key string
	ts, _ := f.svc.Tickets(ctx, model.TicketFilter{State: model.StateOpened})
	for _, c := range ts {
		if keys, _ := f.svc.Store().ReplyKeysOf(ctx, f.p.ID, c.IID); len(keys) > 0 {
			tk, key = c, keys[len(keys)-1]
			break
		}
	}
	if key == "" {
		t.Fatal("no open ticket with a learned reply key")
	}
	op, err := f.svc.Reply(ctx, ReplyRequest{ProjectID: f.p.ID, IID: tk.IID, Body: "Hi {{customer.first_name}},\n\nthe refund for **#{{ticket.iid}}** is on its way.", Undo: -1})
	if err != nil {
		t.Fatal(err)
	}
	if op.Delivery != model.DeliverySMTP || op.MessageID == "" {
		t.Fatalf("queued %+v: want delivery smtp with a Message-ID fixed now", op)
	}
	f.flush(t)
	if got := f.op(t, op.ID); got.State != model.OpDone || got.NoteID == 0 {
		t.Fatalf("after the flush: %+v", got)
	}
	var sent []sandbox.SentMessage
	for _, m := range f.sb.SentMail() {
		if strings.Contains(string(m.Data), op.MessageID) {
			sent = append(sent, m)
		}
	}
	if len(sent) != 1 || !slices.Equal(sent[0].To, []string{tk.Customer}) {
		t.Fatalf("the SMTP server got %d copies (to %v), want one to %s", len(sent), sent, tk.Customer)
	}
	pm, err := mailparse.Parse(bytes.NewReader(sent[0].Data), mailparse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if pm.From.Email != f.info.BrandAddress || pm.From.Name != "Acme Support" || pm.MessageID != op.MessageID {
		t.Errorf("From %+v, Message-ID %q", pm.From, pm.MessageID)
	}
	if len(pm.ReplyTo) != 1 || !strings.Contains(pm.ReplyTo[0].Email, "+"+key+"@") {
		t.Errorf("Reply-To %+v, want the brand address with key %s", pm.ReplyTo, key)
	}
	if len(pm.InReplyTo) != 1 || len(pm.References) == 0 || pm.References[len(pm.References)-1] != pm.InReplyTo[0] {
		t.Errorf("In-Reply-To %v, References %v", pm.InReplyTo, pm.References)
	}
	if !strings.Contains(pm.Subject, fmt.Sprintf("(#%d)", tk.IID)) || !strings.HasPrefix(pm.Subject, "Re: ") {
		t.Errorf("Subject %q", pm.Subject)
	}
	if !strings.Contains(pm.Text, fmt.Sprintf("#%d", tk.IID)) || strings.Contains(pm.Text, "{{") || !strings.Contains(pm.HTML, "<strong>") ||
		!strings.Contains(pm.Text, "-- \nAlex Morgan · Acme Support") {
		t.Errorf("text %q, html %q", pm.Text, pm.HTML)
	}
	notes := f.notesWithMarker(tk.IID, op.ID)
	if len(notes) != 1 || !notes[0].Internal || !strings.Contains(notes[0].Body, op.MessageID) {
		t.Fatalf("GitLab has %+v, want one internal note recording the mail", notes)
	}
	// The mailed reply shows once in the thread (its note), not again as
	// the Sent folder's copy.
	if _, err := f.svc.Sync(ctx, SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	d, err := f.svc.Ticket(ctx, f.p.ID, tk.IID)
	if err != nil {
		t.Fatal(err)
	}
	shown := 0
	for _, e := range d.Thread {
		if strings.Contains(e.Body, "is on its way") {
			shown++
		}
	}
	if shown != 1 {
		t.Fatalf("the reply shows %d times in the thread", shown)
	}
	// An unknown variable is refused before anything is queued.
	if _, err := f.svc.Reply(ctx, ReplyRequest{ProjectID: f.p.ID, IID: tk.IID, Body: "Hi {{customer.nmae}}"}); err == nil ||
		!strings.Contains(err.Error(), "customer.nmae") {
		t.Fatalf("an unknown variable: %v", err)
	}
}

// Files attached to a mailed reply are copied when it is queued and arrive
// byte for byte; GitLab delivery refuses them with a reason.
func TestReplyAttachments(t *testing.T) {
	t.Parallel()
	f := newOutboxFixture(t)
	ctx := context.Background()
	tk := f.openTicket(t)
	dir := t.TempDir()
	pdf := filepath.Join(dir, "Rechnung März.pdf")
	data := bytes.Repeat([]byte("%PDF-1.4 invoice "), 40_000)
	if err := os.WriteFile(pdf, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Reply(ctx, ReplyRequest{ProjectID: f.p.ID, IID: tk.IID, Body: "See attached.", Files: []string{pdf}}); err == nil ||
		!strings.Contains(err.Error(), "upload the file in GitLab") {
		t.Fatalf("an attachment with GitLab delivery: %v", err)
	}
	if _, err := f.svc.SaveIdentity(ctx, f.identityForm(t, f.p.ID, f.info.SMTPPassword)); err != nil {
		t.Fatal(err)
	}
	op, err := f.svc.Reply(ctx, ReplyRequest{ProjectID: f.p.ID, IID: tk.IID, Body: "See attached.", Files: []string{pdf}, Undo: -1})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pdf, []byte("changed after queueing"), 0o600); err != nil {
		t.Fatal(err)
	}
	f.flush(t)
	if got := f.op(t, op.ID); got.State != model.OpDone {
		t.Fatalf("after the flush: %+v", got)
	}
	var raw []byte
	for _, m := range f.sb.SentMail() {
		if strings.Contains(string(m.Data), op.MessageID) {
			raw = m.Data
		}
	}
	var got []byte
	var name string
	_, err = mailparse.Parse(bytes.NewReader(raw), mailparse.Options{Attachment: func(a mailparse.Attachment, r io.Reader) error {
		name = a.Filename
		got, err = io.ReadAll(r)
		return err
	}})
	if err != nil || name != "Rechnung März.pdf" || !bytes.Equal(got, data) {
		t.Fatalf("attachment %q, %d bytes (want %d), %v", name, len(got), len(data), err)
	}
}

// The customer answers a mailed reply that carried no reply key: GitLab
// opens the answer as a new ticket. The app links that mail to the ticket
// it answers (by our Message-ID), offers the merge, and the merge closes
// the new ticket as a duplicate with its content copied over.
func TestAnswerOpenedAsNewTicketIsOfferedForMerge(t *testing.T) {
	t.Parallel()
	f := newOutboxFixture(t)
	ctx := context.Background()
	mb := f.mailboxForm(t, f.info.IMAPPassword)
	mb.ProjectID = f.p.ID
	if _, err := f.svc.SaveMailbox(ctx, mb); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SaveIdentity(ctx, f.identityForm(t, f.p.ID, f.info.SMTPPassword)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Sync(ctx, SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	a := f.openTicket(t)
	op, err := f.svc.Reply(ctx, ReplyRequest{ProjectID: f.p.ID, IID: a.IID, Body: "Could you send us the invoice number?", Undo: -1})
	if err != nil {
		t.Fatal(err)
	}
	f.flush(t)
	if got := f.op(t, op.ID); got.State != model.OpDone {
		t.Fatalf("the reply: %+v", got)
	}
	b := f.sb.World().AddCustomerAnswerTicket(sandbox.Customer{Email: a.Customer, Name: "Customer"}, "Re: "+a.Title,
		"The invoice number is INV-2291.", op.MessageID)
	if _, err := f.svc.Sync(ctx, SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	d, err := f.svc.Ticket(ctx, f.p.ID, b.IID)
	if err != nil {
		t.Fatal(err)
	}
	if d.MergeInto != a.IID {
		t.Fatalf("#%d offers a merge into #%d, want #%d", b.IID, d.MergeInto, a.IID)
	}
	if other, _ := f.svc.Ticket(ctx, f.p.ID, a.IID); other.MergeInto != 0 {
		t.Fatalf("the original ticket offers a merge into #%d", other.MergeInto)
	}
	m, err := f.svc.Merge(ctx, f.p.ID, b.IID, a.IID)
	if err != nil {
		t.Fatal(err)
	}
	f.flush(t)
	if got := f.op(t, m.ID); got.State != model.OpDone {
		t.Fatalf("the merge: %+v", got)
	}
	if is, _ := f.sb.GitLab().Issue(b.IID); is.State != model.StateClosed {
		t.Fatalf("#%d is %s after the merge", b.IID, is.State)
	}
	notes := f.notesWithMarker(a.IID, m.ID)
	if len(notes) != 1 || !notes[0].Internal || !strings.Contains(notes[0].Body, "INV-2291") {
		t.Fatalf("#%d has %+v, want one internal note with the answer", a.IID, notes)
	}
	if d, _ := f.svc.Ticket(ctx, f.p.ID, b.IID); d.MergeInto != 0 {
		t.Fatal("a closed ticket still offers the merge")
	}
}

// One process sends a profile's outbox at a time: a second one is told, and
// the first one's Run waits for it.
func TestOutboxLockedToOneSender(t *testing.T) {
	t.Parallel()
	f := newOutboxFixture(t)
	release, err := f.runner.Lock()
	if err != nil {
		t.Fatal(err)
	}
	// Another process: another handle on the same lock file.
	other := New(f.svc.Store(), f.keys, Options{}).OutboxRunner(nil)
	if _, err := other.Lock(); !errors.Is(err, store.ErrOutboxBusy) {
		t.Fatalf("a second sender: %v, want ErrOutboxBusy", err)
	}
	release()
	again, err := other.Lock()
	if err != nil {
		t.Fatalf("after the release: %v", err)
	}
	again()
}

// GitLab and the mail server both down: replies and changes wait through a
// restart of the app, and when both are back each leaves once, in order,
// and the local copy matches GitLab's.
func TestOfflineThroughARestartWithMailDown(t *testing.T) {
	t.Parallel()
	f := newOutboxFixture(t)
	ctx := context.Background()
	smtpProxy := neterrtest.NewProxy(t, f.info.SMTPAddr)
	id := f.identityForm(t, f.p.ID, f.info.SMTPPassword)
	id.Host, id.Port = hostPort(t, smtpProxy.Addr())
	if _, err := f.svc.SaveIdentity(ctx, id); err != nil {
		t.Fatal(err)
	}
	tk := f.openTicket(t)
	f.proxy.Refuse(true)
	f.proxy.CutAll()
	smtpProxy.Refuse(true)
	reply, err := f.svc.Reply(ctx, ReplyRequest{ProjectID: f.p.ID, IID: tk.IID, Body: "Refund sent.", Undo: -1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Triage(ctx, TriageRequest{ProjectID: f.p.ID, IID: tk.IID, AddLabels: []string{"refunded"}, State: "close"}); err != nil {
		t.Fatal(err)
	}
	f.flush(t)
	if got := f.op(t, reply.ID); got.State != model.OpFailed || !got.Retryable {
		t.Fatalf("offline: %+v", got)
	}
	// The app restarts on the same profile, still offline; then the network
	// comes back for GitLab but not yet for mail.
	svc := New(f.svc.Store(), f.keys, Options{})
	runner := svc.OutboxRunner(nil)
	if err := runner.Recover(ctx); err != nil {
		t.Fatal(err)
	}
	f.proxy.Refuse(false)
	if err := runner.RetryNow(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := runner.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if got := f.op(t, reply.ID); got.State != model.OpFailed || !got.Retryable || !strings.Contains(got.Reason, smtpProxy.Addr()) {
		t.Fatalf("mail still down: %+v", got)
	}
	if is, _ := f.sb.GitLab().Issue(tk.IID); is.State == model.StateClosed {
		t.Fatal("the close went ahead of the reply queued before it")
	}
	smtpProxy.Refuse(false)
	if err := runner.RetryNow(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := runner.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if left, _ := svc.Outbox(ctx, false); len(left) != 0 {
		t.Fatalf("ops left: %+v", left)
	}
	copies := 0
	for _, m := range f.sb.SentMail() {
		if strings.Contains(string(m.Data), reply.MessageID) {
			copies++
		}
	}
	is, _ := f.sb.GitLab().Issue(tk.IID)
	if copies != 1 || len(f.notesWithMarker(tk.IID, reply.ID)) != 1 || is.State != model.StateClosed || !slices.Contains(is.Labels, "refunded") {
		t.Fatalf("mail copies %d, GitLab %+v", copies, is)
	}
	local, err := svc.Store().Ticket(ctx, f.p.ID, tk.IID)
	if err != nil || local.State != is.State || !slices.Equal(local.Labels, is.Labels) {
		t.Fatalf("local copy %+v, GitLab %+v (%v)", local, is, err)
	}
}

// A reply sent later does not hold back the ticket's label change queued
// after it; a second reply waits behind it.
func TestSendLaterHoldsBackOnlyLaterReplies(t *testing.T) {
	t.Parallel()
	f := newOutboxFixture(t)
	ctx := context.Background()
	tk := f.openTicket(t)
	later, err := f.svc.Reply(ctx, ReplyRequest{ProjectID: f.p.ID, IID: tk.IID, Body: "Good morning!", SendAt: time.Now().Add(12 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	label, err := f.svc.Triage(ctx, TriageRequest{ProjectID: f.p.ID, IID: tk.IID, AddLabels: []string{"tomorrow"}})
	if err != nil {
		t.Fatal(err)
	}
	second, err := f.svc.Reply(ctx, ReplyRequest{ProjectID: f.p.ID, IID: tk.IID, Body: "And another thing.", Undo: -1})
	if err != nil {
		t.Fatal(err)
	}
	f.flush(t)
	if got := f.op(t, label[0].ID); got.State != model.OpDone {
		t.Fatalf("the label waited for tomorrow's reply: %+v", got)
	}
	if f.op(t, later.ID).State != model.OpQueued || f.op(t, second.ID).State != model.OpQueued {
		t.Fatalf("replies: %s, %s; want both queued, the second behind the first", f.op(t, later.ID).State, f.op(t, second.ID).State)
	}
	f.clock = 13 * time.Hour
	f.flush(t)
	var order []string
	for _, n := range f.sb.GitLab().Notes(tk.IID) {
		for _, id := range []string{later.ID, second.ID} {
			if strings.Contains(n.Body, gitlab.Marker(id)) {
				order = append(order, id)
			}
		}
	}
	if !slices.Equal(order, []string{later.ID, second.ID}) {
		t.Fatalf("replies reached GitLab as %v", order)
	}
}
