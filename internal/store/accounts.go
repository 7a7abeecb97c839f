package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"servicedesk/internal/model"
)

const accountColumns = `id, kind, name, url, username, host, port, security, login, project_id, folders,
	from_address, from_name, delivery, signature, created_at`

func accountArgs(a model.Account) []any {
	folders, _ := json.Marshal(nonNil(a.Folders))
	var project any
	if a.ProjectID != 0 {
		project = a.ProjectID
	}
	return []any{a.Kind, a.Name, a.URL, a.Username, a.Host, a.Port, a.Security, a.Login, project, string(folders),
		a.FromAddress, a.FromName, a.Delivery, a.Signature}
}

// CreateAccount stores a new account and returns it with its id.
func (s *Store) CreateAccount(ctx context.Context, a model.Account) (model.Account, error) {
	if a.CreatedAt.IsZero() {
		a.CreatedAt = time.Now().UTC()
	}
	err := s.db.QueryRowContext(ctx, `INSERT INTO accounts (kind, name, url, username, host, port, security, login,
		project_id, folders, from_address, from_name, delivery, signature, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		append(accountArgs(a), ms(a.CreatedAt))...).Scan(&a.ID)
	if err != nil {
		return a, fmt.Errorf("create account: %w", err)
	}
	return a, nil
}

// UpdateAccount stores new settings of an existing account; its kind and
// creation time do not change.
func (s *Store) UpdateAccount(ctx context.Context, a model.Account) error {
	res, err := s.db.ExecContext(ctx, `UPDATE accounts SET kind = ?, name = ?, url = ?, username = ?, host = ?, port = ?,
		security = ?, login = ?, project_id = ?, folders = ?, from_address = ?, from_name = ?, delivery = ?,
		signature = ? WHERE id = ? AND kind = ?`, append(accountArgs(a), a.ID, a.Kind)...)
	if err != nil {
		return fmt.Errorf("update account %d: %w", a.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%s account %d: %w", a.Kind, a.ID, model.ErrNotFound)
	}
	return nil
}

func scanAccount(sc interface{ Scan(...any) error }) (model.Account, error) {
	var a model.Account
	var project sql.NullInt64
	var folders string
	var created int64
	err := sc.Scan(&a.ID, &a.Kind, &a.Name, &a.URL, &a.Username, &a.Host, &a.Port, &a.Security, &a.Login, &project,
		&folders, &a.FromAddress, &a.FromName, &a.Delivery, &a.Signature, &created)
	if err != nil {
		return a, err
	}
	a.ProjectID = project.Int64
	a.CreatedAt = fromMS(created)
	if err := json.Unmarshal([]byte(folders), &a.Folders); err != nil {
		return a, fmt.Errorf("folders of account %d: %w", a.ID, err)
	}
	if len(a.Folders) == 0 {
		a.Folders = nil
	}
	return a, nil
}

// Accounts lists every account, oldest first.
func (s *Store) Accounts(ctx context.Context) ([]model.Account, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+accountColumns+` FROM accounts ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	defer rows.Close()
	var out []model.Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Account returns one account, or model.ErrNotFound.
func (s *Store) Account(ctx context.Context, id int64) (model.Account, error) {
	a, err := scanAccount(s.db.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("account %d: %w", id, model.ErrNotFound)
	}
	return a, err
}

// DeleteAccount removes an account with its projects and cached tickets.
// Mailboxes and identities of those projects stay, unlinked.
func (s *Store) DeleteAccount(ctx context.Context, id int64) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM accounts WHERE id = ?`, id)
	return err
}

// UpsertProject stores a project by (account, GitLab id) and returns it with
// its local id.
func (s *Store) UpsertProject(ctx context.Context, p model.Project) (model.Project, error) {
	err := s.db.QueryRowContext(ctx, `
		INSERT INTO projects (account_id, gitlab_id, path, name, web_url, service_desk_enabled, service_desk_address)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (account_id, gitlab_id) DO UPDATE SET path = excluded.path, name = excluded.name,
			web_url = excluded.web_url, service_desk_enabled = excluded.service_desk_enabled,
			service_desk_address = excluded.service_desk_address
		RETURNING id`,
		p.AccountID, p.GitLabID, p.Path, p.Name, p.WebURL, p.ServiceDeskEnabled, p.ServiceDeskAddress).Scan(&p.ID)
	if err != nil {
		return p, fmt.Errorf("save project %s: %w", p.Path, err)
	}
	return p, nil
}

const projectColumns = `id, account_id, gitlab_id, path, name, web_url, service_desk_enabled, service_desk_address`

func scanProject(sc interface{ Scan(...any) error }) (model.Project, error) {
	var p model.Project
	err := sc.Scan(&p.ID, &p.AccountID, &p.GitLabID, &p.Path, &p.Name, &p.WebURL, &p.ServiceDeskEnabled, &p.ServiceDeskAddress)
	return p, err
}

// Projects lists every project, by path.
func (s *Store) Projects(ctx context.Context) ([]model.Project, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+projectColumns+` FROM projects ORDER BY path, id`)
	if err != nil {
		return nil, fmt.Errorf("list projects: %w", err)
	}
	defer rows.Close()
	var out []model.Project
	for rows.Next() {
		p, err := scanProject(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// ProjectByPath finds a project by its path with namespace, or returns
// model.ErrNotFound.
func (s *Store) ProjectByPath(ctx context.Context, path string) (model.Project, error) {
	p, err := scanProject(s.db.QueryRowContext(ctx, `SELECT `+projectColumns+` FROM projects WHERE path = ? ORDER BY id LIMIT 1`, path))
	if errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("project %s: %w", path, model.ErrNotFound)
	}
	return p, err
}

// Project returns a project by its local id, or model.ErrNotFound.
func (s *Store) Project(ctx context.Context, id int64) (model.Project, error) {
	p, err := scanProject(s.db.QueryRowContext(ctx, `SELECT `+projectColumns+` FROM projects WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("project %d: %w", id, model.ErrNotFound)
	}
	return p, err
}

// Cursor returns a project's sync cursor of a kind, "" when none is stored.
func (s *Store) Cursor(ctx context.Context, projectID int64, kind string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM sync_cursors WHERE project_id = ? AND kind = ?`, projectID, kind).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

func setCursor(ctx context.Context, tx *sql.Tx, projectID int64, kind, value string) error {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO sync_cursors (project_id, kind, value, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (project_id, kind) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
		projectID, kind, value, ms(time.Now()))
	return err
}

// SetCursor stores a project's sync cursor of a kind.
func (s *Store) SetCursor(ctx context.Context, projectID int64, kind, value string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error { return setCursor(ctx, tx, projectID, kind, value) })
}

// ProfileKey is the profile's random key, which names its keychain items.
func (s *Store) ProfileKey(ctx context.Context) (string, error) {
	var k string
	if err := s.db.QueryRowContext(ctx, `SELECT key FROM profile WHERE id = 1`).Scan(&k); err != nil {
		return "", fmt.Errorf("read the profile key: %w", err)
	}
	return k, nil
}
