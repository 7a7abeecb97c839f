// Package cli is the headless front door: it parses the command line, calls
// internal/service and prints text or JSON. Exit codes: 0 success, 1 failure
// (one line on stderr), 2 misuse. It opens the window only through the
// Window function main hands it.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"servicedesk/internal/model"
	"servicedesk/internal/sandbox"
	"servicedesk/internal/secrets"
	"servicedesk/internal/service"
	"servicedesk/internal/store"
	"servicedesk/internal/version"
)

// IO is where a command reads and writes.
type IO struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// WindowSpec is what the window needs: an open profile and whether it is the
// demo.
type WindowSpec struct {
	Service      *service.Service
	Demo         bool
	SyncInterval time.Duration
	Log          *slog.Logger
	// StartDemo opens a throw-away demo profile for "Try the demo".
	StartDemo func(ctx context.Context) (*service.Service, func(), error)
}

// Window opens the desktop window and returns when it is closed.
type Window func(WindowSpec) error

// Env is what main hands the command line.
type Env struct {
	IO
	Window   Window
	Keychain secrets.Keychain // nil means the OS keychain
	// Context, when set, bounds long-running commands (sandbox, demo) in
	// addition to SIGINT and SIGTERM; tests use it.
	Context context.Context
}

// usageError is a misuse of the command line: exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// reported is a failure the command has already explained on stderr, a
// line for each thing that went wrong: exit code 1 and nothing more.
type reported struct{}

func (reported) Error() string { return "failed (see the lines above)" }

func misuse(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

const usage = `Usage: servicedesk [--data-dir DIR] [COMMAND ...]

Without a command, opens the window on the profile in DIR.

Commands:
  demo                                  open the window on a fresh sandbox (throw-away profile)
  sandbox [--listen HOST] [--seed N] [--tickets N]
                                        run the sandbox servers; prints one JSON line
  account add gitlab --url URL --project PATH --token-stdin [--name NAME]
  account add imap --host HOST --port N --security tls|starttls|none --user USER
        --password-stdin [--project PATH] [--folders INBOX,Sent] [--name NAME]
  account add smtp --project PATH --from ADDRESS --from-name NAME --host HOST --port N
        --security tls|starttls|none --user USER --password-stdin [--delivery smtp|gitlab]
  account edit ID [any flag of its kind] [--token-stdin|--password-stdin]
  account list [--json]
  account test ID [--json]               connect with the saved settings and secret
  account remove ID                      delete it, its keychain item and its cached data
  project list [--json]                 projects with labels, members and ticket counts
  project add PATH --account ID         another Service Desk project of a GitLab account
  sync [--full] [--concurrency N] [--json]
                                        bring the local copy up to date; --full re-checks
                                        every ticket and looks for deleted ones
  mail [--unlinked] [--json]            the synced mail, with the ticket each belongs to
  search QUERY [--limit N] [--json]     tickets, notes and mail: kind, iid, message_id, snippet
  tickets [--state open|closed|all] [--project PATH] [--json]
  show IID [--project PATH] [--json]    a ticket and its thread
  reply IID --body-file F [--internal] [--attach F]... [--send-at RFC3339|--now]
        [--project PATH] [--json]       queue a reply (or internal note; - reads stdin) and
                                        print the op id; it leaves after the undo window
                                        (10 s; --now: none) with 'outbox flush' or the app
  draft IID [--body-file F [--internal]] [--project PATH] [--json]
                                        save the ticket's draft (empty deletes it), or print it
  macro list [--project PATH] [--json]  the team's macros (from the repository's
                                        .gitlab/service_desk_desktop/macros/) and what each does
  macro apply IID NAME [--now] [--project PATH] [--json]
                                        queue the macro's actions on the ticket; they leave
                                        together after the undo window; print the op ids
  rules [--json]                        the team's rules (rules.yml): when, do
  sla [--project PATH] [--json]         each project's service levels (sla.yml): targets, hours,
                                        and how many open tickets are due soon and breached
  sla check FILE                        read a policy file as the app will; exit 1 naming the
                                        line of each mistake
  report --from DATE --to DATE [--project PATH] [--json|--csv]
                                        tickets opened and closed, first response and resolution
                                        times, replies per agent, busiest hours (local time)
  outbox [--all] [--json]               ops not done: id, iid, kind, state, attempts, when, reason
  outbox flush [--wait DURATION] [--json]
                                        send what is due; --wait keeps sending until nothing
                                        waits or DURATION passed; exit 1 if an op stopped
  outbox undo OPID                      take back an op that has not left
  outbox decide OPID retry|send-anyway|edit|discard|send-again|delivered
  version
`

// Main runs the command line and returns the process exit code.
func Main(args []string, env Env) int {
	err := run(args, env)
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(env.Stdout, usage)
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(env.Stderr, "servicedesk: %s\n%s", ue.msg, usage)
		return 2
	case errors.As(err, new(reported)):
		return 1
	default:
		fmt.Fprintf(env.Stderr, "servicedesk: %s\n", oneLine(err.Error()))
		return 1
	}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func run(args []string, env Env) error {
	global := flag.NewFlagSet("servicedesk", flag.ContinueOnError)
	global.SetOutput(io.Discard)
	dataDir := global.String("data-dir", "", "profile folder")
	showVersion := global.Bool("version", false, "print the version")
	if err := global.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return misuse("%v", err)
	}
	if *showVersion {
		fmt.Fprintln(env.Stdout, "servicedesk", version.Version)
		return nil
	}
	rest := global.Args()
	if len(rest) == 0 {
		return openProfile(env, *dataDir)
	}
	cmd, rest := rest[0], rest[1:]
	c := &command{env: env, dataDir: *dataDir}
	defer func() {
		for _, closeFn := range c.closers {
			closeFn()
		}
	}()
	switch cmd {
	case "demo":
		return c.demo(rest)
	case "sandbox":
		return c.sandbox(rest)
	case "account":
		return c.account(rest)
	case "sync":
		return c.sync(rest)
	case "project":
		return c.project(rest)
	case "mail":
		return c.mail(rest)
	case "search":
		return c.search(rest)
	case "tickets":
		return c.tickets(rest)
	case "show":
		return c.show(rest)
	case "reply":
		return c.reply(rest)
	case "draft":
		return c.draft(rest)
	case "macro":
		return c.macro(rest)
	case "report":
		return c.reportCmd(rest)
	case "rules":
		return c.rules(rest)
	case "sla":
		return c.slaCmd(rest)
	case "outbox":
		return c.outbox(rest)
	case "version":
		fmt.Fprintln(env.Stdout, "servicedesk", version.Version)
		return nil
	case "help":
		return flag.ErrHelp
	}
	return misuse("unknown command %q", cmd)
}

// command carries what every subcommand needs.
type command struct {
	env     Env
	dataDir string
	closers []func() // run when the command returns
}

// service opens the profile for the command; run closes it when the
// command returns. The service logs only warnings and errors (to stderr):
// a command says what went wrong in its own words.
func (c *command) service(ctx context.Context) (*service.Service, error) {
	log := slog.New(slog.NewTextHandler(c.env.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	svc, closeFn, err := c.open(ctx, log)
	if err != nil {
		return nil, err
	}
	c.closers = append(c.closers, closeFn)
	return svc, nil
}

// serviceFor opens the profile for a command on one project's tickets: the
// one --project names, or the profile's only one.
func (c *command) serviceFor(ctx context.Context, project string) (*service.Service, model.Project, error) {
	svc, err := c.service(ctx)
	if err != nil {
		return nil, model.Project{}, err
	}
	p, err := svc.ResolveProject(ctx, project)
	return svc, p, err
}

// open opens the profile's store and service, which logs to log; close it
// with the returned function.
func (c *command) open(ctx context.Context, log *slog.Logger) (*service.Service, func(), error) {
	dir := c.dataDir
	if dir == "" {
		d, err := store.DefaultDataDir()
		if err != nil {
			return nil, nil, fmt.Errorf("find the app-data folder: %w (use --data-dir)", err)
		}
		dir = d
	}
	st, err := store.Open(ctx, dir)
	if err != nil {
		return nil, nil, err
	}
	keys := c.env.Keychain
	if keys == nil {
		profile, err := st.ProfileKey(ctx)
		if err != nil {
			st.Close()
			return nil, nil, err
		}
		keys = secrets.OS{Profile: profile}
	}
	return service.New(st, keys, service.Options{Log: log}), func() { st.Close() }, nil
}

func openProfile(env Env, dataDir string) error {
	c := &command{env: env, dataDir: dataDir}
	log := logger(env.Stderr)
	svc, closeFn, err := c.open(context.Background(), log)
	if err != nil {
		return err
	}
	defer closeFn()
	return env.Window(WindowSpec{Service: svc, SyncInterval: 2 * time.Minute, Log: log,
		StartDemo: func(ctx context.Context) (*service.Service, func(), error) {
			svc, closeFn, _, err := startDemo(ctx, "", sandbox.Options{Activity: 40 * time.Second})
			return svc, closeFn, err
		}})
}

func logger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

// signalContext is cancelled on SIGINT or SIGTERM, or when the Env's
// context ends.
func (c *command) signalContext() (context.Context, context.CancelFunc) {
	parent := c.env.Context
	if parent == nil {
		parent = context.Background()
	}
	return signal.NotifyContext(parent, os.Interrupt, syscall.SIGTERM)
}

// newFlags returns a subcommand's flag set that reports misuse instead of
// printing.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parse parses a subcommand's flags, allowing flags after positional
// arguments (show 12 --json), and returns the positional arguments.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, misuse("%s: %v", fs.Name(), err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}
