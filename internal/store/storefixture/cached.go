package storefixture

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"servicedesk/internal/store"
)

// BenchNow is the newest ticket's time in the benchmarks' profiles: fixed,
// so that every run measures the same queue.
var BenchNow = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

// CachedCopy returns a folder holding a copy of a profile of n tickets
// (seed 1, BenchNow). The profile is made once per machine and schema
// version in the temporary folder (it takes a while) and copied for each
// caller, so that none changes it.
func CachedCopy(tb testing.TB, n int) string {
	tb.Helper()
	cache := filepath.Join(os.TempDir(), fmt.Sprintf("servicedesk-bench-%d-schema%d", n, store.SchemaVersion()))
	if _, err := os.Stat(filepath.Join(cache, store.FileName)); err != nil {
		if err := fill(cache, n); err != nil {
			tb.Fatal(err)
		}
	}
	data, err := os.ReadFile(filepath.Join(cache, store.FileName))
	if err != nil {
		tb.Fatal(err)
	}
	dir := tb.TempDir()
	if err := os.WriteFile(filepath.Join(dir, store.FileName), data, 0o600); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// fill makes the cached profile beside its final place and moves it there
// whole, so that an interrupted run leaves no half profile.
func fill(cache string, n int) error {
	tmp := cache + ".tmp"
	os.RemoveAll(tmp)
	ctx := context.Background()
	s, err := store.Open(ctx, tmp)
	if err != nil {
		return err
	}
	if _, err := Fill(ctx, s, Options{Tickets: n, Seed: 1, Now: BenchNow}); err != nil {
		s.Close()
		return err
	}
	if err := s.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, cache)
}
