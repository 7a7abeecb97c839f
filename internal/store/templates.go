package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"servicedesk/internal/model"
)

// Templates lists the agent's reply templates by name.
func (s *Store) Templates(ctx context.Context) ([]model.Template, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, body, updated_at FROM templates ORDER BY lower(name), id`)
	if err != nil {
		return nil, fmt.Errorf("list templates: %w", err)
	}
	defer rows.Close()
	out := []model.Template{}
	for rows.Next() {
		var t model.Template
		var at int64
		if err := rows.Scan(&t.ID, &t.Name, &t.Body, &at); err != nil {
			return nil, err
		}
		t.UpdatedAt = fromMS(at)
		out = append(out, t)
	}
	return out, rows.Err()
}

// ErrTemplateName reports a template name another template has.
var ErrTemplateName = errors.New("a template with this name exists")

// SaveTemplate stores a new template (ID 0) or replaces one, and returns it.
func (s *Store) SaveTemplate(ctx context.Context, t model.Template) (model.Template, error) {
	t.UpdatedAt = time.Now().UTC()
	var err error
	if t.ID == 0 {
		err = s.db.QueryRowContext(ctx, `INSERT INTO templates (name, body, updated_at) VALUES (?, ?, ?) RETURNING id`,
			t.Name, t.Body, ms(t.UpdatedAt)).Scan(&t.ID)
	} else {
		var res sql.Result
		res, err = s.db.ExecContext(ctx, `UPDATE templates SET name = ?, body = ?, updated_at = ? WHERE id = ?`,
			t.Name, t.Body, ms(t.UpdatedAt), t.ID)
		if err == nil {
			if n, _ := res.RowsAffected(); n == 0 {
				return t, fmt.Errorf("template %d: %w", t.ID, model.ErrNotFound)
			}
		}
	}
	if err != nil && strings.Contains(err.Error(), "UNIQUE") {
		return t, fmt.Errorf("%q: %w", t.Name, ErrTemplateName)
	}
	return t, err
}

// DeleteTemplate removes a template.
func (s *Store) DeleteTemplate(ctx context.Context, id int64) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM templates WHERE id = ?`, id)
	return err
}
