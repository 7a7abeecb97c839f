package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// RepoFile is a cached file of a project's repository.
type RepoFile struct {
	ProjectID int64
	Path      string
	BlobID    string
	Content   []byte
}

// RepoFiles lists the cached repository files of a project (0: of every
// project), by project and path.
func (s *Store) RepoFiles(ctx context.Context, projectID int64) ([]RepoFile, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT project_id, path, blob_id, content FROM repo_files
		WHERE ? = 0 OR project_id = ? ORDER BY project_id, path`, projectID, projectID)
	if err != nil {
		return nil, fmt.Errorf("read the team files: %w", err)
	}
	defer rows.Close()
	var out []RepoFile
	for rows.Next() {
		var f RepoFile
		if err := rows.Scan(&f.ProjectID, &f.Path, &f.BlobID, &f.Content); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// SetRepoFiles brings a project's cache in line with its repository in one
// transaction: files not in keep are removed, changed ones replaced.
func (s *Store) SetRepoFiles(ctx context.Context, projectID int64, keep []string, changed []RepoFile) error {
	paths, _ := json.Marshal(keep)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM repo_files WHERE project_id = ? AND path NOT IN (SELECT value FROM json_each(?))`,
			projectID, string(paths)); err != nil {
			return err
		}
		now := ms(time.Now())
		for _, f := range changed {
			if _, err := tx.ExecContext(ctx, `INSERT INTO repo_files (project_id, path, blob_id, content, fetched_at) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (project_id, path) DO UPDATE SET blob_id = excluded.blob_id, content = excluded.content, fetched_at = excluded.fetched_at`,
				projectID, f.Path, f.BlobID, f.Content, now); err != nil {
				return fmt.Errorf("cache %s: %w", f.Path, err)
			}
		}
		return nil
	})
}

// RuleRuns returns the tickets (iids) of a project a rule was queued for.
func (s *Store) RuleRuns(ctx context.Context, projectID int64, rule string) (map[int64]bool, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT iid FROM rule_runs WHERE project_id = ? AND rule = ?`, projectID, rule)
	if err != nil {
		return nil, fmt.Errorf("read rule runs: %w", err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var iid int64
		if err := rows.Scan(&iid); err != nil {
			return nil, err
		}
		out[iid] = true
	}
	return out, rows.Err()
}

// AddRuleRuns records that a rule was queued for tickets.
func (s *Store) AddRuleRuns(ctx context.Context, projectID int64, rule string, iids []int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		now := ms(time.Now())
		for _, iid := range iids {
			if _, err := tx.ExecContext(ctx, `INSERT INTO rule_runs (project_id, iid, rule, queued_at) VALUES (?, ?, ?, ?)
				ON CONFLICT DO NOTHING`, projectID, iid, rule, now); err != nil {
				return err
			}
		}
		return nil
	})
}
