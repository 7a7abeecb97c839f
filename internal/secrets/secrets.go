// Package secrets keeps the agent's credentials (GitLab tokens, IMAP and SMTP
// passwords) in the operating system's keychain and nowhere else. It owns the
// naming of keychain items; callers never see how they are stored.
package secrets

import (
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"sync"

	"github.com/zalando/go-keyring"
)

// Service is the keychain service name of every item the app stores.
const Service = "servicedesk"

// Kinds of secret, one keychain item each per account.
const (
	GitLabToken  = "gitlab-token"
	IMAPPassword = "imap-password"
	SMTPPassword = "smtp-password"
)

// KindOf is the kind of secret an account of a kind ("gitlab", "imap",
// "smtp") keeps.
func KindOf(accountKind string) string {
	switch accountKind {
	case "imap":
		return IMAPPassword
	case "smtp":
		return SMTPPassword
	}
	return GitLabToken
}

// ErrNotFound is returned when the keychain has no such item.
var ErrNotFound = errors.New("no such secret in the keychain")

// Keychain stores secrets by account id and kind.
type Keychain interface {
	Set(accountID int64, kind, secret string) error
	Get(accountID int64, kind string) (string, error)
	Delete(accountID int64, kind string) error
}

func user(accountID int64, kind string) string {
	return strconv.FormatInt(accountID, 10) + ":" + kind
}

// Reachable checks that the keychain answers, without changing it: it looks
// up an item that never exists. The error, if any, is the sentence that
// says how to fix it on this platform.
func Reachable(k Keychain) error {
	_, err := k.Get(0, "reachability-check")
	if err == nil || errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// OS is the operating system's keychain: macOS Keychain, Windows Credential
// Manager or the Secret Service on Linux. Items are named service
// "servicedesk", user "<profile>/<account id>:<kind>": account ids count from
// 1 in every profile (data folder), so the profile's key keeps two profiles'
// items apart.
type OS struct {
	Profile string
}

var _ Keychain = OS{}

func (o OS) user(accountID int64, kind string) string {
	if o.Profile == "" {
		return user(accountID, kind)
	}
	return o.Profile + "/" + user(accountID, kind)
}

// Set stores or replaces a secret.
func (o OS) Set(accountID int64, kind, secret string) error {
	if err := keyring.Set(Service, o.user(accountID, kind), secret); err != nil {
		return unreachable(err)
	}
	return nil
}

// Get reads a secret.
func (o OS) Get(accountID int64, kind string) (string, error) {
	s, err := keyring.Get(Service, o.user(accountID, kind))
	if errors.Is(err, keyring.ErrNotFound) {
		return "", fmt.Errorf("%s of account %d: %w", kind, accountID, ErrNotFound)
	}
	if err != nil {
		return "", unreachable(err)
	}
	return s, nil
}

// Delete removes a secret; removing a missing one is not an error.
func (o OS) Delete(accountID int64, kind string) error {
	err := keyring.Delete(Service, o.user(accountID, kind))
	if err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return unreachable(err)
	}
	return nil
}

// unreachable turns a keychain failure into a sentence that says how to fix
// it on this platform. The underlying error never contains the secret.
func unreachable(err error) error {
	var how string
	switch runtime.GOOS {
	case "darwin":
		how = "unlock the login keychain in Keychain Access and allow Service Desk to use it"
	case "windows":
		how = "check that Windows Credential Manager is available for your user"
	default:
		how = "start and unlock a Secret Service keyring (GNOME Keyring or KWallet) in your desktop session"
	}
	return fmt.Errorf("the system keychain is not available (%v): %s", err, how)
}

// Memory is an in-memory keychain for the demo and for tests that are not
// about the keychain. Its secrets die with the process.
type Memory struct {
	mu    sync.Mutex
	items map[string]string
}

var _ Keychain = (*Memory)(nil)

// NewMemory returns an empty in-memory keychain.
func NewMemory() *Memory { return &Memory{items: map[string]string{}} }

// Set stores or replaces a secret.
func (m *Memory) Set(accountID int64, kind, secret string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.items[user(accountID, kind)] = secret
	return nil
}

// Get reads a secret.
func (m *Memory) Get(accountID int64, kind string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.items[user(accountID, kind)]
	if !ok {
		return "", fmt.Errorf("%s of account %d: %w", kind, accountID, ErrNotFound)
	}
	return s, nil
}

// Delete removes a secret.
func (m *Memory) Delete(accountID int64, kind string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.items, user(accountID, kind))
	return nil
}
