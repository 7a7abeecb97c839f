package mailbox_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"servicedesk/internal/mailbox"
	"servicedesk/internal/model"
	"servicedesk/internal/neterr/neterrtest"
	"servicedesk/internal/sandbox"
	"servicedesk/internal/store"
)

func appendMails(t *testing.T, c *imapclient.Client, folder string, mails []sandbox.Mail) {
	t.Helper()
	for _, m := range mails {
		cmd := c.Append(folder, int64(len(m.Raw)), nil)
		if _, err := cmd.Write(m.Raw); err != nil {
			t.Fatal(err)
		}
		if err := cmd.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := cmd.Wait(); err != nil {
			t.Fatal(err)
		}
	}
}

// Against Dovecot (CONDSTORE): the first sync, flag changes read with
// CHANGEDSINCE, 100 messages expunged with 10 of them appended again (new
// UIDs, same Message-IDs: no ghosts, no duplicates), and a UIDVALIDITY
// change (the folder deleted and made again).
func TestSyncDovecotCondstoreExpungeAndUIDValidity(t *testing.T) {
	t.Parallel()
	info, roots := needDovecot(t)
	cfg := mailbox.Config{Host: "127.0.0.1", Port: info.IMAPSPort, Security: model.SecurityTLS, User: info.User,
		Password: info.Password, TLSConfig: &tls.Config{RootCAs: roots}}
	folder := fmt.Sprintf("SyncTest%d", time.Now().UnixNano())
	ctx := context.Background()
	admin, err := mailbox.Dial(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if !admin.Caps().Has(imap.CapCondStore) {
		t.Fatal("Dovecot did not offer CONDSTORE")
	}
	if err := admin.Create(folder, nil).Wait(); err != nil {
		t.Fatal(err)
	}
	mails := sandbox.NewWorld(sandbox.Options{Seed: 9, Tickets: 80}).Mails(sandbox.FolderInbox)[:150]
	appendMails(t, admin, folder, mails)

	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	acct, err := st.CreateAccount(ctx, model.Account{Kind: model.AccountIMAP, Name: "dovecot", Folders: []string{folder}})
	if err != nil {
		t.Fatal(err)
	}
	acct.Folders = []string{folder}
	sy := &mailbox.Syncer{Config: cfg, Account: acct, Store: st}
	if res, err := sy.Sync(ctx); err != nil || res.New != 150 {
		t.Fatalf("first sync: %+v %v", res, err)
	}
	mirror(t, st, cfg, folder)

	if _, err := admin.Select(folder, nil).Wait(); err != nil {
		t.Fatal(err)
	}
	flag := func(uids imap.UIDSet, f imap.Flag) {
		t.Helper()
		if err := admin.Store(uids, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Flags: []imap.Flag{f}, Silent: true}, nil).Close(); err != nil {
			t.Fatal(err)
		}
	}
	flag(imap.UIDSet{imap.UIDRange{Start: 121, Stop: 140}}, imap.FlagFlagged)
	if res, err := sy.Sync(ctx); err != nil || res.Flags != 20 || res.New != 0 {
		t.Fatalf("after 20 flag changes: %+v %v", res, err)
	}
	mirror(t, st, cfg, folder)

	flag(imap.UIDSet{imap.UIDRange{Start: 1, Stop: 100}}, imap.FlagDeleted)
	if err := admin.Expunge().Close(); err != nil {
		t.Fatal(err)
	}
	appendMails(t, admin, folder, mails[:10])
	if res, err := sy.Sync(ctx); err != nil || res.Gone != 100 || res.New != 10 {
		t.Fatalf("after expunging 100 and appending 10 again: %+v %v", res, err)
	}
	mirror(t, st, cfg, folder)

	if err := admin.Unselect().Wait(); err != nil {
		t.Fatal(err)
	}
	if err := admin.Delete(folder).Wait(); err != nil {
		t.Fatal(err)
	}
	if err := admin.Create(folder, nil).Wait(); err != nil {
		t.Fatal(err)
	}
	appendMails(t, admin, folder, mails[:60])
	if res, err := sy.Sync(ctx); err != nil || res.New != 60 {
		t.Fatalf("after the UIDVALIDITY change: %+v %v", res, err)
	}
	mirror(t, st, cfg, folder)
	if _, err := admin.Select(folder, nil).Wait(); err != nil {
		t.Fatal(err)
	}
}

// Against Dovecot over TLS: the connection dropped in the middle of a
// message; the sync connects again and ends with the server's state.
func TestSyncDovecotResumesAfterADroppedConnection(t *testing.T) {
	t.Parallel()
	info, roots := needDovecot(t)
	cfg := mailbox.Config{Host: "127.0.0.1", Port: info.IMAPSPort, Security: model.SecurityTLS, User: info.User,
		Password: info.Password, TLSConfig: &tls.Config{RootCAs: roots}}
	folder := fmt.Sprintf("DropTest%d", time.Now().UnixNano())
	ctx := context.Background()
	admin, err := mailbox.Dial(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if err := admin.Create(folder, nil).Wait(); err != nil {
		t.Fatal(err)
	}
	mails := sandbox.NewWorld(sandbox.Options{Seed: 9, Tickets: 80}).Mails(sandbox.FolderInbox)[:150]
	appendMails(t, admin, folder, mails)

	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	acct, err := st.CreateAccount(ctx, model.Account{Kind: model.AccountIMAP, Name: "dovecot"})
	if err != nil {
		t.Fatal(err)
	}
	acct.Folders = []string{folder}
	proxy := neterrtest.NewProxy(t, fmt.Sprintf("127.0.0.1:%d", info.IMAPSPort))
	through := cfg
	through.Host, through.Port = splitAddr(t, proxy.Addr())
	through.TLSConfig = &tls.Config{RootCAs: roots, ServerName: "127.0.0.1"}
	proxy.CutAfter(120_000)
	res, err := (&mailbox.Syncer{Config: through, Account: acct, Store: st, Backoff: 10 * time.Millisecond}).Sync(ctx)
	if err != nil || res.New != 150 || res.Reconnects != 1 || proxy.Cuts() != 1 {
		t.Fatalf("sync across the drop: %+v %v (cuts %d)", res, err, proxy.Cuts())
	}
	mirror(t, st, cfg, folder)
}
