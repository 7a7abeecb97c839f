package sandbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-smtp"
)

// Options say what world to build and where to serve it.
type Options struct {
	Listen   string        // host to listen on; "" means 127.0.0.1. Ports are always free ports (":0").
	Seed     int64         // content is deterministic for a seed; 0 means 1
	Tickets  int           // number of tickets; 0 means 240
	Now      time.Time     // anchor for generated timestamps; zero means time.Now()
	Activity time.Duration // if > 0, every Activity a new ticket or a customer follow-up arrives; 0 = static world
	// RateLimit, when > 0, is announced in GitLab.com's RateLimit-* headers
	// (requests a minute); 0 announces none, as a self-managed GitLab.
	RateLimit int
}

func (o Options) withDefaults() Options {
	if o.Listen == "" {
		o.Listen = "127.0.0.1"
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Tickets <= 0 {
		o.Tickets = defaultTicket
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	return o
}

// Info is printed as one JSON line by `servicedesk sandbox`; its JSON keys
// are a public contract.
type Info struct {
	GitLabURL    string `json:"gitlab_url"`
	GitLabToken  string `json:"gitlab_token"`
	Project      string `json:"project"`
	IMAPAddr     string `json:"imap_addr"`
	IMAPUser     string `json:"imap_user"`
	IMAPPassword string `json:"imap_password"`
	SMTPAddr     string `json:"smtp_addr"`
	SMTPUser     string `json:"smtp_user"`
	SMTPPassword string `json:"smtp_password"`
	BrandAddress string `json:"brand_address"`
	// ControlURL takes the three servers down and up for tests (an outage):
	// POST ControlURL+"/down", POST ControlURL+"/up".
	ControlURL string `json:"control_url"`
}

// Sandbox is a running demo world: fake GitLab, IMAP and SMTP on loopback.
type Sandbox struct {
	world  *World
	gitlab *GitLab
	info   Info
	store  *mailStore
	outbox *outbox

	gate    *gate
	httpSrv *http.Server
	ctlSrv  *http.Server
	imapSrv *imapserver.Server
	smtpSrv *smtp.Server
	// listeners are closed by Close too: a server's own Close does not
	// reach a listener its Serve goroutine has not picked up yet.
	listeners []net.Listener

	cancel    context.CancelFunc
	wg        sync.WaitGroup
	closeOnce sync.Once
	closeErr  error
}

// Start builds the world for opts and serves it; it returns once all three
// servers accept connections. Cancelling ctx stops live activity; Close
// stops the servers.
func Start(ctx context.Context, opts Options) (*Sandbox, error) {
	opts = opts.withDefaults()
	w := NewWorld(opts)
	s := &Sandbox{world: w, gitlab: NewGitLab(w), gate: newGate()}
	s.gitlab.SetRateLimit(opts.RateLimit)
	store, err := newMailStore(BrandAddress, w.imapPass)
	if err != nil {
		return nil, fmt.Errorf("create mailbox: %w", err)
	}
	s.store = store
	for _, m := range w.Mails("") {
		if err := store.appendMail(m); err != nil {
			return nil, fmt.Errorf("fill mailbox %s: %w", m.Folder, err)
		}
	}
	w.onMail(func(m Mail) {
		if err := store.appendMail(m); err != nil {
			slog.Warn("sandbox: append mail", "mailbox", m.Folder, "err", err)
		}
	})
	s.outbox = &outbox{user: BrandAddress, password: w.smtpPass, deliver: s.deliverLocal}

	lns := make([]net.Listener, 0, 4)
	for range 4 {
		ln, err := net.Listen("tcp", net.JoinHostPort(opts.Listen, "0"))
		if err != nil {
			for _, l := range lns {
				_ = l.Close()
			}
			return nil, fmt.Errorf("listen on %s: %w", opts.Listen, err)
		}
		lns = append(lns, ln)
	}
	s.listeners = lns
	s.httpSrv = &http.Server{Handler: s.gitlab, ReadHeaderTimeout: 10 * time.Second}
	s.ctlSrv = &http.Server{Handler: s.controlHandler(), ReadHeaderTimeout: 10 * time.Second}
	s.imapSrv = newIMAPServer(store)
	s.smtpSrv = newSMTPServer(s.outbox)
	s.info = Info{
		GitLabURL: "http://" + lns[0].Addr().String(), GitLabToken: w.token, Project: w.project.PathWithNamespace(),
		IMAPAddr: lns[1].Addr().String(), IMAPUser: BrandAddress, IMAPPassword: w.imapPass,
		SMTPAddr: lns[2].Addr().String(), SMTPUser: BrandAddress, SMTPPassword: w.smtpPass,
		BrandAddress: BrandAddress, ControlURL: "http://" + lns[3].Addr().String(),
	}
	s.goSafe("gitlab", func() { ignoreClosed(s.httpSrv.Serve(s.gate.listen(lns[0]))) })
	s.goSafe("imap", func() { ignoreClosed(s.imapSrv.Serve(s.gate.listen(lns[1]))) })
	s.goSafe("smtp", func() { ignoreClosed(s.smtpSrv.Serve(s.gate.listen(lns[2]))) })
	s.goSafe("control", func() { ignoreClosed(s.ctlSrv.Serve(lns[3])) })

	actx, cancel := context.WithCancel(ctx)
	s.cancel = cancel
	if opts.Activity > 0 {
		s.goSafe("activity", func() { s.activity(actx, opts.Activity) })
	}
	return s, nil
}

// goSafe runs f in a goroutine that recovers and logs a panic.
func (s *Sandbox) goSafe(name string, f func()) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer func() {
			if r := recover(); r != nil {
				slog.Error("sandbox: panic", "goroutine", name, "panic", r, "stack", string(debug.Stack()))
			}
		}()
		f()
	}()
}

func ignoreClosed(err error) {
	if err == nil || errors.Is(err, http.ErrServerClosed) || errors.Is(err, net.ErrClosed) || errors.Is(err, smtp.ErrServerClosed) {
		return
	}
	slog.Warn("sandbox: serve", "err", err)
}

// activity makes the world live: every interval a new ticket or a follow-up.
func (s *Sandbox) activity(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.world.liveEvent()
		}
	}
}

// deliverLocal files what the brand sends in its Sent folder and puts
// mail addressed to the brand into its INBOX, as the brand's mail provider
// would.
func (s *Sandbox) deliverLocal(m SentMessage) {
	if isBrandRecipient(m.From) {
		mail := Mail{Folder: FolderSent, Date: m.At, Kind: "sent", Raw: m.Data}
		s.world.mu.Lock()
		ls := s.world.addMailLocked(mail)
		s.world.mu.Unlock()
		notify(ls, mail)
	}
	for _, to := range m.To {
		if isBrandRecipient(to) {
			mail := Mail{Folder: FolderInbox, Date: m.At, Kind: "received", Raw: m.Data}
			s.world.mu.Lock()
			ls := s.world.addMailLocked(mail)
			s.world.mu.Unlock()
			notify(ls, mail)
			return
		}
	}
}

// Info returns the addresses and credentials of the running sandbox.
func (s *Sandbox) Info() Info { return s.info }

// GitLab returns the fake GitLab, for tests.
func (s *Sandbox) GitLab() *GitLab { return s.gitlab }

// World returns the generated world.
func (s *Sandbox) World() *World { return s.world }

// SentMail returns what the SMTP server accepted, oldest first.
func (s *Sandbox) SentMail() []SentMessage { return s.outbox.messages() }

// Close stops the servers and live activity; it is idempotent.
func (s *Sandbox) Close() error {
	s.closeOnce.Do(func() {
		s.cancel()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		var errs []error
		if err := s.httpSrv.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("stop gitlab: %w", err))
		}
		if err := s.ctlSrv.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("stop the control page: %w", err))
		}
		if err := s.imapSrv.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
			errs = append(errs, fmt.Errorf("stop imap: %w", err))
		}
		if err := s.smtpSrv.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
			errs = append(errs, fmt.Errorf("stop smtp: %w", err))
		}
		for _, ln := range s.listeners {
			_ = ln.Close() // already closed by its server, unless Serve had not started
		}
		s.wg.Wait()
		s.closeErr = errors.Join(errs...)
	})
	return s.closeErr
}
