// Package store owns the local SQLite cache of one profile: its schema and
// migrations, every query, and the FTS5 search index. It knows nothing of
// GitLab, IMAP or the window; callers hand it model values.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // the database/sql driver "sqlite"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// FileName is the database file inside a profile's data folder.
const FileName = "servicedesk.db"

// ErrSchemaTooNew is returned when the database was written by a newer
// version of the app; it is never altered then.
var ErrSchemaTooNew = errors.New("the data folder was written by a newer version of Service Desk")

// Store is an open profile database and the content-addressed folder
// beside it.
type Store struct {
	db   *sql.DB
	dir  string
	dirs sync.Map // blob folders known to exist

	stopCheckpoints func() // ends the checkpointer and waits for it
}

// Dir is the profile's folder.
func (s *Store) Dir() string { return s.dir }

// Open opens (creating if needed) the profile in dir and brings its schema up
// to date.
func Open(ctx context.Context, dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	path := filepath.Join(dir, FileName)
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() +
		"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=cache_size(-32000)" +
		"&_pragma=wal_autocheckpoint(0)" + // the checkpointer does it, off the writer's path
		// Transactions take the write lock when they begin: a deferred one
		// that reads and then writes fails at once with SQLITE_BUSY when
		// another connection wrote in between (busy_timeout cannot help it).
		"&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s := &Store{db: db, dir: dir}
	if err := s.init(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s.stopCheckpoints = s.checkpointer()
	return s, nil
}

func (s *Store) init(ctx context.Context) error {
	var mode string
	if err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return fmt.Errorf("read journal mode: %w", err)
	}
	if mode != "wal" {
		return fmt.Errorf("journal mode is %q, want wal", mode)
	}
	if err := s.sweepIncoming(); err != nil {
		return fmt.Errorf("remove unfinished downloads: %w", err)
	}
	return s.migrate(ctx)
}

// Close closes the database.
func (s *Store) Close() error {
	if s.stopCheckpoints != nil {
		s.stopCheckpoints()
	}
	return s.db.Close()
}

// checkpointEvery is how often the checkpointer copies committed pages
// from the write-ahead log into the database.
const checkpointEvery = 500 * time.Millisecond

// checkpointer copies the write-ahead log into the database on its own
// connection, so a long write (a first mail sync) does not stop every
// thousand pages to do it, as SQLite's automatic checkpoint would, and the
// log stays small. A PASSIVE checkpoint never waits for the writer or the
// readers.
func (s *Store) checkpointer() (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(checkpointEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				_, _ = s.db.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)") // best effort: the next tick tries again
			}
		}
	}()
	return func() { cancel(); <-done }
}

type migration struct {
	version int
	name    string
	sql     string
	// noForeignKeys marks a migration that rebuilds a table others refer
	// to (its first line is "-- foreign_keys: off"). It runs with foreign
	// keys off, as SQLite's documented table rebuild requires, and
	// foreign_key_check must pass before it commits.
	noForeignKeys bool
}

func loadMigrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number and _", e.Name())
		}
		body, err := fs.ReadFile(migrationFiles, "migrations/"+e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(body),
			noForeignKeys: strings.HasPrefix(string(body), "-- foreign_keys: off")})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: expected number %d", m.name, i+1)
		}
	}
	return ms, nil
}

// SchemaVersion is the newest schema this binary knows.
func SchemaVersion() int {
	ms, err := loadMigrations()
	if err != nil {
		return 0
	}
	return len(ms)
}

// migrate applies every migration newer than the database's user_version,
// each in its own transaction together with the version bump.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := loadMigrations()
	if err != nil {
		return err
	}
	var have int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&have); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if have > len(ms) {
		return fmt.Errorf("%w (schema %d, this version knows up to %d): update the app or use another --data-dir", ErrSchemaTooNew, have, len(ms))
	}
	for _, m := range ms[have:] {
		if err := s.apply(ctx, m); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	return nil
}

// apply runs one migration and its version bump in one transaction, on one
// connection so that a foreign_keys pragma holds for it.
func (s *Store) apply(ctx context.Context, m migration) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if m.noForeignKeys {
		if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
			return err
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = ON") //nolint:errcheck // best effort; the pool's DSN sets it on new connections
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	if m.noForeignKeys {
		var table string
		var rowid, parent, fkid sql.NullInt64
		err := tx.QueryRowContext(ctx, "PRAGMA foreign_key_check").Scan(&table, &rowid, &parent, &fkid)
		if err == nil {
			return fmt.Errorf("leaves a broken reference in table %s, row %d", table, rowid.Int64)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
		return err
	}
	return tx.Commit()
}

func (s *Store) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

// DefaultDataDir is the OS's app-data folder for the profile: XDG_DATA_HOME
// (~/.local/share) on Linux, ~/Library/Application Support on macOS and
// %AppData% on Windows.
func DefaultDataDir() (string, error) {
	if x := os.Getenv("XDG_DATA_HOME"); x != "" {
		return filepath.Join(x, "servicedesk"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	if cfg, err := os.UserConfigDir(); err == nil && !strings.HasPrefix(cfg, filepath.Join(home, ".config")) {
		return filepath.Join(cfg, "servicedesk"), nil // macOS, Windows
	}
	return filepath.Join(home, ".local", "share", "servicedesk"), nil
}
