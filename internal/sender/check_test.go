package sender_test

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"slices"
	"strconv"
	"testing"
	"time"

	"servicedesk/internal/model"
	"servicedesk/internal/neterr"
	"servicedesk/internal/neterr/neterrtest"
	"servicedesk/internal/sandbox"
	"servicedesk/internal/sender"
)

func TestCheck(t *testing.T) {
	t.Parallel()
	cert := neterrtest.NewCert(t, time.Time{}, time.Time{})
	trusted := &tls.Config{RootCAs: cert.Roots}
	tests := []struct {
		name     string
		server   serverKind // ignored when port is set
		port     int
		security string
		host     string // "" means 127.0.0.1
		tls      *tls.Config
		user     string
		password string
		kind     neterr.Kind
		ok       bool
		want     sender.Report // when ok (User and TLS)
		words    []string      // in the sentence, when not ok
	}{
		{name: "plain to loopback", server: plainAuth, security: model.SecurityNone, ok: true,
			want: sender.Report{TLS: "none", AuthMechanisms: []string{"PLAIN"}, Authenticated: true}},
		{name: "STARTTLS", server: withSTARTTLS, security: model.SecuritySTARTTLS, tls: trusted, ok: true,
			want: sender.Report{TLS: "STARTTLS", AuthMechanisms: []string{"PLAIN"}, Authenticated: true}},
		{name: "implicit TLS", server: implicitTLS, security: model.SecurityTLS, tls: trusted, ok: true,
			want: sender.Report{TLS: "TLS", AuthMechanisms: []string{"PLAIN"}, Authenticated: true}},
		{name: "implicit TLS by name", server: implicitTLS, security: model.SecurityTLS, host: "localhost", tls: trusted, ok: true,
			want: sender.Report{TLS: "TLS", AuthMechanisms: []string{"PLAIN"}, Authenticated: true}},
		{name: "no user: no sign-in", server: withSTARTTLS, security: model.SecuritySTARTTLS, tls: trusted, user: "-", ok: true,
			want: sender.Report{TLS: "STARTTLS", AuthMechanisms: []string{"PLAIN"}}},
		{name: "STARTTLS untrusted", server: withSTARTTLS, security: model.SecuritySTARTTLS, kind: neterr.TLSUntrusted,
			words: []string{"is not trusted (signed by an unknown authority)", "ask your mail admin"}},
		{name: "implicit TLS untrusted", server: implicitTLS, security: model.SecurityTLS, kind: neterr.TLSUntrusted,
			words: []string{"is not trusted (signed by an unknown authority)"}},
		{name: "wrong password plain", server: plainAuth, security: model.SecurityNone, password: "wrong-password-9", kind: neterr.Auth,
			words: []string{"refused the user name or password for support@acme.com", "check them and try again"}},
		{name: "wrong password STARTTLS", server: withSTARTTLS, security: model.SecuritySTARTTLS, tls: trusted, password: "wrong-password-9",
			kind: neterr.Auth, words: []string{"refused the user name or password for support@acme.com"}},
		{name: "wrong password TLS", server: implicitTLS, security: model.SecurityTLS, tls: trusted, password: "wrong-password-9",
			kind: neterr.Auth, words: []string{"refused the user name or password for support@acme.com"}},
		{name: "server quotes the password", server: withSTARTTLS, security: model.SecuritySTARTTLS, tls: trusted, password: echoPassword,
			kind: neterr.Auth, words: []string{`(it said "No user with password [redacted]")`}},
		{name: "STARTTLS not offered", server: noSTARTTLS, security: model.SecuritySTARTTLS, tls: trusted, kind: neterr.TLSFailed,
			words: []string{"does not offer STARTTLS", "SMTPS is usually 465"}},
		{name: "TLS to a plain port", server: withSTARTTLS, security: model.SecurityTLS, tls: trusted, kind: neterr.TLSFailed,
			words: []string{"did not answer in TLS", "choose STARTTLS"}},
		{name: "no sign-in without TLS", server: withSTARTTLS, security: model.SecurityNone, kind: neterr.Protocol,
			words: []string{"does not offer sign-in on this connection"}},
		{name: "closed port", port: closedPort(t), security: model.SecurityTLS, kind: neterr.Refused,
			words: []string{"refused the connection: check the host and port (SMTPS is usually 465"}},
		{name: "plain text to another host", server: plainAuth, security: model.SecurityNone, host: "smtp.acme.com", kind: neterr.Insecure,
			words: []string{"Plain text to the SMTP server at smtp.acme.com:", "choose TLS or STARTTLS"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			port, rec := tt.port, (*recorder)(nil)
			if port == 0 {
				port, rec = startServer(t, tt.server, cert.Server)
			}
			cfg := sender.Config{Host: "127.0.0.1", Port: port, Security: tt.security, User: testUser, Password: testPassword, TLSConfig: tt.tls}
			if tt.host != "" {
				cfg.Host = tt.host
			}
			if tt.user == "-" {
				cfg.User, cfg.Password = "", ""
			}
			if tt.password != "" {
				cfg.Password = tt.password
			}
			r, err := sender.Check(context.Background(), cfg)
			if !tt.ok {
				neterrtest.WantProblem(t, err, tt.kind, cfg.Password, tt.words...)
				if rec != nil && tt.security != model.SecurityNone {
					if auths, _, _ := rec.counts(); slices.Contains(auths, false) {
						t.Error("the client sent AUTH over plain text although TLS was asked for")
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			tt.want.User = cfg.User
			if !slices.Equal(r.AuthMechanisms, tt.want.AuthMechanisms) || r.TLS != tt.want.TLS || r.Authenticated != tt.want.Authenticated || r.User != tt.want.User {
				t.Errorf("report = %+v, want %+v", r, tt.want)
			}
			auths, okCount, _ := rec.counts()
			if tt.want.Authenticated && okCount != 1 {
				t.Errorf("server saw %d successful sign-ins, want 1", okCount)
			}
			if tt.security != model.SecurityNone && slices.Contains(auths, false) {
				t.Error("the client sent AUTH over plain text although TLS was asked for")
			}
		})
	}
}

func TestCheckSandbox(t *testing.T) {
	t.Parallel()
	sb, err := sandbox.Start(context.Background(), sandbox.Options{Tickets: 5})
	if err != nil {
		t.Fatalf("start sandbox: %v", err)
	}
	t.Cleanup(func() { _ = sb.Close() })
	info := sb.Info()
	host, p, _ := net.SplitHostPort(info.SMTPAddr)
	port, _ := strconv.Atoi(p)
	cfg := sender.Config{Host: host, Port: port, Security: model.SecurityNone, User: info.SMTPUser, Password: info.SMTPPassword}

	r, err := sender.Check(context.Background(), cfg)
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	want := "Signed in to the SMTP server as support@acme.com in plain text (this computer only) (it offers PLAIN)."
	if !r.Authenticated || r.TLS != "none" || r.Summary() != want {
		t.Errorf("report %+v, summary %q, want %q", r, r.Summary(), want)
	}

	cfg.Password = "wrong-" + info.SMTPPassword
	_, err = sender.Check(context.Background(), cfg)
	neterrtest.WantProblem(t, err, neterr.Auth, cfg.Password, "The SMTP server at "+info.SMTPAddr+" refused the user name or password for support@acme.com")
	if sent := sb.SentMail(); len(sent) != 0 {
		t.Errorf("the sandbox accepted %d messages; Check must never send mail", len(sent))
	}
}

func TestCheckCancelled(t *testing.T) {
	t.Parallel()
	port, _ := startServer(t, plainAuth, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := sender.Check(ctx, sender.Config{Host: "127.0.0.1", Port: port, Security: model.SecurityNone, User: testUser, Password: testPassword})
	neterrtest.WantProblem(t, err, neterr.Other, testPassword, "cancelled")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want it to wrap context.Canceled", err)
	}
}

func TestSummary(t *testing.T) {
	t.Parallel()
	tests := []struct {
		r    sender.Report
		want string
	}{
		{sender.Report{User: "support@acme.com", TLS: "STARTTLS", AuthMechanisms: []string{"PLAIN", "LOGIN"}, Authenticated: true},
			"Signed in to the SMTP server as support@acme.com over STARTTLS (it offers PLAIN, LOGIN)."},
		{sender.Report{TLS: "TLS"}, "Connected to the SMTP server over TLS without signing in, as no user name is set (it offers no sign-in methods)."},
	}
	for _, tt := range tests {
		if got := tt.r.Summary(); got != tt.want {
			t.Errorf("Summary() = %q, want %q", got, tt.want)
		}
	}
}
