package service

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"

	"servicedesk/internal/compose"
	"servicedesk/internal/gitlab"
	"servicedesk/internal/mailbox"
	"servicedesk/internal/model"
	"servicedesk/internal/neterr"
	"servicedesk/internal/secrets"
	"servicedesk/internal/sender"
)

// GitLabForm is a GitLab account as the agent enters it. ID 0 adds one; an
// empty Token when editing keeps the stored one.
type GitLabForm struct {
	ID      int64
	Name    string
	URL     string
	Project string // path with namespace
	Token   string
}

// MailboxForm is the brand's IMAP mailbox. An empty Password when editing
// keeps the stored one.
type MailboxForm struct {
	ID        int64
	Name      string
	Host      string
	Port      int
	Security  string
	Login     string
	Password  string
	ProjectID int64    // optional: the project whose tickets its mail belongs to
	Folders   []string // empty: INBOX and the \Sent folder
}

// IdentityForm is a project's sending identity: the brand address and how
// replies leave. An empty Password when editing keeps the stored one.
type IdentityForm struct {
	ID          int64
	Name        string
	ProjectID   int64
	FromAddress string
	FromName    string
	Delivery    string // model.DeliveryGitLab or model.DeliverySMTP
	Signature   string // Markdown put under every mailed reply
	Host        string
	Port        int
	Security    string
	Login       string
	Password    string
}

// Check is the result of a connection test, in sentences.
type Check struct {
	OK      bool
	Summary string   // one sentence: what works, or what failed and what to do
	Details []string // more facts, e.g. folders, capabilities, scopes
	Problem string   // the kind of failure (neterr kinds, "scope", "service-desk-off", "input"); "" when OK
}

func failed(err error, secret string) Check {
	c := Check{Summary: neterr.Redact(err.Error(), secret), Problem: "other"}
	var p *neterr.Problem
	switch {
	case errors.As(err, &p):
		c.Problem = p.Kind.String()
	case errors.Is(err, gitlab.ErrUnauthorized):
		c.Problem = "auth"
	case errors.Is(err, gitlab.ErrScope):
		c.Problem = "scope"
	case errors.Is(err, gitlab.ErrServiceDeskOff):
		c.Problem = "service-desk-off"
	case errors.Is(err, gitlab.ErrUnreachable):
		c.Problem = "refused"
	case errors.Is(err, errInput):
		c.Problem = "input"
	}
	return c
}

// errInput marks a form the agent must correct before anything connects.
var errInput = errors.New("invalid input")

// inputErr is a sentence about the form, matching errInput.
type inputErr struct{ sentence string }

func (e inputErr) Error() string        { return e.sentence }
func (e inputErr) Is(target error) bool { return target == errInput }

func inputError(format string, args ...any) error {
	return inputErr{fmt.Sprintf(format, args...)}
}

// secretFor is the secret a form gives, or the stored one when the form
// leaves it empty while editing.
func (s *Service) secretFor(id int64, kind, given string) (string, error) {
	if given != "" || id == 0 {
		return given, nil
	}
	return s.keys.Get(id, secrets.KindOf(kind))
}

// TestGitLab connects with the form's values without saving anything.
func (s *Service) TestGitLab(ctx context.Context, f GitLabForm) Check {
	token, err := s.secretFor(f.ID, model.AccountGitLab, strings.TrimSpace(f.Token))
	if err != nil {
		return failed(err, "")
	}
	r, err := s.checkGitLab(ctx, f, token)
	if err != nil {
		return failed(err, token)
	}
	c := Check{OK: true, Summary: r.Summary()}
	if r.Scopes != nil {
		c.Details = append(c.Details, "Token scopes: "+strings.Join(r.Scopes, ", "))
	}
	return c
}

func (s *Service) checkGitLab(ctx context.Context, f GitLabForm, token string) (gitlab.Report, error) {
	if token == "" {
		return gitlab.Report{}, inputError("enter a personal access token with the api scope")
	}
	if strings.TrimSpace(f.Project) == "" {
		return gitlab.Report{}, inputError("name the project with its path, such as acme/support")
	}
	c, err := gitlab.NewClient(f.URL, token, s.gl)
	if err != nil {
		return gitlab.Report{}, inputError("%s", err.Error())
	}
	return c.Check(ctx, f.Project)
}

// SaveGitLab checks the account against GitLab, then stores it, its project
// and its token (in the keychain). Nothing is stored when a step fails.
func (s *Service) SaveGitLab(ctx context.Context, f GitLabForm) (model.Account, error) {
	token, err := s.secretFor(f.ID, model.AccountGitLab, strings.TrimSpace(f.Token))
	if err != nil {
		return model.Account{}, err
	}
	r, err := s.checkGitLab(ctx, f, token)
	if err != nil {
		return model.Account{}, errors.New(neterr.Redact(err.Error(), token))
	}
	c, _ := gitlab.NewClient(f.URL, token, s.gl) // the check above proved it builds
	p, err := c.Project(ctx, r.Project)
	if err != nil {
		return model.Account{}, err
	}
	a := model.Account{ID: f.ID, Kind: model.AccountGitLab, Name: strings.TrimSpace(f.Name), URL: c.BaseURL(), Username: r.Username}
	if a.Name == "" {
		a.Name = r.Username + " on " + c.BaseURL()
	}
	a, err = s.saveAccount(ctx, a, token, f.Token != "")
	if err != nil {
		return a, err
	}
	p.AccountID = a.ID
	if _, err := s.store.UpsertProject(ctx, p); err != nil {
		if f.ID == 0 {
			_ = s.removeAccount(ctx, a)
		}
		return model.Account{}, err
	}
	return a, nil
}

// saveAccount stores a new or edited account and, when given, its secret.
// A new account whose secret the keychain refuses is removed again: the
// secret is never kept anywhere else.
func (s *Service) saveAccount(ctx context.Context, a model.Account, secret string, newSecret bool) (model.Account, error) {
	if a.ID == 0 {
		created, err := s.store.CreateAccount(ctx, a)
		if err != nil {
			return a, err
		}
		if err := s.keys.Set(created.ID, secrets.KindOf(a.Kind), secret); err != nil {
			_ = s.store.DeleteAccount(ctx, created.ID)
			return model.Account{}, err
		}
		return created, nil
	}
	old, err := s.store.Account(ctx, a.ID)
	if err != nil {
		return a, err
	}
	if old.Kind != a.Kind {
		return a, inputError("account %d is a %s account, not %s", a.ID, old.Kind, a.Kind)
	}
	a.CreatedAt = old.CreatedAt
	if newSecret {
		if err := s.keys.Set(a.ID, secrets.KindOf(a.Kind), secret); err != nil {
			return a, err
		}
	}
	if err := s.store.UpdateAccount(ctx, a); err != nil {
		return a, err
	}
	return a, nil
}

func (s *Service) mailboxConfig(f MailboxForm, password string) (mailbox.Config, error) {
	if err := checkServer(f.Host, f.Port, f.Security); err != nil {
		return mailbox.Config{}, err
	}
	if strings.TrimSpace(f.Login) == "" {
		return mailbox.Config{}, inputError("enter the user name of the mailbox")
	}
	if password == "" {
		return mailbox.Config{}, inputError("enter the mailbox password")
	}
	return mailbox.Config{Host: strings.TrimSpace(f.Host), Port: f.Port, Security: f.Security, User: strings.TrimSpace(f.Login),
		Password: password, TLSConfig: s.tls}, nil
}

// checkServer validates a mail server's address before anything connects.
func checkServer(host string, port int, security string) error {
	host = strings.TrimSpace(host)
	switch {
	case host == "" || strings.ContainsAny(host, " /:@"):
		return inputError("enter the server's host name, such as mail.acme.com")
	case port < 1 || port > 65535:
		return inputError("the port must be between 1 and 65535")
	}
	switch security {
	case model.SecurityTLS, model.SecuritySTARTTLS:
	case model.SecurityNone:
		if !neterr.IsLoopback(host) {
			return inputError("plain-text connections are allowed only to this computer: choose TLS or STARTTLS for %s", host)
		}
	default:
		return inputError("choose the connection security: tls, starttls or none")
	}
	return nil
}

// TestMailbox connects to the IMAP server with the form's values and lists
// its folders, without saving anything.
func (s *Service) TestMailbox(ctx context.Context, f MailboxForm) Check {
	password, err := s.secretFor(f.ID, model.AccountIMAP, f.Password)
	if err != nil {
		return failed(err, "")
	}
	cfg, err := s.mailboxConfig(f, password)
	if err != nil {
		return failed(err, password)
	}
	r, err := mailbox.Check(ctx, cfg)
	if err != nil {
		return failed(err, password)
	}
	c := Check{OK: true, Summary: neterr.Redact(r.Summary(), password)}
	c.Details = append(c.Details, "Capabilities: "+strings.Join(r.Capabilities, " "))
	return c
}

// SaveMailbox tests the mailbox, then stores it and its password.
func (s *Service) SaveMailbox(ctx context.Context, f MailboxForm) (model.Account, error) {
	if c := s.TestMailbox(ctx, f); !c.OK {
		return model.Account{}, errors.New(c.Summary)
	}
	if err := s.checkProject(ctx, f.ProjectID, false); err != nil {
		return model.Account{}, err
	}
	a := model.Account{ID: f.ID, Kind: model.AccountIMAP, Name: strings.TrimSpace(f.Name), Host: strings.TrimSpace(f.Host),
		Port: f.Port, Security: f.Security, Login: strings.TrimSpace(f.Login), ProjectID: f.ProjectID, Folders: cleanList(f.Folders)}
	if a.Name == "" {
		a.Name = a.Login
	}
	password, err := s.secretFor(f.ID, model.AccountIMAP, f.Password)
	if err != nil {
		return a, err
	}
	return s.saveAccount(ctx, a, password, f.Password != "")
}

func (s *Service) checkProject(ctx context.Context, id int64, required bool) error {
	if id == 0 {
		if required {
			return inputError("choose the project this identity answers for")
		}
		return nil
	}
	ps, err := s.store.Projects(ctx)
	if err != nil {
		return err
	}
	for _, p := range ps {
		if p.ID == id {
			return nil
		}
	}
	return inputError("project %d is not one of this profile's projects", id)
}

func (s *Service) senderConfig(f IdentityForm, password string) (sender.Config, error) {
	if err := checkServer(f.Host, f.Port, f.Security); err != nil {
		return sender.Config{}, err
	}
	if strings.TrimSpace(f.Login) == "" {
		return sender.Config{}, inputError("enter the SMTP user name")
	}
	if password == "" {
		return sender.Config{}, inputError("enter the SMTP password")
	}
	return sender.Config{Host: strings.TrimSpace(f.Host), Port: f.Port, Security: f.Security, User: strings.TrimSpace(f.Login),
		Password: password, TLSConfig: s.tls}, nil
}

func checkIdentity(f IdentityForm) error {
	addr, err := mail.ParseAddress(strings.TrimSpace(f.FromAddress))
	if err != nil || addr.Name != "" {
		return inputError("enter the brand address alone, such as support@acme.com")
	}
	if strings.ContainsAny(f.FromName, "\r\n") {
		return inputError("the display name must be one line")
	}
	switch f.Delivery {
	case model.DeliveryGitLab, model.DeliverySMTP:
		return nil
	}
	return inputError("choose how replies leave: gitlab (GitLab sends them) or smtp (this app sends them)")
}

// TestIdentity connects to the SMTP server, starts TLS and signs in, without
// sending mail.
func (s *Service) TestIdentity(ctx context.Context, f IdentityForm) Check {
	if err := checkIdentity(f); err != nil {
		return failed(err, "")
	}
	password, err := s.secretFor(f.ID, model.AccountSMTP, f.Password)
	if err != nil {
		return failed(err, "")
	}
	cfg, err := s.senderConfig(f, password)
	if err != nil {
		return failed(err, password)
	}
	r, err := sender.Check(ctx, cfg)
	if err != nil {
		return failed(err, password)
	}
	return Check{OK: true, Summary: neterr.Redact(r.Summary(), password)}
}

// SaveIdentity tests the identity, then stores it and its password.
func (s *Service) SaveIdentity(ctx context.Context, f IdentityForm) (model.Account, error) {
	if err := s.checkProject(ctx, f.ProjectID, true); err != nil {
		return model.Account{}, err
	}
	if c := s.TestIdentity(ctx, f); !c.OK {
		return model.Account{}, errors.New(c.Summary)
	}
	a := model.Account{ID: f.ID, Kind: model.AccountSMTP, Name: strings.TrimSpace(f.Name), ProjectID: f.ProjectID,
		FromAddress: strings.TrimSpace(f.FromAddress), FromName: strings.TrimSpace(f.FromName), Delivery: f.Delivery,
		Host: strings.TrimSpace(f.Host), Port: f.Port, Security: f.Security, Login: strings.TrimSpace(f.Login),
		Signature: strings.TrimSpace(f.Signature)}
	if err := compose.Check(a.Signature); err != nil {
		return a, inputError("the signature: %v", err)
	}
	if a.Name == "" {
		a.Name = a.FromAddress
	}
	password, err := s.secretFor(f.ID, model.AccountSMTP, f.Password)
	if err != nil {
		return a, err
	}
	return s.saveAccount(ctx, a, password, f.Password != "")
}

// TestAccount tests a saved account with its stored secret.
func (s *Service) TestAccount(ctx context.Context, id int64) (Check, error) {
	a, err := s.store.Account(ctx, id)
	if err != nil {
		return Check{}, err
	}
	switch a.Kind {
	case model.AccountGitLab:
		ps, err := s.store.Projects(ctx)
		if err != nil {
			return Check{}, err
		}
		path := ""
		for _, p := range ps {
			if p.AccountID == a.ID {
				path = p.Path
				break
			}
		}
		return s.TestGitLab(ctx, GitLabForm{ID: a.ID, URL: a.URL, Project: path}), nil
	case model.AccountIMAP:
		return s.TestMailbox(ctx, MailboxForm{ID: a.ID, Host: a.Host, Port: a.Port, Security: a.Security, Login: a.Login}), nil
	default:
		return s.TestIdentity(ctx, IdentityForm{ID: a.ID, FromAddress: a.FromAddress, FromName: a.FromName, Delivery: a.Delivery,
			Host: a.Host, Port: a.Port, Security: a.Security, Login: a.Login}), nil
	}
}

// RemoveAccount deletes an account, its keychain item and its cached data.
// Removing a GitLab account also removes the sending identities of its
// projects; mailboxes stay, no longer tied to a project.
func (s *Service) RemoveAccount(ctx context.Context, id int64) error {
	a, err := s.store.Account(ctx, id)
	if err != nil {
		return err
	}
	if a.Kind == model.AccountGitLab {
		projects, err := s.store.Projects(ctx)
		if err != nil {
			return err
		}
		all, err := s.store.Accounts(ctx)
		if err != nil {
			return err
		}
		for _, p := range projects {
			for _, other := range all {
				if p.AccountID == a.ID && other.Kind == model.AccountSMTP && other.ProjectID == p.ID {
					if err := s.removeAccount(ctx, other); err != nil {
						return err
					}
				}
			}
		}
	}
	return s.removeAccount(ctx, a)
}

// removeAccount deletes the keychain item first: if the keychain refuses,
// the account stays listed so the agent can try again, and no secret is
// orphaned.
func (s *Service) removeAccount(ctx context.Context, a model.Account) error {
	if err := s.keys.Delete(a.ID, secrets.KindOf(a.Kind)); err != nil {
		return err
	}
	s.clientsMu.Lock()
	delete(s.clients, a.ID)
	s.clientsMu.Unlock()
	return s.store.DeleteAccount(ctx, a.ID)
}

func cleanList(in []string) []string {
	var out []string
	for _, v := range in {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
