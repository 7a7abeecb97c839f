package app

import (
	"context"
	"log/slog"
	"runtime"
	"strings"
	"testing"

	"servicedesk/internal/secrets"
	"servicedesk/internal/service"
	"servicedesk/internal/store"
	"servicedesk/internal/version"
)

func TestAboutNamesTheProfileFolder(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	st, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	a := New(Config{Service: service.New(st, secrets.NewMemory(), service.Options{}), Log: slog.New(slog.DiscardHandler)})

	got := a.About()
	if got.DataDir != dir {
		t.Errorf("DataDir %q, want the profile's folder %q", got.DataDir, dir)
	}
	if got.Version != version.Version || got.Version == "" {
		t.Errorf("Version %q, want version.Version %q", got.Version, version.Version)
	}
	if got.Platform != runtime.GOOS+"/"+runtime.GOARCH || !strings.HasPrefix(got.GoVersion, "go") {
		t.Errorf("Platform %q, GoVersion %q", got.Platform, got.GoVersion)
	}
	if got.Demo || got.Name != "Service Desk" {
		t.Errorf("Demo %v, Name %q", got.Demo, got.Name)
	}
}

// Before a profile is open (the window's binding pass), About still answers.
func TestAboutWithoutAProfile(t *testing.T) {
	t.Parallel()
	got := (&App{}).About()
	if got.DataDir != "" || got.Version == "" || got.Keychain == "" {
		t.Errorf("%+v", got)
	}
}

func TestKeychainNamePerSystem(t *testing.T) {
	t.Parallel()
	for goos, want := range map[string]string{"linux": "Secret Service", "darwin": "Keychain", "windows": "Credential Manager", "freebsd": "Secret Service"} {
		if got := keychainName(goos); !strings.Contains(got, want) || !strings.Contains(got, "servicedesk") {
			t.Errorf("%s: %q", goos, got)
		}
	}
}
