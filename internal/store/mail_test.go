package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"servicedesk/internal/model"
)

func TestMailFoldersMessagesAndLinks(t *testing.T) {
	t.Parallel()
	s, _ := openTest(t)
	p := seedProject(t, s)
	ctx := context.Background()
	if err := s.SaveTickets(ctx, p.ID, []TicketWithNotes{{Ticket: ticket(12, "Card declined on upgrade", model.StateOpened, nil, t0)}}, "", ""); err != nil {
		t.Fatal(err)
	}
	mb, err := s.CreateAccount(ctx, model.Account{Kind: model.AccountIMAP, Name: "inbox", Host: "127.0.0.1", Port: 143, Security: "none", Login: "support@acme.com"})
	if err != nil {
		t.Fatal(err)
	}
	f, err := s.Folder(ctx, mb.ID, "INBOX", "")
	if err != nil {
		t.Fatal(err)
	}
	f.UIDValidity, f.UIDNext = 7, 3
	if err := s.SetFolderCursor(ctx, f); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.Folder(ctx, mb.ID, "INBOX", ""); again.ID != f.ID || again.UIDValidity != 7 || again.UIDNext != 3 {
		t.Fatalf("folder cursor not kept: %+v", again)
	}
	iid := int64(12)
	key := "0123456789abcdef0123456789abcdef"
	linked := model.Message{UIDValidity: 7, UID: 1, MessageID: "m1@mail.example", Subject: "Card declined", RawSHA256: "aa",
		From: model.MailAddress{Name: "Zoë Müller", Email: "zoe@example.org"}, Date: t0, Text: "My card keeps getting declined\n\n> On Monday you wrote:\n> hello",
		Stripped: "My card keeps getting declined", ReplyKeys: []string{key}, ProjectID: p.ID, Ticket: &iid, LinkRule: "customer-window",
		Attachments: []model.Attachment{{Name: "statement.pdf", ContentType: "application/pdf", Size: 1200, SHA256: "bb"}}}
	unlinked := model.Message{UIDValidity: 7, UID: 2, MessageID: "m2@mail.example", Subject: "Undeliverable: your invoice", RawSHA256: "cc",
		From: model.MailAddress{Email: "mailer-daemon@example.net"}, Date: t0.Add(time.Hour), LinkRule: model.LinkNone,
		Text: "The message could not be delivered.", Stripped: "The message could not be delivered."}
	for _, m := range []model.Message{linked, unlinked} {
		if _, err := s.SaveMessage(ctx, f.ID, m); err != nil {
			t.Fatal(err)
		}
	}
	all, err := s.Messages(ctx, MessageFilter{})
	if err != nil || len(all) != 2 {
		t.Fatalf("messages: %d %v", len(all), err)
	}
	if all[1].Ticket == nil || *all[1].Ticket != 12 || all[1].LinkRule != "customer-window" || len(all[1].Attachments) != 1 {
		t.Fatalf("linked message read back as %+v", all[1])
	}
	if all[1].Stripped != linked.Stripped || all[0].Stripped != unlinked.Text {
		t.Fatalf("stripped text read back as %q and %q (the text itself when nothing was quoted)", all[1].Stripped, all[0].Stripped)
	}
	if un, _ := s.Messages(ctx, MessageFilter{Unlinked: true}); len(un) != 1 || un[0].MessageID != "m2@mail.example" || un[0].LinkRule != model.LinkNone {
		t.Fatalf("unlinked: %+v", un)
	}
	if pid, got, ok, err := s.TicketByReplyKey(ctx, key); err != nil || !ok || pid != p.ID || got != 12 {
		t.Fatalf("reply key learned: %d %d %v %v", pid, got, ok, err)
	}
	if ts, err := s.TicketsOfCustomer(ctx, p.ID, "ZOE@example.org", t0.Add(-time.Minute), t0.Add(time.Minute)); err != nil || len(ts) != 1 {
		t.Fatalf("tickets of customer: %+v %v", ts, err)
	}
	// A UIDVALIDITY change drops the folder's messages but keeps links.
	if _, err := s.ResetFolder(ctx, f.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, ok, _ := s.LinkOf(ctx, "m1@mail.example"); !ok {
		t.Fatal("the link did not survive the folder reset")
	}
	linked.UIDValidity, linked.UID, linked.Ticket, linked.LinkRule = 8, 40, nil, ""
	if _, err := s.SaveMessage(ctx, f.ID, linked); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.Messages(ctx, MessageFilter{}); len(again) != 1 || again[0].Ticket == nil || *again[0].Ticket != 12 {
		t.Fatalf("re-read message lost its link: %+v", again)
	}
	var docs int
	if err := s.db.QueryRow(`SELECT count(*) FROM search_docs WHERE kind = 'mail'`).Scan(&docs); err != nil || docs != 1 {
		t.Fatalf("mail search documents after the reset: %d %v", docs, err)
	}
}

func TestWriteBlobIsContentAddressed(t *testing.T) {
	t.Parallel()
	s, _ := openTest(t)
	const raw = "Subject: hi\r\n\r\nhello\r\n"
	sum, n, err := s.WriteBlob(strings.NewReader(raw))
	if err != nil || n != int64(len(raw)) || len(sum) != 64 {
		t.Fatalf("WriteBlob = %q %d %v", sum, n, err)
	}
	b, err := os.ReadFile(s.BlobPath(sum))
	if err != nil || string(b) != "Subject: hi\r\n\r\nhello\r\n" {
		t.Fatalf("blob read back: %q %v", b, err)
	}
	again, _, err := s.WriteBlob(strings.NewReader("Subject: hi\r\n\r\nhello\r\n"))
	if err != nil || again != sum {
		t.Fatalf("same content, other name: %s %v", again, err)
	}
}

func TestSearchFindsTicketsNotesAndMail(t *testing.T) {
	t.Parallel()
	s, _ := openTest(t)
	p := seedProject(t, s)
	ctx := context.Background()
	err := s.SaveTickets(ctx, p.ID, []TicketWithNotes{{Ticket: ticket(3, "Webhook retries pile up", model.StateOpened, nil, t0), NotesRead: true,
		Notes: []model.Note{{ID: 7, Author: "alex", Body: "The webhook backoff is fixed in 4.2", CreatedAt: t0.Add(time.Hour)}}}}, "", "")
	if err != nil {
		t.Fatal(err)
	}
	mb, _ := s.CreateAccount(ctx, model.Account{Kind: model.AccountIMAP, Name: "inbox"})
	f, _ := s.Folder(ctx, mb.ID, "INBOX", "")
	iid := int64(3)
	if _, err := s.SaveMessage(ctx, f.ID, model.Message{UIDValidity: 1, UID: 1, MessageID: "w1@example.org", Subject: "Webhook signature",
		From: model.MailAddress{Email: "dev@example.org"}, Text: "Our webhook endpoint rejects the signature", RawSHA256: "ab",
		ProjectID: p.ID, Ticket: &iid, LinkRule: "reply-key", Attachments: []model.Attachment{{Name: "webhook-log.txt", SHA256: "cd"}}}); err != nil {
		t.Fatal(err)
	}
	hits, err := s.Search(ctx, "webhook", 10)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, h := range hits {
		kinds[h.Kind]++
		if h.IID == nil || *h.IID != 3 || !strings.Contains(h.Snippet, "[") {
			t.Errorf("hit %+v: want ticket #3 and a highlighted snippet", h)
		}
	}
	if kinds["ticket"] != 1 || kinds["note"] != 1 || kinds["mail"] != 1 {
		t.Fatalf("hits by kind: %v", kinds)
	}
	if hits, _ := s.Search(ctx, "webhook-log", 10); len(hits) != 1 || hits[0].MessageID != "w1@example.org" {
		t.Fatalf("attachment name search: %+v", hits)
	}
}

// A small raw message stays in memory for the database; a large one goes to
// the blob folder; ReadRaw finds either.
func TestRawMessagesSmallInTheDatabaseLargeInFiles(t *testing.T) {
	t.Parallel()
	s, _ := openTest(t)
	ctx := context.Background()
	small := "Subject: hi\r\n\r\nshort\r\n"
	large := "Subject: big\r\n\r\n" + strings.Repeat("x", SmallRaw+10)
	sumS, _, rawS, err := s.ReadSmallOrWriteBlob(strings.NewReader(small), int64(len(small)))
	if err != nil || string(rawS) != small {
		t.Fatalf("small: %q %v", rawS, err)
	}
	sumL, sizeL, rawL, err := s.ReadSmallOrWriteBlob(strings.NewReader(large), -1)
	if err != nil || rawL != nil || sizeL != int64(len(large)) {
		t.Fatalf("large: %d bytes back, size %d, %v", len(rawL), sizeL, err)
	}
	// A connection that drops mid-message: nothing is kept, small or large.
	for _, raw := range []string{small, large} {
		if _, _, _, err := s.ReadSmallOrWriteBlob(strings.NewReader(raw[:len(raw)-3]), int64(len(raw))); !errors.Is(err, ErrCutShort) {
			t.Fatalf("a message cut short (%d bytes): %v, want ErrCutShort", len(raw), err)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(s.BlobPath(sumL)), "..", ".incoming-*")); len(left) != 0 {
		t.Fatalf("a cut message left %v", left)
	}
	mb, _ := s.CreateAccount(ctx, model.Account{Kind: model.AccountIMAP, Name: "inbox"})
	f, _ := s.Folder(ctx, mb.ID, "INBOX", "")
	if _, err := s.SaveMessage(ctx, f.ID, model.Message{UIDValidity: 1, UID: 1, MessageID: "s@x", RawSHA256: sumS, Raw: rawS}); err != nil {
		t.Fatal(err)
	}
	for sum, want := range map[string]string{sumS: small, sumL: large} {
		r, err := s.ReadRaw(ctx, sum)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r)
		r.Close()
		if string(b) != want {
			t.Fatalf("ReadRaw(%s) gave %d bytes, want %d", sum[:8], len(b), len(want))
		}
	}
}

// A process killed while writing a blob leaves its temporary file behind;
// the next Open removes it, and leaves alone those of a live process.
func TestOpenRemovesUnfinishedBlobsOfGoneProcesses(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	blobs := filepath.Join(dir, "blobs")
	if err := os.MkdirAll(blobs, 0o700); err != nil {
		t.Fatal(err)
	}
	gone := exec.Command(os.Args[0], "-test.run=^$")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	dead := filepath.Join(blobs, fmt.Sprintf(".incoming-%d-123", gone.Process.Pid))
	live := filepath.Join(blobs, fmt.Sprintf(".incoming-%d-456", os.Getppid()))
	for _, f := range []string{dead, live} {
		if err := os.WriteFile(f, []byte("half a mess"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s, err := Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := os.Stat(dead); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the dead process's unfinished blob is still there: %v", err)
	}
	if _, err := os.Stat(live); err != nil {
		t.Errorf("a live process's unfinished blob was removed: %v", err)
	}
}

// Migration 0008 rebuilds the search index without its own copy of the
// text: mail indexed before it is still found, by subject, address,
// attachment name and body, with a snippet cut from the message.
func TestContentlessSearchMigrationKeepsMailSearchable(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, FileName)+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	var qs []string
	for _, m := range ms[:7] {
		qs = append(qs, m.sql)
	}
	qs = append(qs, "PRAGMA user_version = 7",
		`INSERT INTO accounts (id, kind, name, created_at) VALUES (1, 'imap', 'inbox', 1)`,
		`INSERT INTO mail_folders (id, account_id, name) VALUES (1, 1, 'INBOX')`,
		`INSERT INTO messages (id, folder_id, uidvalidity, uid, message_id, raw_sha256, subject, from_name, from_addr, to_addrs, cc_addrs, date, body_text)
			VALUES (1, 1, 1, 1, 'a@x', 'ab', 'Refund for order 881', 'Zoë Müller', 'zoe@example.org',
			'[{"name":"Acme Support","email":"support@acme.com"}]', '[]', 1, 'Please refund the duplicate charge.')`,
		`INSERT INTO attachments (message_row, name, sha256) VALUES (1, 'receipt-881.pdf', '')`,
		`INSERT INTO search_docs (id, kind, ref) VALUES (7, 'mail', 1)`,
		`INSERT INTO search (rowid, title, body) VALUES (7, 'Refund for order 881 zoe@example.org receipt-881.pdf', 'Please refund the duplicate charge.')`)
	for _, q := range qs {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%.60s: %v", q, err)
		}
	}
	db.Close()

	s, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for q, snippet := range map[string]string{"refund": "Please [refund] the duplicate charge.", "muller": "Please refund the duplicate charge.",
		"receipt": "Please refund the duplicate charge.", "support@acme": "Please refund the duplicate charge.", "duplicate": "Please refund the [duplicate] charge."} {
		hits, err := s.Search(ctx, q, 10)
		if err != nil || len(hits) != 1 || hits[0].MessageID != "a@x" {
			t.Fatalf("search %q after the migration: %+v %v", q, hits, err)
		}
		if hits[0].Snippet != snippet {
			t.Errorf("search %q: snippet %q, want %q", q, hits[0].Snippet, snippet)
		}
	}
	// Removing the message's document removes it from the index.
	if _, err := s.db.ExecContext(ctx, `DELETE FROM search_docs WHERE kind = 'mail' AND ref = 1`); err != nil {
		t.Fatal(err)
	}
	if hits, err := s.Search(ctx, "refund", 10); err != nil || len(hits) != 0 {
		t.Fatalf("a removed document is still found: %+v %v", hits, err)
	}
}

// Raw messages of expunged mail go after a sync: from the database at
// once, from the blob folder once older than a sync could still be writing.
func TestCollectGarbageRemovesRawMessagesNoMessageUses(t *testing.T) {
	t.Parallel()
	s, _ := openTest(t)
	ctx := context.Background()
	mb, _ := s.CreateAccount(ctx, model.Account{Kind: model.AccountIMAP, Name: "inbox"})
	f, _ := s.Folder(ctx, mb.ID, "INBOX", "")
	var sums []string
	for i, raw := range []string{"Subject: kept\r\n\r\nhi\r\n", "Subject: gone\r\n\r\nbye\r\n",
		"Subject: big kept\r\n\r\n" + strings.Repeat("k", SmallRaw), "Subject: big gone\r\n\r\n" + strings.Repeat("g", SmallRaw)} {
		sum, _, small, err := s.ReadSmallOrWriteBlob(strings.NewReader(raw), int64(len(raw)))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveMessage(ctx, f.ID, model.Message{UIDValidity: 1, UID: uint32(i + 1), MessageID: fmt.Sprintf("m%d@x", i), RawSHA256: sum, Raw: small}); err != nil {
			t.Fatal(err)
		}
		sums = append(sums, sum)
	}
	if err := s.DeleteMessages(ctx, f.ID, []uint32{2, 4}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.CollectGarbage(ctx); err != nil || n != 1 {
		t.Fatalf("CollectGarbage = %d, %v; want the small one at once, the new blob kept", n, err)
	}
	old := time.Now().Add(-2 * blobGrace)
	for _, sum := range sums[2:] {
		if err := os.Chtimes(s.BlobPath(sum), old, old); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := s.CollectGarbage(ctx); err != nil || n != 1 {
		t.Fatalf("CollectGarbage = %d, %v; want the old unused blob", n, err)
	}
	for i, sum := range sums {
		r, err := s.ReadRaw(ctx, sum)
		if gone := i%2 == 1; gone != (err != nil) {
			t.Errorf("raw message %d: read error %v, want gone = %v", i, err, gone)
		}
		if r != nil {
			r.Close()
		}
	}
}
