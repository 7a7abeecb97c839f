package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"servicedesk/internal/model"
)

// CreateAccount stores a new account and returns it with its id.
func (s *Store) CreateAccount(ctx context.Context, a model.Account) (model.Account, error) {
	if a.CreatedAt.IsZero() {
		a.CreatedAt = time.Now().UTC()
	}
	res, err := s.db.ExecContext(ctx,
		`INSERT INTO accounts (kind, name, url, username, created_at) VALUES (?, ?, ?, ?, ?)`,
		a.Kind, a.Name, a.URL, a.Username, ms(a.CreatedAt))
	if err != nil {
		return a, fmt.Errorf("create account: %w", err)
	}
	a.ID, err = res.LastInsertId()
	return a, err
}

// Accounts lists every account, oldest first.
func (s *Store) Accounts(ctx context.Context) ([]model.Account, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, kind, name, url, username, created_at FROM accounts ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	defer rows.Close()
	var out []model.Account
	for rows.Next() {
		var a model.Account
		var created int64
		if err := rows.Scan(&a.ID, &a.Kind, &a.Name, &a.URL, &a.Username, &created); err != nil {
			return nil, err
		}
		a.CreatedAt = fromMS(created)
		out = append(out, a)
	}
	return out, rows.Err()
}

// Account returns one account, or model.ErrNotFound.
func (s *Store) Account(ctx context.Context, id int64) (model.Account, error) {
	as, err := s.Accounts(ctx)
	if err != nil {
		return model.Account{}, err
	}
	for _, a := range as {
		if a.ID == id {
			return a, nil
		}
	}
	return model.Account{}, fmt.Errorf("account %d: %w", id, model.ErrNotFound)
}

// DeleteAccount removes an account with its projects and cached tickets.
func (s *Store) DeleteAccount(ctx context.Context, id int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM search WHERE ticket_id IN
			(SELECT t.id FROM tickets t JOIN projects p ON p.id = t.project_id WHERE p.account_id = ?)`, id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM accounts WHERE id = ?`, id)
		return err
	})
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
