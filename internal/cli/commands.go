package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"reflect"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"servicedesk/internal/model"
	"servicedesk/internal/sandbox"
	"servicedesk/internal/secrets"
	"servicedesk/internal/service"
	"servicedesk/internal/store"
)

// projectFilter is the id of the project a --project flag names, or 0 (all
// projects) when it is empty.
func projectFilter(ctx context.Context, svc *service.Service, path string) (int64, error) {
	if path == "" {
		return 0, nil
	}
	p, err := svc.ResolveProject(ctx, path)
	return p.ID, err
}

// printJSON prints v indented; a nil slice prints as [] (scripts read an
// array, never null).
func (c *command) printJSON(v any) error {
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Slice && rv.IsNil() {
		v = []any{}
	}
	enc := json.NewEncoder(c.env.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// table starts a text table with its header row; Flush it when done.
func (c *command) table(header string) *tabwriter.Writer {
	w := tabwriter.NewWriter(c.env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, header)
	return w
}

// demo opens the window on a fresh in-process sandbox with a throw-away
// profile and an in-memory keychain.
func (c *command) demo(args []string) error {
	fs := newFlags("demo")
	seed := fs.Int64("seed", 1, "sandbox seed")
	tickets := fs.Int("tickets", 0, "number of tickets (0: the default world)")
	activity := fs.Duration("activity", 40*time.Second, "how often a customer writes (0: never)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	ctx, cancel := c.signalContext()
	defer cancel()
	svc, closeFn, info, err := startDemo(ctx, c.dataDir, sandbox.Options{Seed: *seed, Tickets: *tickets, Activity: *activity})
	if err != nil {
		return err
	}
	defer closeFn()
	// The sandbox's addresses, for a curious user or a test driving the demo.
	if line, err := json.Marshal(info); err == nil {
		fmt.Fprintf(c.env.Stdout, "demo sandbox: %s\n", line)
	}
	return c.env.Window(WindowSpec{Service: svc, Demo: true, SyncInterval: 15 * time.Second, Log: logger(c.env.Stderr)})
}

// startDemo starts a sandbox and opens a profile connected to it: in dir
// when given (it must be empty), else in a temporary folder removed by the
// returned close function, with an in-memory keychain.
func startDemo(ctx context.Context, dir string, opts sandbox.Options) (*service.Service, func(), sandbox.Info, error) {
	sb, err := sandbox.Start(ctx, opts)
	if err != nil {
		return nil, nil, sandbox.Info{}, fmt.Errorf("start the sandbox: %w", err)
	}
	closers := []func(){func() { sb.Close() }}
	closeAll := func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}
	fail := func(err error) (*service.Service, func(), sandbox.Info, error) {
		closeAll()
		return nil, nil, sandbox.Info{}, err
	}
	if dir == "" {
		if dir, err = os.MkdirTemp("", "servicedesk-demo-"); err != nil {
			return fail(err)
		}
		closers = append(closers, func() { os.RemoveAll(dir) })
	}
	st, err := store.Open(ctx, dir)
	if err != nil {
		return fail(err)
	}
	closers = append(closers, func() { st.Close() })
	svc := service.New(st, secrets.NewMemory(), service.Options{})
	if as, err := svc.Accounts(ctx); err != nil {
		return fail(err)
	} else if len(as) > 0 {
		return fail(fmt.Errorf("the demo needs an empty data folder, and %s holds a profile: leave out --data-dir for a throw-away one", dir))
	}
	info := sb.Info()
	a, err := svc.SaveGitLab(ctx, service.GitLabForm{
		URL: info.GitLabURL, Project: info.Project, Token: info.GitLabToken, Name: "Acme (demo)",
	})
	if err != nil {
		return fail(fmt.Errorf("connect to the sandbox: %w", err))
	}
	p, err := svc.ProjectOf(ctx, a.ID)
	if err != nil {
		return fail(err)
	}
	imapHost, imapPort, err := hostPort(info.IMAPAddr)
	if err != nil {
		return fail(err)
	}
	smtpHost, smtpPort, err := hostPort(info.SMTPAddr)
	if err != nil {
		return fail(err)
	}
	if _, err := svc.SaveMailbox(ctx, service.MailboxForm{Name: "Acme support mailbox (demo)", Host: imapHost, Port: imapPort,
		Security: model.SecurityNone, Login: info.IMAPUser, Password: info.IMAPPassword, ProjectID: p.ID}); err != nil {
		return fail(fmt.Errorf("connect to the sandbox mailbox: %w", err))
	}
	if _, err := svc.SaveIdentity(ctx, service.IdentityForm{Name: "Acme Support (demo)", ProjectID: p.ID, FromAddress: info.BrandAddress,
		FromName: "Acme Support", Delivery: model.DeliverySMTP, Host: smtpHost, Port: smtpPort, Security: model.SecurityNone,
		Login: info.SMTPUser, Password: info.SMTPPassword}); err != nil {
		return fail(fmt.Errorf("connect to the sandbox SMTP server: %w", err))
	}
	return svc, closeAll, info, nil
}

// sandbox runs only the sandbox servers until SIGINT or SIGTERM.
func (c *command) sandbox(args []string) error {
	fs := newFlags("sandbox")
	listen := fs.String("listen", "127.0.0.1", "host to listen on")
	seed := fs.Int64("seed", 1, "seed of the generated world")
	tickets := fs.Int("tickets", 0, "number of tickets (0: the default world)")
	activity := fs.Duration("activity", 0, "how often a customer writes (0: never)")
	if pos, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return misuse("sandbox takes no arguments")
	}
	if *tickets < 0 {
		return misuse("--tickets must be positive")
	}
	ctx, cancel := c.signalContext()
	defer cancel()
	sb, err := sandbox.Start(ctx, sandbox.Options{Listen: *listen, Seed: *seed, Tickets: *tickets, Activity: *activity})
	if err != nil {
		return fmt.Errorf("start the sandbox: %w", err)
	}
	defer sb.Close()
	line, err := json.Marshal(sb.Info())
	if err != nil {
		return err
	}
	fmt.Fprintln(c.env.Stdout, string(line))
	if f, ok := c.env.Stdout.(interface{ Sync() error }); ok {
		_ = f.Sync()
	}
	<-ctx.Done()
	return nil
}

func (c *command) sync(args []string) error {
	fs := newFlags("sync")
	asJSON := fs.Bool("json", false, "print JSON")
	full := fs.Bool("full", false, "re-check every ticket and look for deleted ones")
	concurrency := fs.Int("concurrency", 4, "notes requests in flight (1 to 16)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	ctx, cancel := c.signalContext()
	defer cancel()
	svc, err := c.service(ctx)
	if err != nil {
		return err
	}
	if *concurrency < 1 || *concurrency > 16 {
		return misuse("--concurrency must be between 1 and 16")
	}
	res, err := svc.Sync(ctx, service.SyncOptions{Full: *full, Concurrency: *concurrency})
	if errors.Is(err, model.ErrNoAccount) {
		return fmt.Errorf("no GitLab account yet: add one with 'servicedesk account add gitlab'")
	}
	if err != nil {
		return err
	}
	if *asJSON {
		return c.printJSON(res)
	}
	for _, r := range res {
		fmt.Fprintf(c.env.Stdout, "%s: %d new, %d updated, %d gone; %d notes read; %d requests in %.1fs\n",
			r.Project, r.Added, r.Updated, r.Gone, r.NotesRead, r.Requests, float64(r.DurationMS)/1000)
	}
	return nil
}

func (c *command) tickets(args []string) error {
	fs := newFlags("tickets")
	state := fs.String("state", "open", "open, closed or all")
	project := fs.String("project", "", "project path (default: all projects)")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	f := model.TicketFilter{}
	switch *state {
	case "open", "opened":
		f.State = model.StateOpened
	case "closed":
		f.State = model.StateClosed
	case "all":
	default:
		return misuse("--state must be open, closed or all")
	}
	ctx := context.Background()
	svc, err := c.service(ctx)
	if err != nil {
		return err
	}
	if f.ProjectID, err = projectFilter(ctx, svc, *project); err != nil {
		return err
	}
	ts, err := svc.Tickets(ctx, f)
	if err != nil {
		return err
	}
	if *asJSON {
		return c.printJSON(ts)
	}
	w := c.table("IID\tSTATE\tCUSTOMER\tTITLE\tLABELS")
	for _, t := range ts {
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\n", t.IID, t.State, t.Customer, t.Title, strings.Join(t.Labels, ","))
	}
	return w.Flush()
}

func (c *command) show(args []string) error {
	fs := newFlags("show")
	project := fs.String("project", "", "project path (needed when the profile has several)")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	iid, err := ticketArg("show", pos)
	if err != nil {
		return err
	}
	ctx := context.Background()
	svc, p, err := c.serviceFor(ctx, *project)
	if err != nil {
		return err
	}
	d, err := svc.Ticket(ctx, p.ID, iid)
	if err != nil {
		return fmt.Errorf("%s#%d is not in the local copy (run 'servicedesk sync'): %w", p.Path, iid, err)
	}
	if *asJSON {
		return c.printJSON(d)
	}
	out := c.env.Stdout
	fmt.Fprintf(out, "#%d %s\n%s · %s · %s\n", d.IID, d.Title, d.Project, d.State, d.Customer)
	if len(d.Labels) > 0 {
		fmt.Fprintf(out, "Labels: %s\n", strings.Join(d.Labels, ", "))
	}
	if len(d.Assignees) > 0 {
		fmt.Fprintf(out, "Assignees: %s\n", strings.Join(d.Assignees, ", "))
	}
	for _, e := range d.Thread {
		fmt.Fprintf(out, "\n— %s · %s · %s\n%s\n", e.Kind, e.Author, e.CreatedAt.Local().Format("2006-01-02 15:04"), e.Body)
	}
	return nil
}

// hostPort splits host:port.
func hostPort(addr string) (string, int, error) {
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, err
	}
	port, err := strconv.Atoi(p)
	return host, port, err
}
