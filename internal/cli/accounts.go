package cli

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"servicedesk/internal/model"
	"servicedesk/internal/service"
)

func (c *command) account(args []string) error {
	if len(args) == 0 {
		return misuse("account needs a subcommand: add, edit, list, test, remove")
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "add", "edit":
		return c.accountSave(sub, rest)
	case "list":
		return c.accountList(rest)
	case "test":
		return c.accountTest(rest)
	case "remove":
		return c.accountRemove(rest)
	}
	return misuse("unknown account subcommand %q", sub)
}

// accountFlags are every kind's settings; which apply depends on the kind.
type accountFlags struct {
	fs                                       *flag.FlagSet
	name, url, project, host, security, user *string
	from, fromName, delivery, folders        *string
	port                                     *int
	tokenStdin, passwordStdin, asJSON        *bool
}

func newAccountFlags(name string) *accountFlags {
	fs := newFlags(name)
	return &accountFlags{fs: fs,
		name: fs.String("name", "", "account name"), url: fs.String("url", "", "GitLab URL"),
		project: fs.String("project", "", "project path with namespace"), host: fs.String("host", "", "server host"),
		port: fs.Int("port", 0, "server port"), security: fs.String("security", "", "tls, starttls or none"),
		user: fs.String("user", "", "user name on the server"), from: fs.String("from", "", "brand address"),
		fromName: fs.String("from-name", "", "display name"), delivery: fs.String("delivery", "", "smtp or gitlab"),
		folders:       fs.String("folders", "", "folders to sync, comma-separated"),
		tokenStdin:    fs.Bool("token-stdin", false, "read the token from standard input"),
		passwordStdin: fs.Bool("password-stdin", false, "read the password from standard input"),
		asJSON:        fs.Bool("json", false, "print JSON")}
}

// accountSave is `account add KIND ...` and `account edit ID ...`. Flags not
// given when editing keep their stored values.
func (c *command) accountSave(sub string, args []string) error {
	if len(args) == 0 {
		if sub == "add" {
			return misuse("account add needs a kind: gitlab, imap or smtp")
		}
		return misuse("account edit needs an account id")
	}
	f := newAccountFlags("account " + sub)
	pos, err := parse(f.fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return misuse("unexpected argument %q", pos[0])
	}
	ctx, cancel := c.signalContext()
	defer cancel()
	svc, err := c.service(ctx)
	if err != nil {
		return err
	}
	var base model.Account
	if sub == "add" {
		base.Kind = args[0]
	} else {
		id, err := strconv.ParseInt(args[0], 10, 64)
		if err != nil {
			return misuse("%q is not an account id", args[0])
		}
		if base, err = svc.Account(ctx, id); err != nil {
			return err
		}
	}
	secret := ""
	if *f.tokenStdin || *f.passwordStdin {
		if secret, err = readSecret(c.env.Stdin); err != nil {
			return err
		}
	}
	a, err := c.saveKind(ctx, svc, sub, base, f, secret)
	if err != nil {
		return err
	}
	if *f.asJSON {
		return c.printJSON(a)
	}
	verb := "Added"
	if sub == "edit" {
		verb = "Saved"
	}
	fmt.Fprintf(c.env.Stdout, "%s %s account %d (%s)\n", verb, a.Kind, a.ID, a.Name)
	return nil
}

func (c *command) saveKind(ctx context.Context, svc *service.Service, sub string, a model.Account, f *accountFlags, secret string) (model.Account, error) {
	set := map[string]bool{}
	f.fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	str := func(name string, flagVal *string, stored string) string {
		if set[name] {
			return *flagVal
		}
		return stored
	}
	port := a.Port
	if set["port"] {
		port = *f.port
	}
	adding := sub == "add"
	switch a.Kind {
	case model.AccountGitLab:
		if adding && (*f.url == "" || *f.project == "") {
			return a, misuse("account add gitlab needs --url and --project")
		}
		if adding && !*f.tokenStdin {
			return a, misuse("pass the token on standard input with --token-stdin (never as an argument)")
		}
		project := *f.project
		if project == "" {
			if p, err := svc.ProjectOf(ctx, a.ID); err == nil {
				project = p.Path
			}
		}
		return svc.SaveGitLab(ctx, service.GitLabForm{ID: a.ID, Name: str("name", f.name, a.Name), URL: str("url", f.url, a.URL),
			Project: project, Token: secret})
	case model.AccountIMAP:
		if adding && (*f.host == "" || *f.port == 0 || *f.security == "" || *f.user == "" || !*f.passwordStdin) {
			return a, misuse("account add imap needs --host, --port, --security, --user and --password-stdin")
		}
		projectID, err := c.projectID(ctx, svc, set["project"], *f.project, a.ProjectID)
		if err != nil {
			return a, err
		}
		folders := a.Folders
		if set["folders"] {
			folders = strings.Split(*f.folders, ",")
		}
		return svc.SaveMailbox(ctx, service.MailboxForm{ID: a.ID, Name: str("name", f.name, a.Name), Host: str("host", f.host, a.Host),
			Port: port, Security: str("security", f.security, a.Security), Login: str("user", f.user, a.Login), Password: secret,
			ProjectID: projectID, Folders: folders})
	case model.AccountSMTP:
		if adding && (*f.project == "" || *f.from == "" || *f.host == "" || *f.port == 0 || *f.security == "" || *f.user == "" || !*f.passwordStdin) {
			return a, misuse("account add smtp needs --project, --from, --host, --port, --security, --user and --password-stdin")
		}
		projectID, err := c.projectID(ctx, svc, set["project"], *f.project, a.ProjectID)
		if err != nil {
			return a, err
		}
		delivery := str("delivery", f.delivery, a.Delivery)
		if delivery == "" {
			delivery = model.DeliverySMTP
		}
		return svc.SaveIdentity(ctx, service.IdentityForm{ID: a.ID, Name: str("name", f.name, a.Name), ProjectID: projectID,
			FromAddress: str("from", f.from, a.FromAddress), FromName: str("from-name", f.fromName, a.FromName), Delivery: delivery,
			Host: str("host", f.host, a.Host), Port: port, Security: str("security", f.security, a.Security),
			Login: str("user", f.user, a.Login), Password: secret})
	}
	return a, misuse("unknown account kind %q: use gitlab, imap or smtp", a.Kind)
}

// projectID resolves --project to a local project id, keeping stored when
// the flag was not given.
func (c *command) projectID(ctx context.Context, svc *service.Service, given bool, path string, stored int64) (int64, error) {
	if !given {
		return stored, nil
	}
	if path == "" {
		return 0, nil
	}
	p, err := svc.ResolveProject(ctx, path)
	if err != nil {
		return 0, err
	}
	return p.ID, nil
}

// readSecret reads one line from r, without its line ending.
func readSecret(r io.Reader) (string, error) {
	if r == nil {
		return "", fmt.Errorf("standard input is closed: pipe the secret in")
	}
	line, err := bufio.NewReader(io.LimitReader(r, 64<<10)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("read the secret from standard input: %w", err)
	}
	s := strings.TrimRight(line, "\r\n")
	if strings.TrimSpace(s) == "" {
		return "", fmt.Errorf("standard input held no secret")
	}
	return s, nil
}

func (c *command) accountList(args []string) error {
	fs := newFlags("account list")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	ctx := context.Background()
	svc, err := c.service(ctx)
	if err != nil {
		return err
	}
	as, err := svc.Accounts(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		return c.printJSON(as)
	}
	w := c.table("ID\tKIND\tNAME\tSERVER\tUSER")
	for _, a := range as {
		server, user := a.URL, a.Username
		if a.Kind != model.AccountGitLab {
			server, user = fmt.Sprintf("%s:%d (%s)", a.Host, a.Port, a.Security), a.Login
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\n", a.ID, a.Kind, a.Name, server, user)
	}
	return w.Flush()
}

func (c *command) accountID(name string, args []string) (int64, bool, error) {
	fs := newFlags(name)
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return 0, false, err
	}
	if len(pos) != 1 {
		return 0, false, misuse("%s needs one account id", name)
	}
	id, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil || id <= 0 {
		return 0, false, misuse("%q is not an account id", pos[0])
	}
	return id, *asJSON, nil
}

// accountTest connects with a saved account; a failed test exits 1 with
// its sentence.
func (c *command) accountTest(args []string) error {
	id, asJSON, err := c.accountID("account test", args)
	if err != nil {
		return err
	}
	ctx, cancel := c.signalContext()
	defer cancel()
	svc, err := c.service(ctx)
	if err != nil {
		return err
	}
	res, err := svc.TestAccount(ctx, id)
	if err != nil {
		return err
	}
	if asJSON {
		if err := c.printJSON(map[string]any{"ok": res.OK, "summary": res.Summary, "details": nonNilStrings(res.Details), "problem": res.Problem}); err != nil {
			return err
		}
	} else if res.OK {
		fmt.Fprintln(c.env.Stdout, res.Summary)
		for _, d := range res.Details {
			fmt.Fprintln(c.env.Stdout, "  "+d)
		}
	}
	if !res.OK {
		return fmt.Errorf("%s", res.Summary)
	}
	return nil
}

func (c *command) accountRemove(args []string) error {
	id, _, err := c.accountID("account remove", args)
	if err != nil {
		return err
	}
	ctx := context.Background()
	svc, err := c.service(ctx)
	if err != nil {
		return err
	}
	if err := svc.RemoveAccount(ctx, id); err != nil {
		return err
	}
	fmt.Fprintf(c.env.Stdout, "Removed account %d with its keychain item and cached data\n", id)
	return nil
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
