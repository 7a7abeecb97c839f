package app

import (
	"context"
	"fmt"

	"servicedesk/internal/model"
	"servicedesk/internal/service"
)

// AccountDTO is a saved account as the page sees it. It never carries a
// secret: the page can set or replace one, never read it back.
type AccountDTO struct {
	ID          int64    `json:"id"`
	Kind        string   `json:"kind"` // gitlab, imap, smtp
	Name        string   `json:"name"`
	URL         string   `json:"url"`
	Username    string   `json:"username"`
	Host        string   `json:"host"`
	Port        int      `json:"port"`
	Security    string   `json:"security"`
	Login       string   `json:"login"`
	ProjectID   int64    `json:"project_id"`
	Project     string   `json:"project"` // path of ProjectID (gitlab: its project)
	Folders     []string `json:"folders"`
	FromAddress string   `json:"from_address"`
	FromName    string   `json:"from_name"`
	Delivery    string   `json:"delivery"`
	Signature   string   `json:"signature"`
}

// GitLabFormDTO adds (id 0) or edits a GitLab account. An empty token when
// editing keeps the stored one.
type GitLabFormDTO struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	URL     string `json:"url"`
	Project string `json:"project"`
	Token   string `json:"token"`
}

// MailboxFormDTO adds or edits the brand's IMAP mailbox.
type MailboxFormDTO struct {
	ID        int64    `json:"id"`
	Name      string   `json:"name"`
	Host      string   `json:"host"`
	Port      int      `json:"port"`
	Security  string   `json:"security"`
	Login     string   `json:"login"`
	Password  string   `json:"password"`
	ProjectID int64    `json:"project_id"`
	Folders   []string `json:"folders"`
}

// IdentityFormDTO adds or edits a project's sending identity.
type IdentityFormDTO struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	ProjectID   int64  `json:"project_id"`
	FromAddress string `json:"from_address"`
	FromName    string `json:"from_name"`
	Delivery    string `json:"delivery"`  // gitlab or smtp
	Signature   string `json:"signature"` // Markdown under every mailed reply
	Host        string `json:"host"`
	Port        int    `json:"port"`
	Security    string `json:"security"`
	Login       string `json:"login"`
	Password    string `json:"password"`
}

// CheckDTO is a connection test's result in sentences.
type CheckDTO struct {
	OK      bool     `json:"ok"`
	Summary string   `json:"summary"`
	Details []string `json:"details"`
	Problem string   `json:"problem"` // auth, tls-untrusted, refused, scope, service-desk-off, input, …; "" when ok
}

// Accounts lists the saved accounts, without secrets.
func (a *App) Accounts() ([]AccountDTO, error) {
	ctx := context.Background()
	svc := a.current()
	as, err := svc.Accounts(ctx)
	if err != nil {
		return nil, err
	}
	ps, err := svc.Projects(ctx)
	if err != nil {
		return nil, err
	}
	paths := map[int64]string{}
	byAccount := map[int64]model.Project{}
	for _, p := range ps {
		paths[p.ID] = p.Path
		if _, ok := byAccount[p.AccountID]; !ok {
			byAccount[p.AccountID] = p
		}
	}
	out := make([]AccountDTO, 0, len(as))
	for _, x := range as {
		d := AccountDTO{ID: x.ID, Kind: x.Kind, Name: x.Name, URL: x.URL, Username: x.Username, Host: x.Host, Port: x.Port,
			Security: x.Security, Login: x.Login, ProjectID: x.ProjectID, Project: paths[x.ProjectID], Folders: nonNil(x.Folders),
			FromAddress: x.FromAddress, FromName: x.FromName, Delivery: x.Delivery, Signature: x.Signature}
		if x.Kind == model.AccountGitLab {
			p := byAccount[x.ID]
			d.ProjectID, d.Project = p.ID, p.Path
		}
		out = append(out, d)
	}
	return out, nil
}

const maxField = 2048 // no form field is longer; a longer one is not typed by a person

func checkLengths(fields ...string) error {
	for _, f := range fields {
		if len(f) > maxField {
			return fmt.Errorf("a field is too long (%d characters; at most %d)", len(f), maxField)
		}
	}
	return nil
}

func checkDTO(c service.Check) CheckDTO {
	return CheckDTO{OK: c.OK, Summary: c.Summary, Details: nonNil(c.Details), Problem: c.Problem}
}

func (f GitLabFormDTO) form() service.GitLabForm {
	return service.GitLabForm{ID: f.ID, Name: f.Name, URL: f.URL, Project: f.Project, Token: f.Token}
}

func (f MailboxFormDTO) form() service.MailboxForm {
	return service.MailboxForm{ID: f.ID, Name: f.Name, Host: f.Host, Port: f.Port, Security: f.Security, Login: f.Login,
		Password: f.Password, ProjectID: f.ProjectID, Folders: f.Folders}
}

func (f IdentityFormDTO) form() service.IdentityForm {
	return service.IdentityForm{ID: f.ID, Name: f.Name, ProjectID: f.ProjectID, FromAddress: f.FromAddress, FromName: f.FromName, Signature: f.Signature,
		Delivery: f.Delivery, Host: f.Host, Port: f.Port, Security: f.Security, Login: f.Login, Password: f.Password}
}

// TestGitLab connects with a GitLab form's values without saving.
func (a *App) TestGitLab(f GitLabFormDTO) (CheckDTO, error) {
	if err := checkLengths(f.Name, f.URL, f.Project, f.Token); err != nil {
		return CheckDTO{}, err
	}
	return checkDTO(a.current().TestGitLab(context.Background(), f.form())), nil
}

// SaveGitLab tests and saves a GitLab account, then syncs.
func (a *App) SaveGitLab(f GitLabFormDTO) (AccountDTO, error) {
	if err := checkLengths(f.Name, f.URL, f.Project, f.Token); err != nil {
		return AccountDTO{}, err
	}
	acct, err := a.current().SaveGitLab(context.Background(), f.form())
	if err != nil {
		return AccountDTO{}, err
	}
	a.syncer().Trigger()
	return a.accountDTO(acct.ID)
}

// TestMailbox connects to an IMAP server with a form's values without saving.
func (a *App) TestMailbox(f MailboxFormDTO) (CheckDTO, error) {
	if err := checkLengths(append(f.Folders, f.Name, f.Host, f.Security, f.Login, f.Password)...); err != nil {
		return CheckDTO{}, err
	}
	return checkDTO(a.current().TestMailbox(context.Background(), f.form())), nil
}

// SaveMailbox tests and saves the brand's mailbox.
func (a *App) SaveMailbox(f MailboxFormDTO) (AccountDTO, error) {
	if err := checkLengths(append(f.Folders, f.Name, f.Host, f.Security, f.Login, f.Password)...); err != nil {
		return AccountDTO{}, err
	}
	acct, err := a.current().SaveMailbox(context.Background(), f.form())
	if err != nil {
		return AccountDTO{}, err
	}
	return a.accountDTO(acct.ID)
}

// TestIdentity connects to an SMTP server and signs in, sending nothing.
func (a *App) TestIdentity(f IdentityFormDTO) (CheckDTO, error) {
	if err := checkLengths(f.Name, f.FromAddress, f.FromName, f.Delivery, f.Signature, f.Host, f.Security, f.Login, f.Password); err != nil {
		return CheckDTO{}, err
	}
	return checkDTO(a.current().TestIdentity(context.Background(), f.form())), nil
}

// SaveIdentity tests and saves a sending identity.
func (a *App) SaveIdentity(f IdentityFormDTO) (AccountDTO, error) {
	if err := checkLengths(f.Name, f.FromAddress, f.FromName, f.Delivery, f.Signature, f.Host, f.Security, f.Login, f.Password); err != nil {
		return AccountDTO{}, err
	}
	acct, err := a.current().SaveIdentity(context.Background(), f.form())
	if err != nil {
		return AccountDTO{}, err
	}
	return a.accountDTO(acct.ID)
}

// TestAccount tests a saved account with its stored secret.
func (a *App) TestAccount(id int64) (CheckDTO, error) {
	c, err := a.current().TestAccount(context.Background(), id)
	if err != nil {
		return CheckDTO{}, err
	}
	return checkDTO(c), nil
}

// RemoveAccount deletes an account, its keychain item and its cached data.
func (a *App) RemoveAccount(id int64) error {
	if err := a.current().RemoveAccount(context.Background(), id); err != nil {
		return err
	}
	a.events.ticketsChanged()
	return nil
}

func (a *App) accountDTO(id int64) (AccountDTO, error) {
	all, err := a.Accounts()
	if err != nil {
		return AccountDTO{}, err
	}
	for _, d := range all {
		if d.ID == id {
			return d, nil
		}
	}
	return AccountDTO{}, fmt.Errorf("account %d: %w", id, model.ErrNotFound)
}
