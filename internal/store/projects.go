package store

import (
	"context"
	"database/sql"
	"fmt"

	"servicedesk/internal/model"
)

// SetProjectMeta replaces a project's labels and members.
func (s *Store) SetProjectMeta(ctx context.Context, projectID int64, labels []model.Label, members []model.Member) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, q := range []string{`DELETE FROM labels WHERE project_id = ?`, `DELETE FROM members WHERE project_id = ?`} {
			if _, err := tx.ExecContext(ctx, q, projectID); err != nil {
				return err
			}
		}
		for _, l := range labels {
			if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO labels (project_id, name, color, description) VALUES (?, ?, ?, ?)`,
				projectID, l.Name, l.Color, l.Description); err != nil {
				return fmt.Errorf("label %s: %w", l.Name, err)
			}
		}
		for _, m := range members {
			if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO members (project_id, user_id, username, name) VALUES (?, ?, ?, ?)`,
				projectID, m.UserID, m.Username, m.Name); err != nil {
				return fmt.Errorf("member %s: %w", m.Username, err)
			}
		}
		return nil
	})
}

// Labels lists a project's labels by name.
func (s *Store) Labels(ctx context.Context, projectID int64) ([]model.Label, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name, color, description FROM labels WHERE project_id = ? ORDER BY name`, projectID)
	if err != nil {
		return nil, fmt.Errorf("list labels: %w", err)
	}
	defer rows.Close()
	var out []model.Label
	for rows.Next() {
		var l model.Label
		if err := rows.Scan(&l.Name, &l.Color, &l.Description); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// Members lists a project's members by username.
func (s *Store) Members(ctx context.Context, projectID int64) ([]model.Member, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT user_id, username, name FROM members WHERE project_id = ? ORDER BY username`, projectID)
	if err != nil {
		return nil, fmt.Errorf("list members: %w", err)
	}
	defer rows.Close()
	var out []model.Member
	for rows.Next() {
		var m model.Member
		if err := rows.Scan(&m.UserID, &m.Username, &m.Name); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
