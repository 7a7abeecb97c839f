package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"servicedesk/internal/model"
)

// benchStore is a profile with n tickets of two notes each.
func benchStore(b *testing.B, n int) (*Store, model.Project) {
	b.Helper()
	ctx := context.Background()
	s, err := Open(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	a, _ := s.CreateAccount(ctx, model.Account{Kind: "gitlab", Name: "b", URL: "https://gitlab.example"})
	p, _ := s.UpsertProject(ctx, model.Project{AccountID: a.ID, GitLabID: 1, Path: "acme/support", Name: "Support"})
	subjects := []string{"Invoice PDF shows the wrong VAT", "Password reset e-mail never arrives", "Card declined on upgrade",
		"SAML login loops back to the sign-in page", "CSV export is empty", "API answers 429 too often", "Webhook signature mismatch"}
	batch := make([]TicketWithNotes, 0, 500)
	for i := 1; i <= n; i++ {
		at := t0.Add(time.Duration(i) * time.Minute)
		tk := ticket(int64(i), fmt.Sprintf("%s (%d)", subjects[i%len(subjects)], i), []string{model.StateOpened, model.StateClosed}[i%2], nil, at)
		batch = append(batch, TicketWithNotes{Ticket: tk, NotesRead: true, Notes: []model.Note{
			{ID: int64(2 * i), Author: "alex", Body: "Thanks for the report, we are looking into it.", CreatedAt: at.Add(time.Minute)},
			{ID: int64(2*i + 1), Author: model.SupportBot, Body: "Any news? Our finance team is waiting.", CreatedAt: at.Add(2 * time.Minute)},
		}})
		if len(batch) == cap(batch) || i == n {
			if err := s.SaveTickets(ctx, p.ID, batch, "", ""); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	return s, p
}

// The list pane's query: the open view of 50,000 tickets, first 200 rows.
func BenchmarkOpenView50k(b *testing.B) {
	s, _ := benchStore(b, 50_000)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		if ts, err := s.Tickets(ctx, model.TicketFilter{State: model.StateOpened, Limit: 200}); err != nil || len(ts) != 200 {
			b.Fatalf("%d rows, %v", len(ts), err)
		}
	}
}

// The left pane's counts over 50,000 tickets.
func BenchmarkCountViews50k(b *testing.B) {
	s, _ := benchStore(b, 50_000)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.CountViews(ctx, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// A search box query over 50,000 tickets and 100,000 notes.
func BenchmarkSearch50k(b *testing.B) {
	s, _ := benchStore(b, 50_000)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		if ts, err := s.Tickets(ctx, model.TicketFilter{Query: "saml sign", Limit: 50}); err != nil || len(ts) == 0 {
			b.Fatalf("%d rows, %v", len(ts), err)
		}
	}
}

// BenchmarkWrite10kTickets60kNotes is the sync's store budget: 10,000
// tickets with six notes each, in the sync's batches of 100.
func BenchmarkWrite10kTickets60kNotes(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		s, err := Open(ctx, b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		a, _ := s.CreateAccount(ctx, model.Account{Kind: "gitlab", Name: "b", URL: "https://gitlab.example"})
		p, _ := s.UpsertProject(ctx, model.Project{AccountID: a.ID, GitLabID: 1, Path: "acme/support", Name: "Support"})
		batches := make([][]TicketWithNotes, 0, 100)
		for i := 0; i < 10_000; i += 100 {
			batch := make([]TicketWithNotes, 0, 100)
			for j := i; j < i+100; j++ {
				at := t0.Add(time.Duration(j) * time.Minute)
				tw := TicketWithNotes{Ticket: ticket(int64(j+1), fmt.Sprintf("Invoice %d shows the wrong VAT", j), model.StateOpened, nil, at), NotesRead: true}
				for k := range 6 {
					tw.Notes = append(tw.Notes, model.Note{ID: int64(j*6 + k + 1), Author: "alex",
						Body: "Thanks for the details, we are checking the VAT rules for your country.", CreatedAt: at.Add(time.Duration(k+1) * time.Minute)})
				}
				batch = append(batch, tw)
			}
			batches = append(batches, batch)
		}
		b.StartTimer()
		for _, batch := range batches {
			if err := s.SaveTickets(ctx, p.ID, batch, "gitlab-issues", "c"); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
}
