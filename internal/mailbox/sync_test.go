package mailbox_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"servicedesk/internal/mailbox"
	"servicedesk/internal/model"
	"servicedesk/internal/neterr"
	"servicedesk/internal/neterr/neterrtest"
	"servicedesk/internal/sandbox"
	"servicedesk/internal/store"
)

// mirror asserts the store holds exactly the server's messages of a folder
// (by Message-ID, no duplicates) with the server's flags.
func mirror(t *testing.T, st *store.Store, c mailbox.Config, folder string) {
	t.Helper()
	client, err := mailbox.Dial(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	if _, err := client.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		t.Fatal(err)
	}
	msgs, err := client.Fetch(imap.UIDSet{imap.UIDRange{Start: 1, Stop: 0}}, &imap.FetchOptions{UID: true, Flags: true, Envelope: true}).Collect()
	if err != nil {
		t.Fatal(err)
	}
	stored, err := st.Messages(context.Background(), store.MessageFilter{})
	if err != nil {
		t.Fatal(err)
	}
	byUID := map[uint32]model.Message{}
	seen := map[string]int{}
	for _, m := range stored {
		if m.Folder == folder {
			byUID[m.UID] = m
			seen[m.MessageID]++
		}
	}
	if len(byUID) != len(msgs) {
		t.Fatalf("%s: %d stored, %d on the server", folder, len(byUID), len(msgs))
	}
	for _, m := range msgs {
		s, ok := byUID[uint32(m.UID)]
		if !ok {
			t.Fatalf("%s: UID %d not stored", folder, m.UID)
		}
		if m.Envelope != nil && m.Envelope.MessageID != "" && s.MessageID != m.Envelope.MessageID {
			t.Fatalf("%s UID %d: Message-ID %q, server %q", folder, m.UID, s.MessageID, m.Envelope.MessageID)
		}
		var server []string
		for _, f := range m.Flags {
			if !strings.EqualFold(string(f), `\Recent`) { // a session flag, not stored
				server = append(server, string(f))
			}
		}
		slices.Sort(server)
		if !slices.Equal(s.Flags, server) && !(len(s.Flags) == 0 && len(server) == 0) {
			t.Fatalf("%s UID %d: flags %v, server %v", folder, m.UID, s.Flags, server)
		}
	}
	for id, n := range seen {
		if n > 1 {
			t.Fatalf("%s: %s stored %d times", folder, id, n)
		}
	}
}

func TestSyncMirrorsFoldersThroughNewMailFlagsAndExpunge(t *testing.T) {
	t.Parallel()
	sb, cfg := startSandbox(t)
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	acct, err := st.CreateAccount(ctx, model.Account{Kind: model.AccountIMAP, Name: "inbox", Host: cfg.Host, Port: cfg.Port,
		Security: cfg.Security, Login: cfg.User})
	if err != nil {
		t.Fatal(err)
	}
	sy := &mailbox.Syncer{Config: cfg, Account: acct, Store: st}
	res, err := sy.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	inbox, sent := len(sb.World().Mails(sandbox.FolderInbox)), len(sb.World().Mails(sandbox.FolderSent))
	if res.Folders != 2 || res.New != inbox+sent {
		t.Fatalf("first sync %+v: want INBOX (%d) and Sent (%d)", res, inbox, sent)
	}
	mirror(t, st, cfg, "INBOX")
	mirror(t, st, cfg, "Sent")

	// New mail, a flag change and an expunge on the server.
	if _, err := sb.GitLab().AddCustomerReply(3, "Following up on this, still failing."); err != nil {
		t.Fatal(err)
	}
	client, err := mailbox.Dial(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Select("INBOX", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	if err := client.Store(imap.UIDSetNum(1, 2), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Flags: []imap.Flag{imap.FlagFlagged}}, nil).Close(); err != nil {
		t.Fatal(err)
	}
	if err := client.Store(imap.UIDSetNum(5), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Flags: []imap.Flag{imap.FlagDeleted}}, nil).Close(); err != nil {
		t.Fatal(err)
	}
	if err := client.Expunge().Close(); err != nil {
		t.Fatal(err)
	}
	client.Close()
	res, err = sy.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.New != 1 || res.Gone != 1 || res.Flags != 2 {
		t.Fatalf("incremental sync %+v: want 1 new, 1 gone, 2 flag changes", res)
	}
	mirror(t, st, cfg, "INBOX")
	// Nothing changed: nothing to do.
	if res, err = sy.Sync(ctx); err != nil || res.New+res.Gone+res.Flags != 0 {
		t.Fatalf("idle sync: %+v %v", res, err)
	}
}

// A connection dropped in the middle of fetching mail: the sync connects
// again and goes on from what it stored, and ends with the server's state.
// A network that stays gone ends the sync with the drop's sentence.
func TestSyncResumesAfterADroppedConnection(t *testing.T) {
	t.Parallel()
	sb, cfg := startSandbox(t)
	ctx := context.Background()
	proxy := neterrtest.NewProxy(t, sb.Info().IMAPAddr)
	cfg.Host, cfg.Port = splitAddr(t, proxy.Addr())
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	acct, err := st.CreateAccount(ctx, model.Account{Kind: model.AccountIMAP, Name: "inbox", Host: cfg.Host, Port: cfg.Port,
		Security: cfg.Security, Login: cfg.User})
	if err != nil {
		t.Fatal(err)
	}
	proxy.CutAfter(40_000) // well into the first FETCH of INBOX
	sy := &mailbox.Syncer{Config: cfg, Account: acct, Store: st, Backoff: 10 * time.Millisecond}
	res, err := sy.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	inbox, sent := len(sb.World().Mails(sandbox.FolderInbox)), len(sb.World().Mails(sandbox.FolderSent))
	if proxy.Cuts() != 1 || proxy.Accepted() != 2 || res.Reconnects != 1 {
		t.Fatalf("cuts %d, connections %d, reconnects %d: want the one drop and one more connection", proxy.Cuts(), proxy.Accepted(), res.Reconnects)
	}
	if res.New != inbox+sent {
		t.Fatalf("sync across the drop %+v: want INBOX (%d) and Sent (%d) stored once", res, inbox, sent)
	}
	cfg.Host, cfg.Port = splitAddr(t, sb.Info().IMAPAddr)
	mirror(t, st, cfg, "INBOX")
	mirror(t, st, cfg, "Sent")

	// The network goes and stays gone: a few tries, then the drop's sentence.
	if _, err := sb.GitLab().AddCustomerReply(3, "Following up on this, still failing."); err != nil {
		t.Fatal(err)
	}
	proxy.Refuse(true)
	_, err = sy.Sync(ctx)
	var p *neterr.Problem
	if !errors.As(err, &p) || !strings.Contains(p.Sentence, proxy.Addr()) {
		t.Fatalf("a network that stays gone: %v, want a sentence naming the server", err)
	}
	proxy.Refuse(false)
	if res, err = sy.Sync(ctx); err != nil || res.New != 1 {
		t.Fatalf("back online: %+v %v, want the one new mail", res, err)
	}
}

// Mail synced before its tickets: linking tries it again once they arrive
// (by the customer's address and time, by (#iid) in the subject), and a
// sync that brings neither mail nor tickets tries nothing.
func TestSyncLinksMailWhenItsTicketsArriveLater(t *testing.T) {
	t.Parallel()
	sb, cfg := startSandbox(t)
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	gl, err := st.CreateAccount(ctx, model.Account{Kind: model.AccountGitLab, Name: "gitlab", URL: "http://127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := st.UpsertProject(ctx, model.Project{AccountID: gl.ID, GitLabID: 1, Path: "acme/support", Name: "Support"})
	if err != nil {
		t.Fatal(err)
	}
	acct, err := st.CreateAccount(ctx, model.Account{Kind: model.AccountIMAP, Name: "inbox"})
	if err != nil {
		t.Fatal(err)
	}
	sy := &mailbox.Syncer{Config: cfg, Account: acct, Store: st, ProjectID: p.ID}
	res, err := sy.Sync(ctx)
	if err != nil || res.New == 0 || res.Linked != 0 {
		t.Fatalf("mail before any ticket: %+v %v, want nothing linked", res, err)
	}
	var batch []store.TicketWithNotes
	for _, is := range sb.World().Issues() {
		batch = append(batch, store.TicketWithNotes{Ticket: model.Ticket{GitLabID: is.ID, IID: is.IID, Title: is.Title,
			Description: is.Description, State: is.State, Customer: is.Customer.Email, CreatedAt: is.CreatedAt, UpdatedAt: is.UpdatedAt}})
	}
	if err := st.SaveTickets(ctx, p.ID, batch, "", ""); err != nil {
		t.Fatal(err)
	}
	res, err = sy.Sync(ctx)
	if err != nil || res.New != 0 || res.Linked == 0 {
		t.Fatalf("after the tickets arrived: %+v %v, want the waiting mail linked", res, err)
	}
	msgs, err := st.Messages(ctx, store.MessageFilter{})
	if err != nil {
		t.Fatal(err)
	}
	withMail := map[int64]bool{}
	for _, m := range msgs {
		if m.Ticket != nil {
			withMail[*m.Ticket] = true
		}
	}
	for _, is := range sb.World().Issues() {
		if !withMail[is.IID] {
			t.Errorf("ticket #%d has no mail after the relink", is.IID)
		}
	}
	if res, err = sy.Sync(ctx); err != nil || res.Linked != 0 || res.Unlinked != 0 {
		t.Fatalf("nothing new: %+v %v, want no message tried", res, err)
	}
}
