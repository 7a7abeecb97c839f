package secrets

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestOSKeychain runs against the real keychain. `make test` provides a
// private, unlocked Secret Service (.ci/with-keychain.sh) and sets
// SERVICEDESK_KEYCHAIN_TESTS=required, so a missing one fails the run there.
func TestOSKeychain(t *testing.T) {
	k := OS{Profile: "test"}
	id := time.Now().UnixNano() // no clash with a real account
	if err := k.Set(id, GitLabToken, "glpat-first"); err != nil {
		if os.Getenv("SERVICEDESK_KEYCHAIN_TESTS") == "required" {
			t.Fatalf("the Secret Service is required here: %v", err)
		}
		t.Skipf("no keychain on this machine (%v); make test provides one", err)
	}
	t.Cleanup(func() { _ = k.Delete(id, GitLabToken) })
	if err := Reachable(k); err != nil {
		t.Fatalf("Reachable on a working keychain: %v", err)
	}
	if got, err := k.Get(id, GitLabToken); err != nil || got != "glpat-first" {
		t.Fatalf("Get = %q, %v", got, err)
	}
	if err := k.Set(id, GitLabToken, "glpat-second"); err != nil {
		t.Fatal(err)
	}
	if got, _ := k.Get(id, GitLabToken); got != "glpat-second" {
		t.Fatalf("replaced secret reads %q", got)
	}
	if _, err := (OS{Profile: "other"}).Get(id, GitLabToken); !errors.Is(err, ErrNotFound) {
		t.Fatalf("another profile's account %d reads %v, want ErrNotFound", id, err)
	}
	if _, err := k.Get(id, IMAPPassword); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get of another kind = %v, want ErrNotFound", err)
	}
	if err := k.Delete(id, GitLabToken); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Get(id, GitLabToken); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after Delete = %v, want ErrNotFound", err)
	}
	if err := k.Delete(id, GitLabToken); err != nil {
		t.Fatalf("deleting a missing secret: %v", err)
	}
}

func TestMemoryKeychain(t *testing.T) {
	t.Parallel()
	m := NewMemory()
	if err := m.Set(1, SMTPPassword, "pw"); err != nil {
		t.Fatal(err)
	}
	if got, err := m.Get(1, SMTPPassword); err != nil || got != "pw" {
		t.Fatalf("Get = %q, %v", got, err)
	}
	if _, err := m.Get(2, SMTPPassword); !errors.Is(err, ErrNotFound) {
		t.Fatalf("other account: %v", err)
	}
	_ = m.Delete(1, SMTPPassword)
	if _, err := m.Get(1, SMTPPassword); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
}

func TestUnreachableNamesAFix(t *testing.T) {
	t.Parallel()
	err := unreachable(fmt.Errorf("dbus: no session bus"))
	if msg := err.Error(); len(msg) < 40 || !(strings.Contains(msg, "Secret Service") || strings.Contains(msg, "keychain") || strings.Contains(msg, "Credential Manager")) {
		t.Fatalf("message does not say how to fix it: %q", msg)
	}
}

// Without a Secret Service (no session bus), every call fails with the
// sentence that says how to fix it, and Reachable reports it. It runs in a
// child process: go-keyring keeps its first session bus connection.
func TestOSKeychainWithoutSecretService(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the Secret Service is Linux's")
	}
	if os.Getenv("SECRETS_TEST_CHILD") != "1" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestOSKeychainWithoutSecretService$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), "SECRETS_TEST_CHILD=1", "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/bus")
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS: TestOSKeychainWithoutSecretService") {
			t.Fatalf("child: %v\n%s", err, out)
		}
		return
	}
	err := Reachable(OS{})
	if err == nil {
		t.Fatal("Reachable succeeded without a session bus")
	}
	if !strings.Contains(err.Error(), "Secret Service") {
		t.Fatalf("sentence %q does not say what to start", err)
	}
	if err := (OS{}).Set(1, GitLabToken, "glpat-never-stored"); err == nil {
		t.Fatal("Set succeeded without a keychain")
	}
}
