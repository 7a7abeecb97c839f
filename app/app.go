// Package app is the Wails-bound layer: thin methods that check their input,
// call internal/service, and map results to the DTOs the page sees. It is
// the only package that talks to the Wails runtime (events.go).
package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"servicedesk/internal/model"
	"servicedesk/internal/service"
	"servicedesk/internal/syncer"
)

// App is bound to the page.
type App struct {
	svc    *service.Service
	sync   *syncer.Syncer
	events *emitter
	demo   bool
	log    *slog.Logger
}

// Config is how main wires the window.
type Config struct {
	Service      *service.Service
	SyncInterval time.Duration
	Demo         bool
	Log          *slog.Logger
}

// New returns the bound App; Startup starts its background work.
func New(c Config) *App {
	a := &App{svc: c.Service, demo: c.Demo, log: c.Log}
	a.events = newEmitter(c.Log, a.status)
	a.sync = syncer.New(c.Service.Sync, c.SyncInterval, a.events, c.Log)
	return a
}

// Startup is Wails' OnStartup: it starts the event pump and the syncer.
func (a *App) Startup(ctx context.Context) {
	a.events.start(ctx)
	go a.sync.Run(ctx)
}

// Overview returns the projects, the views with their counts and the status.
func (a *App) Overview() (OverviewDTO, error) {
	ctx := context.Background()
	ps, err := a.svc.Projects(ctx)
	if err != nil {
		return OverviewDTO{}, err
	}
	c, err := a.svc.CountViews(ctx, 0)
	if err != nil {
		return OverviewDTO{}, err
	}
	out := OverviewDTO{
		Projects: make([]ProjectDTO, 0, len(ps)),
		Views: []ViewDTO{
			{ID: "needs_reply", Name: "Needs reply", Count: c.NeedsReply},
			{ID: "unassigned", Name: "Unassigned", Count: c.Unassigned},
			{ID: "open", Name: "All open", Count: c.Open},
			{ID: "closed", Name: "Closed", Count: c.Closed},
			{ID: "all", Name: "All", Count: c.All},
		},
		Status: a.statusOf(a.sync.State(), len(ps) > 0),
	}
	for _, p := range ps {
		out.Projects = append(out.Projects, ProjectDTO{ID: p.ID, Path: p.Path, Name: p.Name})
	}
	return out, nil
}

// ListTickets returns the rows of a view, optionally narrowed by a search.
func (a *App) ListTickets(q TicketQuery) ([]TicketRowDTO, error) {
	f := model.TicketFilter{ProjectID: q.ProjectID, Query: q.Search}
	switch q.View {
	case "needs_reply":
		f.NeedsReply = true
	case "unassigned":
		f.State, f.Unassigned = model.StateOpened, true
	case "open", "":
		f.State = model.StateOpened
	case "closed":
		f.State = model.StateClosed
	case "all":
	default:
		return nil, fmt.Errorf("unknown view %q", q.View)
	}
	if len(q.Search) > 500 {
		return nil, fmt.Errorf("the search is too long (%d characters; at most 500)", len(q.Search))
	}
	ts, err := a.svc.Tickets(context.Background(), f)
	if err != nil {
		return nil, err
	}
	out := make([]TicketRowDTO, len(ts))
	for i, t := range ts {
		out[i] = rowDTO(t)
	}
	return out, nil
}

// GetTicket returns one ticket with its thread.
func (a *App) GetTicket(projectID, iid int64) (TicketDTO, error) {
	if projectID <= 0 || iid <= 0 {
		return TicketDTO{}, fmt.Errorf("no such ticket: project %d, #%d", projectID, iid)
	}
	d, err := a.svc.Ticket(context.Background(), projectID, iid)
	if err != nil {
		return TicketDTO{}, err
	}
	out := TicketDTO{
		TicketRowDTO: rowDTO(d.Ticket),
		Description:  d.Description,
		WebURL:       d.WebURL,
		Confidential: d.Confidential,
		Thread:       make([]ThreadEntryDTO, len(d.Thread)),
	}
	if d.ClosedAt != nil {
		out.ClosedAt = timeString(*d.ClosedAt)
	}
	for i, e := range d.Thread {
		out.Thread[i] = ThreadEntryDTO{Kind: e.Kind, Author: e.Author, AuthorName: e.AuthorName, Body: e.Body, CreatedAt: timeString(e.CreatedAt)}
	}
	return out, nil
}

// SyncNow asks for a sync; its progress arrives as sync:state events.
func (a *App) SyncNow() error {
	a.sync.Trigger()
	return nil
}

func rowDTO(t model.Ticket) TicketRowDTO {
	last := t.LastPublicAt
	if t.UpdatedAt.After(last) {
		last = t.UpdatedAt
	}
	return TicketRowDTO{
		ProjectID: t.ProjectID, Project: t.Project, IID: t.IID, Title: t.Title, State: t.State,
		Customer: t.Customer, Labels: nonNil(t.Labels), Assignees: nonNil(t.Assignees), Snippet: t.Snippet,
		NeedsReply: t.NeedsReply(), CreatedAt: timeString(t.CreatedAt), UpdatedAt: timeString(t.UpdatedAt),
		LastActivityAt: timeString(last),
	}
}

// status maps a syncer state for an event, where the account count is read
// fresh.
func (a *App) status(s syncer.State) StatusDTO {
	ps, err := a.svc.Projects(context.Background())
	return a.statusOf(s, err == nil && len(ps) > 0)
}

func (a *App) statusOf(s syncer.State, hasAccount bool) StatusDTO {
	return StatusDTO{Syncing: s.Syncing, Online: s.Online, LastSyncAt: timeString(s.LastSyncAt),
		LastError: s.LastError, Demo: a.demo, HasAccount: hasAccount}
}

func timeString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
