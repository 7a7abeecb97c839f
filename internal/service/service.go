// Package service holds the use cases that both front doors call: the window
// (app) and the command line (cli). It wires the store, the keychain and the
// GitLab client together; it holds no UI or flag parsing, and no SQL or HTTP.
package service

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"servicedesk/internal/gitlab"
	"servicedesk/internal/mailbox"
	"servicedesk/internal/model"
	"servicedesk/internal/outbox"
	"servicedesk/internal/secrets"
	"servicedesk/internal/store"
)

// Service is one open profile.
type Service struct {
	store *store.Store
	keys  secrets.Keychain
	gl    gitlab.Options
	tls   *tls.Config // nil: the system's roots

	syncMu sync.Mutex // one sync at a time per profile

	clientsMu sync.Mutex
	clients   map[int64]cachedClient // by account id; kept so rate-limit pacing carries over between syncs

	log      *slog.Logger
	runnerMu sync.Mutex
	runner   *outbox.Runner // told when an op is queued
}

type cachedClient struct {
	token  string
	client *gitlab.Client
}

// Options tune a Service; the zero value is right for the app.
type Options struct {
	GitLab gitlab.Options
	// TLS, when set, is the base TLS configuration for mail servers
	// (tests trust their own CA with it).
	TLS *tls.Config
	// Log receives what the outbox does; nil means slog.Default().
	Log *slog.Logger
}

// New returns a service over an open store and a keychain.
func New(st *store.Store, keys secrets.Keychain, opts Options) *Service {
	log := opts.Log
	if log == nil {
		log = slog.Default()
	}
	return &Service{store: st, keys: keys, gl: opts.GitLab, tls: opts.TLS, clients: map[int64]cachedClient{}, log: log}
}

// Store is the profile's store, for the syncer's change queries.
func (s *Service) Store() *store.Store { return s.store }

// Accounts lists the profile's accounts.
func (s *Service) Accounts(ctx context.Context) ([]model.Account, error) {
	return s.store.Accounts(ctx)
}

// Projects lists the synced projects.
func (s *Service) Projects(ctx context.Context) ([]model.Project, error) {
	return s.store.Projects(ctx)
}

// SyncOptions tune one sync.
type SyncOptions struct {
	// Full re-checks everything: every ticket changed since the beginning
	// and the deletion pass, whatever the cursors say.
	Full bool
	// Concurrency is how many notes requests may be in flight; 0 means 4.
	Concurrency int
	// OnPage, when set, hears of every stored page of changes as it lands.
	OnPage func(model.SyncResult)
}

// goneCheckEvery is how often a sync also asks GitLab for every stored
// ticket by id, to find deletions (they never show under updated_after): a
// hundred tickets a request.
const goneCheckEvery = 30 * time.Minute

const goneCursor = "gitlab-gone-checked"

// Sync brings every project up to date, one project after another. It
// returns the results of the projects that synced and their errors.
func (s *Service) Sync(ctx context.Context, opt SyncOptions) ([]model.SyncResult, error) {
	s.syncMu.Lock()
	defer s.syncMu.Unlock()
	accounts, err := s.store.Accounts(ctx)
	if err != nil {
		return nil, err
	}
	mailboxes := slices.DeleteFunc(slices.Clone(accounts), func(a model.Account) bool { return a.Kind != model.AccountIMAP })
	accounts = slices.DeleteFunc(accounts, func(a model.Account) bool { return a.Kind != model.AccountGitLab })
	if len(accounts) == 0 {
		return nil, model.ErrNoAccount
	}
	projects, err := s.store.Projects(ctx)
	if err != nil {
		return nil, err
	}
	var results []model.SyncResult
	var errs []error
	for _, a := range accounts {
		c, err := s.client(a)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		sy := gitlab.Syncer{Client: c, Store: s.store, OnPage: opt.OnPage, Concurrency: opt.Concurrency}
		for _, p := range projects {
			if p.AccountID != a.ID {
				continue
			}
			r, err := s.syncProject(ctx, &sy, p, opt.Full)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			results = append(results, r)
			// The team's shared templates and rules, after the tickets;
			// then the rules run on what the sync brought.
			if err := s.syncTeamFiles(ctx, c, p); err != nil {
				errs = append(errs, err)
			} else if _, err := s.runRules(ctx, p, time.Now()); err != nil {
				errs = append(errs, fmt.Errorf("the team rules of %s: %w", p.Path, err))
			}
			// The service-level clocks of the tickets the sync changed (of
			// all, when the policy did); the window hears of them, as the
			// pages it reloaded for went out before.
			if n, err := s.refreshSLA(ctx, p.ID, time.Now()); err != nil {
				errs = append(errs, fmt.Errorf("the service levels of %s: %w", p.Path, err))
			} else if n > 0 && opt.OnPage != nil {
				opt.OnPage(model.SyncResult{Project: p.Path, ProjectID: p.ID})
			}
		}
	}
	// Mail after tickets: the linker ties mail to the tickets just synced.
	for _, a := range mailboxes {
		r, err := s.syncMailbox(ctx, a)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		results = append(results, r)
		if opt.OnPage != nil && r.MessagesNew+r.MessagesGone+r.MessagesLinked > 0 {
			opt.OnPage(r) // threads of open tickets gain or lose mail
		}
	}
	return results, errors.Join(errs...)
}

func (s *Service) syncMailbox(ctx context.Context, a model.Account) (model.SyncResult, error) {
	began := time.Now()
	cfg, err := s.savedMailbox(a)
	if err != nil {
		return model.SyncResult{}, err
	}
	sy := mailbox.Syncer{Account: a, Store: s.store, ProjectID: a.ProjectID, Config: cfg}
	res, err := sy.Sync(ctx)
	r := model.SyncResult{Mailbox: a.Name, MessagesNew: res.New, MessagesGone: res.Gone, FlagsChanged: res.Flags,
		MessagesLinked: res.Linked, MessagesUnlinked: res.Unlinked, DurationMS: time.Since(began).Milliseconds(), FinishedAt: time.Now().UTC()}
	if err != nil {
		return r, fmt.Errorf("mailbox %s: %w", a.Name, err)
	}
	return r, nil
}

// savedMailbox is how to reach a saved mailbox account, with its password
// from the keychain.
func (s *Service) savedMailbox(a model.Account) (mailbox.Config, error) {
	password, err := s.keys.Get(a.ID, secrets.IMAPPassword)
	if errors.Is(err, secrets.ErrNotFound) {
		return mailbox.Config{}, fmt.Errorf("the keychain has no password for the mailbox %s: enter it again in Accounts", a.Name)
	}
	if err != nil {
		return mailbox.Config{}, err
	}
	return mailbox.Config{Host: a.Host, Port: a.Port, Security: a.Security, User: a.Login, Password: password, TLSConfig: s.tls}, nil
}

// Messages lists the synced mail, newest first.
func (s *Service) Messages(ctx context.Context, unlinkedOnly bool) ([]model.Message, error) {
	return s.store.Messages(ctx, store.MessageFilter{Unlinked: unlinkedOnly})
}

func (s *Service) syncProject(ctx context.Context, sy *gitlab.Syncer, p model.Project, full bool) (model.SyncResult, error) {
	if full {
		if err := s.store.SetCursor(ctx, p.ID, gitlab.CursorKind, ""); err != nil {
			return model.SyncResult{}, err
		}
	}
	began := time.Now()
	r, err := sy.Sync(ctx, p)
	if err != nil {
		return r, err
	}
	last, err := s.store.Cursor(ctx, p.ID, goneCursor)
	if err != nil {
		return r, err
	}
	if t, perr := time.Parse(time.RFC3339, last); full || perr != nil || time.Since(t) >= goneCheckEvery {
		before := sy.Client.Requests()
		gone, err := sy.CheckGone(ctx, p)
		r.Requests += int(sy.Client.Requests() - before)
		if err != nil {
			return r, err
		}
		r.Gone = gone
		before = sy.Client.Requests()
		err = sy.RefreshMeta(ctx, p) // labels and members change rarely: same schedule
		r.Requests += int(sy.Client.Requests() - before)
		if err != nil {
			return r, err
		}
		if err := s.store.SetCursor(ctx, p.ID, goneCursor, time.Now().UTC().Format(time.RFC3339)); err != nil {
			return r, err
		}
	}
	r.DurationMS = time.Since(began).Milliseconds()
	return r, nil
}

func (s *Service) client(a model.Account) (*gitlab.Client, error) {
	token, err := s.keys.Get(a.ID, secrets.GitLabToken)
	if errors.Is(err, secrets.ErrNotFound) {
		return nil, fmt.Errorf("the keychain has no token for %s: add the account again", a.Name)
	}
	if err != nil {
		return nil, err
	}
	s.clientsMu.Lock()
	defer s.clientsMu.Unlock()
	if cc, ok := s.clients[a.ID]; ok && cc.token == token {
		return cc.client, nil
	}
	c, err := gitlab.NewClient(a.URL, token, s.gl)
	if err != nil {
		return nil, err
	}
	s.clients[a.ID] = cachedClient{token: token, client: c}
	return c, nil
}

// Tickets lists tickets from the local store.
func (s *Service) Tickets(ctx context.Context, f model.TicketFilter) ([]model.Ticket, error) {
	return s.store.Tickets(ctx, f)
}

// CountViews counts the tickets of each view; Mine is the agent's (Me).
func (s *Service) CountViews(ctx context.Context, projectID int64) (store.ViewCounts, error) {
	me, err := s.Me(ctx)
	if err != nil {
		return store.ViewCounts{}, err
	}
	return s.store.CountViews(ctx, projectID, me, time.Now())
}

// Me is the agent's GitLab username (of the first GitLab account that
// knows it), for the Mine view; "" before an account is added.
func (s *Service) Me(ctx context.Context) (string, error) {
	accounts, err := s.store.Accounts(ctx)
	if err != nil {
		return "", err
	}
	for _, a := range accounts {
		if a.Kind == model.AccountGitLab && a.Username != "" {
			return a.Username, nil
		}
	}
	return "", nil
}

// ResolveProject finds a project by path; with an empty path it is the only
// project of the profile.
func (s *Service) ResolveProject(ctx context.Context, path string) (model.Project, error) {
	if path != "" {
		p, err := s.store.ProjectByPath(ctx, path)
		if errors.Is(err, model.ErrNotFound) {
			return p, fmt.Errorf("this profile has no project %s: add its GitLab account first (servicedesk account add gitlab)", path)
		}
		return p, err
	}
	ps, err := s.store.Projects(ctx)
	if err != nil {
		return model.Project{}, err
	}
	switch len(ps) {
	case 0:
		return model.Project{}, errors.New("no project yet: add one with 'servicedesk account add gitlab'")
	case 1:
		return ps[0], nil
	}
	return model.Project{}, errors.New("this profile has several projects: say which with --project PATH")
}

// Ticket returns a ticket with its thread in time order (the customer's
// first message, the issue description, then every note) and its
// service-level clocks, computed from the notes it read.
func (s *Service) Ticket(ctx context.Context, projectID, iid int64) (model.TicketDetail, error) {
	return s.ticketAt(ctx, projectID, iid, time.Now())
}

// ticketAt is Ticket with its service-level clocks judged at now.
func (s *Service) ticketAt(ctx context.Context, projectID, iid int64, now time.Time) (model.TicketDetail, error) {
	t, err := s.store.Ticket(ctx, projectID, iid)
	if err != nil {
		return model.TicketDetail{}, err
	}
	notes0, err := s.store.Notes(ctx, t.ID)
	if err != nil {
		return model.TicketDetail{}, err
	}
	d := model.TicketDetail{Ticket: t, Thread: make([]model.ThreadEntry, 0, len(notes0)+1)}
	if d.SLA, d.SLACalendar, err = s.standing(ctx, t, notes0, now); err != nil {
		return model.TicketDetail{}, err
	}
	d.Thread = append(d.Thread, model.ThreadEntry{
		Kind: model.KindCustomer, Author: t.Customer, AuthorName: t.Customer, Body: t.Description, CreatedAt: t.CreatedAt,
	})
	for _, n := range notes0 {
		author, name := n.Author, n.AuthorName
		if n.Kind() == model.KindCustomer && t.Customer != "" {
			author, name = t.Customer, t.Customer // support-bot relays the customer's mail
		}
		body := n.Body
		if mailed, ok := n.MailedReply(); ok {
			body = mailed // shown as the reply the customer got
		}
		d.Thread = append(d.Thread, model.ThreadEntry{
			Kind: n.Kind(), Author: author, AuthorName: name, Body: body, CreatedAt: n.CreatedAt,
		})
	}
	// The original mail from the brand's mailbox, beside GitLab's notes.
	msgs, err := s.store.Messages(ctx, store.MessageFilter{ProjectID: projectID, IID: iid})
	if err != nil {
		return model.TicketDetail{}, err
	}
	seen := map[string]bool{}
	ops, err := s.store.Ops(ctx, store.OpFilter{ProjectID: projectID, IID: iid, WithDone: true})
	if err != nil {
		return model.TicketDetail{}, err
	}
	for _, op := range ops {
		if op.MessageID != "" && op.NoteID != 0 {
			seen[op.MessageID] = true // a reply the app mailed: its note on the ticket shows it
		}
	}
	notes := map[int64]bool{}
	for _, n := range notes0 {
		notes[n.ID] = true
	}
	for _, m := range msgs {
		if seen[m.MessageID] || notes[gitlabNoteMail(m.MessageID)] {
			continue // the same mail in two folders, or shown by its note (ours, or GitLab's mail of a note)
		}
		seen[m.MessageID] = true
		body := m.Stripped
		if body == "" {
			body = m.Text
		}
		var quoted string
		if body != m.Text {
			quoted = m.Text
		}
		d.Thread = append(d.Thread, model.ThreadEntry{Kind: model.KindMail, Author: m.From.Email, AuthorName: m.From.Name,
			Body: body, Quoted: quoted, CreatedAt: m.Date, MessageID: m.MessageID, Folder: m.Folder, Subject: m.Subject, HasHTML: m.HasHTML,
			Attachments: m.Attachments})
	}
	sort.SliceStable(d.Thread, func(i, j int) bool { return d.Thread[i].CreatedAt.Before(d.Thread[j].CreatedAt) })
	if t.State == model.StateOpened {
		if into, ok, err := s.store.MergeCandidate(ctx, projectID, t); err != nil {
			return d, err
		} else if ok {
			d.MergeInto = into
		}
	}
	return d, nil
}

// gitlabNoteMail returns the note id behind a Message-ID GitLab gives the
// mail of a note ("note_123@gitlab.example"), or 0.
func gitlabNoteMail(messageID string) int64 {
	rest, ok := strings.CutPrefix(messageID, "note_")
	if !ok {
		return 0
	}
	num, _, ok := strings.Cut(rest, "@")
	if !ok {
		return 0
	}
	id, err := strconv.ParseInt(num, 10, 64)
	if err != nil {
		return 0
	}
	return id
}

// Account returns one account.
func (s *Service) Account(ctx context.Context, id int64) (model.Account, error) {
	return s.store.Account(ctx, id)
}

// ProjectOf returns the first project of a GitLab account.
func (s *Service) ProjectOf(ctx context.Context, accountID int64) (model.Project, error) {
	ps, err := s.store.Projects(ctx)
	if err != nil {
		return model.Project{}, err
	}
	for _, p := range ps {
		if p.AccountID == accountID {
			return p, nil
		}
	}
	return model.Project{}, fmt.Errorf("account %d has no project: %w", accountID, model.ErrNotFound)
}

// ProjectInfo is a project with what the pickers need.
type ProjectInfo struct {
	model.Project
	Account string         `json:"account"`
	Labels  []model.Label  `json:"labels"`
	Members []model.Member `json:"members"`
	Tickets int            `json:"tickets"`
}

// ProjectInfos lists every project with its labels, members and ticket
// count, from the local copy.
func (s *Service) ProjectInfos(ctx context.Context) ([]ProjectInfo, error) {
	ps, err := s.store.Projects(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]ProjectInfo, 0, len(ps))
	for _, p := range ps {
		info := ProjectInfo{Project: p, Labels: []model.Label{}, Members: []model.Member{}}
		if a, err := s.store.Account(ctx, p.AccountID); err == nil {
			info.Account = a.Name
		}
		if ls, err := s.store.Labels(ctx, p.ID); err != nil {
			return nil, err
		} else if ls != nil {
			info.Labels = ls
		}
		if ms, err := s.store.Members(ctx, p.ID); err != nil {
			return nil, err
		} else if ms != nil {
			info.Members = ms
		}
		c, err := s.store.CountViews(ctx, p.ID, "", time.Now())
		if err != nil {
			return nil, err
		}
		info.Tickets = c.All
		out = append(out, info)
	}
	return out, nil
}

// AddProject adds another Service Desk project of a saved GitLab account.
func (s *Service) AddProject(ctx context.Context, accountID int64, path string) (model.Project, error) {
	a, err := s.store.Account(ctx, accountID)
	if err != nil {
		return model.Project{}, err
	}
	if a.Kind != model.AccountGitLab {
		return model.Project{}, fmt.Errorf("account %d is a %s account: projects belong to GitLab accounts", a.ID, a.Kind)
	}
	c, err := s.client(a)
	if err != nil {
		return model.Project{}, err
	}
	r, err := c.Check(ctx, path)
	if err != nil {
		return model.Project{}, err
	}
	p, err := c.Project(ctx, r.Project)
	if err != nil {
		return model.Project{}, err
	}
	p.AccountID = a.ID
	return s.store.UpsertProject(ctx, p)
}

// Search finds tickets, notes and mail in the local copy, best first.
func (s *Service) Search(ctx context.Context, query string, limit int) ([]store.Hit, error) {
	return s.store.Search(ctx, query, limit)
}
