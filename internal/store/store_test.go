package store

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"servicedesk/internal/model"
)

func openTest(t *testing.T) (*Store, string) {
	t.Helper()
	dir := t.TempDir()
	s, err := Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, dir
}

func TestOpenMigratesInWAL(t *testing.T) {
	t.Parallel()
	s, dir := openTest(t)
	ctx := context.Background()
	var v int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	if v != SchemaVersion() || v == 0 {
		t.Fatalf("user_version = %d, want %d", v, SchemaVersion())
	}
	var fk int
	if err := s.db.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Fatalf("foreign_keys = %d, %v", fk, err)
	}
	s.Close()
	// Opening again applies nothing and keeps the data.
	s2, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	s2.Close()
}

func TestNewerSchemaIsRefusedAndLeftAlone(t *testing.T) {
	t.Parallel()
	s, dir := openTest(t)
	ctx := context.Background()
	if _, err := s.db.ExecContext(ctx, "PRAGMA user_version = 999"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err := Open(ctx, dir)
	if !errors.Is(err, ErrSchemaTooNew) {
		t.Fatalf("Open = %v, want ErrSchemaTooNew", err)
	}
	db, err := sql.Open("sqlite", filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v int
	if err := db.QueryRow("PRAGMA user_version").Scan(&v); err != nil || v != 999 {
		t.Fatalf("user_version after refusal = %d, %v; want 999 untouched", v, err)
	}
}

func seedProject(t *testing.T, s *Store) model.Project {
	t.Helper()
	ctx := context.Background()
	a, err := s.CreateAccount(ctx, model.Account{Kind: "gitlab", Name: "test", URL: "https://gitlab.example"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.UpsertProject(ctx, model.Project{AccountID: a.ID, GitLabID: 7, Path: "acme/support", Name: "Support"})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

var t0 = time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)

func ticket(iid int64, title, state string, assignees []string, at time.Time) model.Ticket {
	return model.Ticket{GitLabID: 1000 + iid, IID: iid, Title: title, State: state, Customer: "zoe@example.org",
		Description: "Hello,\n\n" + title + " since this morning.\n\nZoë", Labels: []string{"billing"},
		Assignees: assignees, CreatedAt: at, UpdatedAt: at}
}

func TestSaveTicketsViewsAndSearch(t *testing.T) {
	t.Parallel()
	s, _ := openTest(t)
	p := seedProject(t, s)
	ctx := context.Background()
	batch := []TicketWithNotes{
		{Ticket: ticket(1, "Invoice PDF shows the wrong VAT", model.StateOpened, nil, t0), NotesRead: true},
		{Ticket: ticket(2, "Password reset e-mail never arrives", model.StateOpened, []string{"alex"}, t0.Add(time.Hour)), NotesRead: true,
			Notes: []model.Note{{ID: 50, Author: "alex", Body: "Could you check your spam folder?", CreatedAt: t0.Add(2 * time.Hour)}}},
		{Ticket: ticket(3, "Refund for a double charge", model.StateClosed, []string{"alex"}, t0.Add(3*time.Hour)), NotesRead: true,
			Notes: []model.Note{
				{ID: 60, Author: "alex", Body: "Refunded.", CreatedAt: t0.Add(4 * time.Hour)},
				{ID: 61, Author: model.SupportBot, Body: "Thanks, received the refund", CreatedAt: t0.Add(5 * time.Hour)},
				{ID: 62, Author: "alex", Body: "closed", System: true, CreatedAt: t0.Add(6 * time.Hour)},
			}},
	}
	if err := s.SaveTickets(ctx, p.ID, batch, "gitlab-issues", "c1"); err != nil {
		t.Fatal(err)
	}
	c, err := s.CountViews(ctx, 0, "alex", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	want := ViewCounts{NeedsReply: 1, Waiting: 1, Unassigned: 1, Mine: 1, Open: 2, Closed: 1, All: 3}
	if c != want {
		t.Fatalf("counts = %+v, want %+v", c, want)
	}
	if cur, _ := s.Cursor(ctx, p.ID, "gitlab-issues"); cur != "c1" {
		t.Fatalf("cursor = %q", cur)
	}
	got, err := s.Ticket(ctx, p.ID, 3)
	if err != nil {
		t.Fatal(err)
	}
	if got.LastPublicKind != model.KindCustomer || got.Snippet != "Thanks, received the refund" || got.Project != "acme/support" {
		t.Fatalf("ticket 3 derived fields: kind %q snippet %q project %q", got.LastPublicKind, got.Snippet, got.Project)
	}
	for _, tc := range []struct {
		name     string
		f        model.TicketFilter
		iids     []int64
		anyOrder bool // equally relevant hits: their order is not part of the contract
	}{
		{"open newest first", model.TicketFilter{State: model.StateOpened}, []int64{2, 1}, false},
		{"needs reply", model.TicketFilter{NeedsReply: true}, []int64{1}, false},
		{"unassigned", model.TicketFilter{State: model.StateOpened, Unassigned: true}, []int64{1}, false},
		{"waiting on the customer", model.TicketFilter{Waiting: true}, []int64{2}, false},
		{"mine, open", model.TicketFilter{State: model.StateOpened, Assignee: "alex"}, []int64{2}, false},
		{"mine, all", model.TicketFilter{Assignee: "alex"}, []int64{3, 2}, false},
		{"someone else's", model.TicketFilter{Assignee: "priya"}, []int64{}, false},
		{"search title prefix", model.TicketFilter{Query: "passw"}, []int64{2}, false},
		{"search note body", model.TicketFilter{Query: "spam folder"}, []int64{2}, false},
		{"search diacritics folded", model.TicketFilter{Query: "zoe"}, []int64{1, 2, 3}, true},
		{"search FTS syntax is literal", model.TicketFilter{Query: `refund" OR "vat`}, []int64{}, false},
		{"search punctuation only", model.TicketFilter{Query: `"*(`}, []int64{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts, err := s.Tickets(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			var iids []int64
			for _, tk := range ts {
				iids = append(iids, tk.IID)
			}
			if tc.anyOrder {
				slices.Sort(iids)
			}
			if !slices.Equal(iids, tc.iids) {
				t.Fatalf("iids = %v, want %v", iids, tc.iids)
			}
		})
	}
}

func TestResavingReplacesNotesAndIndex(t *testing.T) {
	t.Parallel()
	s, _ := openTest(t)
	p := seedProject(t, s)
	ctx := context.Background()
	tk := ticket(9, "Webhook deliveries fail", model.StateOpened, nil, t0)
	first := []TicketWithNotes{{Ticket: tk, NotesRead: true, Notes: []model.Note{{ID: 1, Author: "alex", Body: "Looking into the signature mismatch", CreatedAt: t0.Add(time.Minute)}}}}
	if err := s.SaveTickets(ctx, p.ID, first, "", ""); err != nil {
		t.Fatal(err)
	}
	tk.UpdatedAt = t0.Add(time.Hour)
	tk.State = model.StateClosed
	second := []TicketWithNotes{{Ticket: tk, NotesRead: true, Notes: []model.Note{{ID: 2, Author: "alex", Body: "Fixed by rotating the secret", CreatedAt: t0.Add(time.Hour)}}}}
	if err := s.SaveTickets(ctx, p.ID, second, "", ""); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Ticket(ctx, p.ID, 9)
	notes, err := s.Notes(ctx, got.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 1 || notes[0].ID != 2 || got.State != model.StateClosed {
		t.Fatalf("after resave: state %s notes %+v", got.State, notes)
	}
	if ts, _ := s.Tickets(ctx, model.TicketFilter{Query: "signature"}); len(ts) != 0 {
		t.Fatalf("old note still indexed: %d hits", len(ts))
	}
	if ts, _ := s.Tickets(ctx, model.TicketFilter{Query: "rotating"}); len(ts) != 1 {
		t.Fatalf("new note not indexed: %d hits", len(ts))
	}
	v, err := s.TicketVersions(ctx, p.ID, []int64{9, 10})
	if err != nil || len(v) != 1 || !v[9].Equal(t0.Add(time.Hour)) {
		t.Fatalf("versions = %v, %v", v, err)
	}
	// Saving without notes keeps the stored ones.
	if err := s.SaveTickets(ctx, p.ID, []TicketWithNotes{{Ticket: tk}}, "", ""); err != nil {
		t.Fatal(err)
	}
	if notes, _ := s.Notes(ctx, got.ID); len(notes) != 1 {
		t.Fatalf("notes dropped by a save without notes: %d", len(notes))
	}
}

func TestDeleteAccountRemovesItsTickets(t *testing.T) {
	t.Parallel()
	s, _ := openTest(t)
	p := seedProject(t, s)
	ctx := context.Background()
	if err := s.SaveTickets(ctx, p.ID, []TicketWithNotes{{Ticket: ticket(1, "Export CSV is empty", model.StateOpened, nil, t0)}}, "", ""); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteAccount(ctx, p.AccountID); err != nil {
		t.Fatal(err)
	}
	if ts, _ := s.Tickets(ctx, model.TicketFilter{}); len(ts) != 0 {
		t.Fatalf("%d tickets left", len(ts))
	}
	var n int
	if err := s.db.QueryRow("SELECT count(*) FROM search").Scan(&n); err != nil || n != 0 {
		t.Fatalf("search rows left: %d %v", n, err)
	}
}

func TestSnippet(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", 200)
	for _, tc := range []struct{ in, want string }{
		{"Hi,\n\n> quoted\nSecond line", "Hi, Second line"},
		{"   ", ""},
		{long, strings.Repeat("é", 80) + "…"},
	} {
		if got := Snippet(tc.in); got != tc.want {
			t.Errorf("snippet(%q) = %q, want %q", tc.in[:min(len(tc.in), 20)], got, tc.want)
		}
	}
}

func FuzzMatchExpr(f *testing.F) {
	s, err := Open(context.Background(), f.TempDir())
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	for _, seed := range []string{"vat invoice", `"a" OR b*`, "NEAR(a b)", "-x", "ü^", ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if _, err := s.Tickets(context.Background(), model.TicketFilter{Query: in}); err != nil {
			t.Fatalf("query %q: %v", in, err)
		}
	})
}

// A profile written by the first schema keeps its data through the later
// migrations, and its tickets stay searchable.
func TestMigrationFromVersionOneKeepsData(t *testing.T) {
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
	for _, q := range []string{ms[0].sql, "PRAGMA user_version = 1",
		`INSERT INTO accounts (id, kind, name, url, username, created_at) VALUES (1, 'gitlab', 'Acme', 'https://gitlab.example', 'alex', 1)`,
		`INSERT INTO projects (id, account_id, gitlab_id, path, name) VALUES (1, 1, 42, 'acme/support', 'Support')`,
		`INSERT INTO tickets (id, project_id, gitlab_id, iid, title, description, state, customer, labels, created_at, updated_at)
			VALUES (1, 1, 100, 5, 'Webhook retries pile up', 'They never stop', 'opened', 'zoe@example.org', '["bug"]', 1, 2)`,
		`INSERT INTO notes (id, ticket_id, author, body, created_at, updated_at) VALUES (9, 1, 'alex', 'Backoff fixed in 4.2', 3, 3)`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%.40s: %v", q, err)
		}
	}
	db.Close()

	s, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a, err := s.Account(ctx, 1)
	if err != nil || a.Name != "Acme" || a.Username != "alex" {
		t.Fatalf("account after migration: %+v, %v", a, err)
	}
	for _, q := range []string{"webhook", "backoff", "bug", "zoe"} {
		if ts, err := s.Tickets(ctx, model.TicketFilter{Query: q}); err != nil || len(ts) != 1 {
			t.Fatalf("search %q after migration: %d hits, %v", q, len(ts), err)
		}
	}
	var fk int
	if err := s.db.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Fatalf("foreign keys after a rebuild migration: %d, %v", fk, err)
	}
}

// A ticket saved twice in one batch is indexed once, with its last text.
func TestTicketTwiceInOneBatchIndexesOnce(t *testing.T) {
	t.Parallel()
	s, _ := openTest(t)
	p := seedProject(t, s)
	ctx := context.Background()
	first := ticket(4, "Dunning e-mails go out twice", model.StateOpened, nil, t0)
	second := first
	second.Title, second.UpdatedAt = "Dunning reminders go out twice", t0.Add(time.Minute)
	if err := s.SaveTickets(ctx, p.ID, []TicketWithNotes{{Ticket: first, NotesRead: true}, {Ticket: second, NotesRead: true}}, "", ""); err != nil {
		t.Fatal(err)
	}
	var rows, docs int
	if err := s.db.QueryRow(`SELECT count(*) FROM search`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if err := s.db.QueryRow(`SELECT count(*) FROM search_docs`).Scan(&docs); err != nil {
		t.Fatal(err)
	}
	if rows != 1 || docs != 1 {
		t.Fatalf("%d search rows and %d documents, want one each", rows, docs)
	}
	if ts, _ := s.Tickets(ctx, model.TicketFilter{Query: "reminders"}); len(ts) != 1 {
		t.Fatal("the last text is not searchable")
	}
}

// With SQLite's automatic checkpoint off, the checkpointer copies the
// write-ahead log into the database, so the next writes start the log
// again from its beginning instead of growing it.
func TestCheckpointerKeepsTheLogFromGrowing(t *testing.T) {
	t.Parallel()
	s, dir := openTest(t)
	p := seedProject(t, s)
	ctx := context.Background()
	write := func(from int) {
		for i := range 40 {
			tk := ticket(int64(from+i), strings.Repeat("Checkpoint me ", 200), model.StateOpened, nil, t0)
			if err := s.SaveTickets(ctx, p.ID, []TicketWithNotes{{Ticket: tk}}, "", ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	write(1)
	first := walSize(t, dir)
	// A busy machine may delay a checkpoint: wait and write again, up to a
	// deadline; without the checkpointer every round grows the log.
	var size int64
	for round, deadline := 1, time.Now().Add(15*time.Second); time.Now().Before(deadline); round++ {
		time.Sleep(4 * checkpointEvery)
		write(1000 * round)
		if size = walSize(t, dir); size <= first+first/2 {
			return
		}
	}
	t.Fatalf("the log grew from %d to %d bytes: it was never copied into the database between the writes", first, size)
}

func walSize(t *testing.T, dir string) int64 {
	t.Helper()
	fi, err := os.Stat(filepath.Join(dir, FileName+"-wal"))
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}
