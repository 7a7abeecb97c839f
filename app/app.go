// Package app is the Wails-bound layer: thin methods that check their input,
// call internal/service, and map results to the DTOs the page sees. It is
// the only package that talks to the Wails runtime (events.go).
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"servicedesk/internal/model"
	"servicedesk/internal/outbox"
	"servicedesk/internal/service"
	"servicedesk/internal/syncer"
)

// App is bound to the page.
type App struct {
	events   *emitter
	log      *slog.Logger
	interval time.Duration
	demo     DemoFunc

	mu   sync.Mutex
	ctx  context.Context // Wails' context, set by Startup
	sess *session

	picked pickedFiles // attachments the agent picked, by token

	notify   func(title, body string) error // nil: no desktop notifications
	notifyMu sync.Mutex                     // one notifyNew at a time
}

// session is one open profile with its syncer. "Try the demo" replaces the
// agent's (empty) profile with a throw-away demo session.
type session struct {
	svc     *service.Service
	sync    *syncer.Syncer
	outbox  *outbox.Runner
	demo    bool
	stop    context.CancelFunc
	watched chan struct{} // closed when the mailbox watchers have stopped
	closer  func()
}

// DemoFunc opens a throw-away demo profile connected to a fresh sandbox; the
// returned function closes both.
type DemoFunc func(ctx context.Context) (*service.Service, func(), error)

// Config is how main wires the window.
type Config struct {
	Service      *service.Service
	SyncInterval time.Duration
	Demo         bool
	StartDemo    DemoFunc // nil: "Try the demo" is not offered
	// Notify shows a desktop notification (notify.Desktop); nil shows none.
	Notify func(title, body string) error
	Log    *slog.Logger
}

// New returns the bound App; Startup starts its background work.
func New(c Config) *App {
	a := &App{log: c.Log, interval: c.SyncInterval, demo: c.StartDemo}
	a.events = newEmitter(c.Log, a.status)
	a.events.online = a.backOnline
	a.events.added = a.notifyNew
	a.notify = c.Notify
	a.sess = a.newSession(c.Service, c.Demo, nil)
	return a
}

func (a *App) newSession(svc *service.Service, demo bool, closer func()) *session {
	sess := &session{svc: svc, demo: demo, closer: closer}
	sess.sync = syncer.New(func(ctx context.Context, onPage func(model.SyncResult)) ([]model.SyncResult, error) {
		return svc.Sync(ctx, service.SyncOptions{OnPage: onPage})
	}, a.interval, a.events, a.log)
	sess.outbox = svc.OutboxRunner(a.events.outboxChanged)
	return sess
}

// Startup is Wails' OnStartup: it starts the event pump and the syncer.
func (a *App) Startup(ctx context.Context) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.ctx = ctx
	a.events.start(ctx)
	a.run(a.sess)
}

// Shutdown is Wails' OnShutdown: it stops the syncer and closes a demo.
func (a *App) Shutdown(context.Context) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.end(a.sess)
}

func (a *App) run(sess *session) {
	ctx, cancel := context.WithCancel(a.ctx)
	sess.stop = cancel
	sess.watched = make(chan struct{})
	go sess.sync.Run(ctx)
	go a.watch(ctx, sess)
	go a.send(ctx, sess)
}

// backOnline sends what waited for the network at once.
func (a *App) backOnline() {
	a.mu.Lock()
	sess := a.sess
	a.mu.Unlock()
	if sess != nil && sess.outbox != nil {
		go func() {
			if err := sess.outbox.RetryNow(context.Background()); err != nil {
				a.log.Warn("outbox: retry after going back online", "err", err)
			}
		}()
	}
}

// send runs the session's outbox until the session ends.
func (a *App) send(ctx context.Context, sess *session) {
	defer func() {
		if r := recover(); r != nil {
			a.log.Error("outbox panicked", "panic", r, "stack", string(debug.Stack()))
		}
	}()
	if err := sess.outbox.Run(ctx); err != nil && ctx.Err() == nil {
		a.log.Error("outbox stopped", "err", err)
	}
}

// watch keeps the session's mailboxes connected (IMAP IDLE) while it runs:
// news in one makes the syncer sync at once.
func (a *App) watch(ctx context.Context, sess *session) {
	defer close(sess.watched)
	defer func() {
		if r := recover(); r != nil {
			a.log.Error("mailbox watch panicked", "panic", r, "stack", string(debug.Stack()))
		}
	}()
	sess.svc.WatchMailboxes(ctx, service.WatchOptions{OnChange: sess.sync.Trigger, OnState: a.logWatch})
}

// logWatch logs a mailbox watcher's state: a connection, and the first
// failure in a row louder than the retries after it.
func (a *App) logWatch(w service.MailboxWatch) {
	switch {
	case w.Connected:
		a.log.Info("mailbox watch connected", "account", w.Mailbox, "mailbox", w.Folder, "idle", !w.Polling)
	case w.Failures <= 1:
		a.log.Warn("mailbox watch not connected", "account", w.Mailbox, "mailbox", w.Folder, "err", w.Err, "retry_in", w.RetryIn)
	default:
		a.log.Info("mailbox watch still not connected", "account", w.Mailbox, "mailbox", w.Folder, "err", w.Err,
			"retry_in", w.RetryIn, "failures", w.Failures)
	}
}

// watchStopWait bounds how long closing a session waits for its mailbox
// connections to close before its store is closed.
const watchStopWait = 5 * time.Second

func (a *App) end(sess *session) {
	if sess.stop != nil {
		sess.stop()
	}
	if sess.watched != nil {
		select {
		case <-sess.watched:
		case <-time.After(watchStopWait):
			a.log.Warn("mailbox watch did not stop in time", "waited", watchStopWait)
		}
	}
	if sess.closer != nil {
		sess.closer()
	}
}

func (a *App) current() *service.Service {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.sess.svc
}

func (a *App) syncer() *syncer.Syncer {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.sess.sync
}

// TryDemo switches the window to a throw-away demo profile on a fresh
// sandbox. The agent's own profile is left as it was and opens again on the
// next start.
func (a *App) TryDemo() error {
	if a.demo == nil {
		return errors.New("the demo is not available in this window")
	}
	a.mu.Lock()
	if a.sess.demo || a.ctx == nil {
		a.mu.Unlock()
		return nil
	}
	ctx := a.ctx
	a.mu.Unlock()
	svc, closer, err := a.demo(ctx)
	if err != nil {
		return fmt.Errorf("start the demo: %w", err)
	}
	sess := a.newSession(svc, true, closer)
	a.mu.Lock()
	old := a.sess
	a.sess = sess
	a.run(sess)
	a.mu.Unlock()
	if old.stop != nil {
		old.stop() // the agent's store stays open: main closes it at exit
	}
	a.events.ticketsChanged()
	return nil
}

// GetTicket returns one ticket with its thread.
func (a *App) GetTicket(projectID, iid int64) (TicketDTO, error) {
	if projectID <= 0 || iid <= 0 {
		return TicketDTO{}, fmt.Errorf("no such ticket: project %d, #%d", projectID, iid)
	}
	d, err := a.current().Ticket(context.Background(), projectID, iid)
	if err != nil {
		return TicketDTO{}, err
	}
	out := TicketDTO{
		TicketRowDTO: rowDTO(d.Ticket),
		Description:  d.Description,
		WebURL:       d.WebURL,
		Confidential: d.Confidential,
		Thread:       make([]ThreadEntryDTO, len(d.Thread)),
		MergeInto:    d.MergeInto,
	}
	if fr := service.FirstResponse(d); fr != nil {
		out.FirstResponseAt = timeString(*fr)
	}
	out.TicketSLA = slaDTO(d.SLA, d.SLACalendar)
	c, err := a.current().CustomerOf(context.Background(), d, 10)
	if err != nil {
		return TicketDTO{}, err
	}
	out.Customer = CustomerDTO{Name: c.Name, Email: c.Email, Organisation: c.Organisation, Domain: c.Domain,
		Tickets: make([]TicketRowDTO, len(c.Tickets)), TicketsTotal: c.TicketsTotal}
	for i, t := range c.Tickets {
		out.Customer.Tickets[i] = rowDTO(t)
	}
	if d.ClosedAt != nil {
		out.ClosedAt = timeString(*d.ClosedAt)
	}
	for i, e := range d.Thread {
		te := ThreadEntryDTO{Kind: e.Kind, Author: e.Author, AuthorName: e.AuthorName, Body: e.Body, CreatedAt: timeString(e.CreatedAt),
			Quoted: e.Quoted, MessageID: e.MessageID, Folder: e.Folder, Subject: e.Subject, HasHTML: e.HasHTML, Attachments: []AttachmentDTO{}}
		for j, a := range e.Attachments {
			te.Attachments = append(te.Attachments, AttachmentDTO{Index: j, Name: a.Name, ContentType: a.ContentType, Size: a.Size, Inline: a.Inline})
		}
		out.Thread[i] = te
	}
	return out, nil
}

// SyncNow asks for a sync; its progress arrives as sync:state events.
func (a *App) SyncNow() error {
	a.syncer().Trigger()
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
		LastActivityAt: timeString(last), WaitingSince: waitingSince(t),
	}
}

// waitingSince is when the customer's unanswered message came, for an open
// ticket where the customer had the last public word.
func waitingSince(t model.Ticket) string {
	if t.State != model.StateOpened || !t.NeedsReply() || t.LastPublicAt.IsZero() {
		return ""
	}
	return timeString(t.LastPublicAt)
}

// status maps a syncer state for an event, where the account count is read
// fresh.
func (a *App) status(s syncer.State) StatusDTO {
	ps, err := a.current().Projects(context.Background())
	return a.statusOf(s, err == nil && len(ps) > 0)
}

func (a *App) statusOf(s syncer.State, hasAccount bool) StatusDTO {
	a.mu.Lock()
	demo := a.sess.demo
	a.mu.Unlock()
	return StatusDTO{Syncing: s.Syncing, Online: s.Online, LastSyncAt: timeString(s.LastSyncAt),
		LastError: s.LastError, Demo: demo, HasAccount: hasAccount, DemoAvailable: a.demo != nil,
		ErrorKind: s.ErrorKind, Progress: s.Progress, LastSummary: s.LastSummary}
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
