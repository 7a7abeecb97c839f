package mailbox_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"servicedesk/internal/mailbox"
	"servicedesk/internal/model"
	"servicedesk/internal/neterr"
	"servicedesk/internal/neterr/neterrtest"
)

// dovecotInfo is the JSON line .ci/dovecot.sh prints.
type dovecotInfo struct {
	IMAPPort  int    `json:"imap_port"`
	IMAPSPort int    `json:"imaps_port"`
	User      string `json:"user"`
	Password  string `json:"password"`
	CAFile    string `json:"ca_file"`
	PIDFile   string `json:"pid_file"`
	Dir       string `json:"dir"`
}

var dovecot struct {
	once  sync.Once
	info  dovecotInfo
	roots *x509.CertPool
	err   error
}

var dovecotScript = filepath.Join("..", "..", ".ci", "dovecot.sh")

// TestMain stops the Dovecot that a test may have started.
func TestMain(m *testing.M) {
	code := m.Run()
	if dovecot.info.Dir != "" {
		if out, err := exec.Command(dovecotScript, "stop", dovecot.info.Dir).CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "stop dovecot: %v\n%s", err, out)
		}
	}
	os.Exit(code)
}

// needDovecot starts one Dovecot for the whole package (once). If it cannot
// start, the test fails when SERVICEDESK_DOVECOT=required, else it is skipped.
func needDovecot(t testing.TB) (dovecotInfo, *x509.CertPool) {
	t.Helper()
	dovecot.once.Do(func() {
		var stderr bytes.Buffer
		cmd := exec.Command(dovecotScript)
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			dovecot.err = fmt.Errorf("%s: %w\n%s", dovecotScript, err, stderr.String())
			return
		}
		if err := json.Unmarshal(out, &dovecot.info); err != nil {
			dovecot.err = fmt.Errorf("read %s output %q: %w", dovecotScript, out, err)
			return
		}
		pem, err := os.ReadFile(dovecot.info.CAFile)
		if err != nil {
			dovecot.err = fmt.Errorf("read the test CA: %w", err)
			return
		}
		dovecot.roots = x509.NewCertPool()
		if !dovecot.roots.AppendCertsFromPEM(pem) {
			dovecot.err = fmt.Errorf("no certificate in %s", dovecot.info.CAFile)
		}
	})
	if dovecot.err != nil {
		if os.Getenv("SERVICEDESK_DOVECOT") == "required" {
			t.Fatalf("SERVICEDESK_DOVECOT=required but Dovecot did not start: %v", dovecot.err)
		}
		t.Skipf("Dovecot not available (set SERVICEDESK_DOVECOT=required to fail instead): %v", dovecot.err)
	}
	return dovecot.info, dovecot.roots
}

func TestCheckDovecot(t *testing.T) {
	t.Parallel()
	info, roots := needDovecot(t)
	trusted := &tls.Config{RootCAs: roots}
	base := mailbox.Config{Host: "127.0.0.1", User: info.User, Password: info.Password}
	tests := []struct {
		name     string
		port     int
		security string
		tls      *tls.Config
		kind     neterr.Kind // ignored when ok
		ok       bool
		words    []string
	}{
		{"STARTTLS", info.IMAPPort, model.SecuritySTARTTLS, trusted, 0, true, nil},
		{"TLS", info.IMAPSPort, model.SecurityTLS, trusted, 0, true, nil},
		{"TLS with localhost", info.IMAPSPort, model.SecurityTLS, &tls.Config{RootCAs: roots, ServerName: "localhost"}, 0, true, nil},
		{"STARTTLS untrusted", info.IMAPPort, model.SecuritySTARTTLS, nil, neterr.TLSUntrusted, false,
			[]string{"The certificate of 127.0.0.1:", "is not trusted (signed by an unknown authority)"}},
		{"TLS untrusted", info.IMAPSPort, model.SecurityTLS, nil, neterr.TLSUntrusted, false,
			[]string{"is not trusted (signed by an unknown authority)", "ask your mail admin"}},
		{"TLS wrong name", info.IMAPSPort, model.SecurityTLS, &tls.Config{RootCAs: roots, ServerName: "mail.acme.com"}, neterr.TLSUntrusted, false,
			[]string{"is not trusted (it is for localhost, 127.0.0.1, not mail.acme.com)"}},
		{"TLS to the STARTTLS port", info.IMAPPort, model.SecurityTLS, trusted, neterr.TLSFailed, false,
			[]string{"did not answer in TLS", "choose STARTTLS"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := base
			cfg.Port, cfg.Security, cfg.TLSConfig = tt.port, tt.security, tt.tls
			r, err := mailbox.Check(context.Background(), cfg)
			if !tt.ok {
				neterrtest.WantProblem(t, err, tt.kind, cfg.Password, tt.words...)
				return
			}
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			if !r.CondStore || !r.IDLE || !r.Move {
				t.Errorf("CONDSTORE %v IDLE %v MOVE %v, want all (Dovecot)", r.CondStore, r.IDLE, r.Move)
			}
			if r.Sent != "Sent" {
				t.Errorf("Sent = %q, want %q (special_use \\Sent in dovecot.conf); folders %v", r.Sent, "Sent", r.Folders)
			}
			if r.Inbox != 0 {
				t.Errorf("Inbox = %d, want 0 in a fresh mailbox", r.Inbox)
			}
			want := fmt.Sprintf(`Signed in as %s: %d folders, 0 messages in INBOX, sent mail in "Sent"; CONDSTORE and IDLE supported.`, info.User, len(r.Folders))
			if r.Summary() != want {
				t.Errorf("Summary() = %q, want %q", r.Summary(), want)
			}
		})
	}
}

func TestCheckDovecotWrongPassword(t *testing.T) {
	t.Parallel()
	info, roots := needDovecot(t)
	for _, sec := range []struct {
		security string
		port     int
	}{{model.SecuritySTARTTLS, info.IMAPPort}, {model.SecurityTLS, info.IMAPSPort}} {
		t.Run(sec.security, func(t *testing.T) {
			t.Parallel()
			cfg := mailbox.Config{Host: "127.0.0.1", Port: sec.port, Security: sec.security, User: info.User,
				Password: info.Password + "-wrong", TLSConfig: &tls.Config{RootCAs: roots}}
			_, err := mailbox.Check(context.Background(), cfg)
			neterrtest.WantProblem(t, err, neterr.Auth, cfg.Password,
				fmt.Sprintf("The IMAP server at 127.0.0.1:%d refused the user name or password for %s", sec.port, info.User),
				"check them and try again")
			neterrtest.WantProblem(t, err, neterr.Auth, info.Password)
		})
	}
}
