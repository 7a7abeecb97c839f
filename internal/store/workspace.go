package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"servicedesk/internal/model"
)

// Setting reads the JSON value stored under key into v; ok is false when
// nothing is stored.
func (s *Store) Setting(ctx context.Context, key string, v any) (ok bool, err error) {
	var raw string
	err = s.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read setting %s: %w", key, err)
	}
	if err := json.Unmarshal([]byte(raw), v); err != nil {
		return false, fmt.Errorf("setting %s: %w", key, err)
	}
	return true, nil
}

// SetSetting stores v as JSON under key.
func (s *Store) SetSetting(ctx context.Context, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, string(b)); err != nil {
		return fmt.Errorf("save setting %s: %w", key, err)
	}
	return nil
}

// SavedView is an agent's own view: a name and a query in the search box's
// language (ParseQuery).
type SavedView struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Query string `json:"query"`
}

// ErrViewName reports a view name another view has.
var ErrViewName = errors.New("a view with this name exists")

// SavedViews lists the saved views in the agent's order.
func (s *Store) SavedViews(ctx context.Context) ([]SavedView, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, query FROM saved_views ORDER BY position, id`)
	if err != nil {
		return nil, fmt.Errorf("list views: %w", err)
	}
	defer rows.Close()
	out := []SavedView{}
	for rows.Next() {
		var v SavedView
		if err := rows.Scan(&v.ID, &v.Name, &v.Query); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// SaveView stores a new view (ID 0, placed last) or replaces one.
func (s *Store) SaveView(ctx context.Context, v SavedView) (SavedView, error) {
	var err error
	if v.ID == 0 {
		err = s.db.QueryRowContext(ctx, `INSERT INTO saved_views (name, query, position)
			VALUES (?, ?, (SELECT coalesce(max(position), 0) + 1 FROM saved_views)) RETURNING id`, v.Name, v.Query).Scan(&v.ID)
	} else {
		var res sql.Result
		res, err = s.db.ExecContext(ctx, `UPDATE saved_views SET name = ?, query = ? WHERE id = ?`, v.Name, v.Query, v.ID)
		if err == nil {
			if n, _ := res.RowsAffected(); n == 0 {
				return v, fmt.Errorf("view %d: %w", v.ID, model.ErrNotFound)
			}
		}
	}
	if err != nil && strings.Contains(err.Error(), "UNIQUE") {
		return v, fmt.Errorf("%q: %w", v.Name, ErrViewName)
	}
	return v, err
}

// DeleteView removes a saved view.
func (s *Store) DeleteView(ctx context.Context, id int64) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM saved_views WHERE id = ?`, id)
	return err
}

// inboundMail is the condition on messages m (joined to mail_folders f)
// for mail a customer sent that the agent has not set aside.
const inboundMail = `f.special_use NOT IN ('\Sent', '\Drafts', '\Trash')
	AND NOT EXISTS (SELECT 1 FROM mail_dismissed x WHERE x.message_id = m.message_id)`

// CountUnlinkedMail counts inbound mail without a ticket (one per
// Message-ID).
func (s *Store) CountUnlinkedMail(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(DISTINCT m.message_id) FROM messages m
		JOIN mail_folders f ON f.id = m.folder_id
		WHERE `+inboundMail+` AND NOT EXISTS (SELECT 1 FROM message_links l WHERE l.message_id = m.message_id)`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count mail without a ticket: %w", err)
	}
	return n, nil
}

// DismissMail sets mail aside from the mail without a ticket (dismiss
// false brings it back).
func (s *Store) DismissMail(ctx context.Context, messageID string, dismiss bool) error {
	var err error
	if dismiss {
		_, err = s.db.ExecContext(ctx, `INSERT INTO mail_dismissed (message_id, dismissed_at) VALUES (?, ?)
			ON CONFLICT (message_id) DO NOTHING`, messageID, ms(time.Now()))
	} else {
		_, err = s.db.ExecContext(ctx, `DELETE FROM mail_dismissed WHERE message_id = ?`, messageID)
	}
	return err
}
