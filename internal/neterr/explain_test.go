package neterr_test

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"servicedesk/internal/neterr"
	"servicedesk/internal/neterr/neterrtest"
)

// serve accepts connections on 127.0.0.1:0 and hands each to handle; it
// returns the address.
func serve(t *testing.T, ln net.Listener, handle func(net.Conn)) string {
	t.Helper()
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer func() { _ = c.Close() }()
				handle(c)
			}()
		}
	}()
	return ln.Addr().String()
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// tlsServer serves TLS with cfg and a greeting line, as an IMAPS server would.
func tlsServer(t *testing.T, cfg *tls.Config) string {
	return serve(t, tls.NewListener(listen(t), cfg), func(c net.Conn) {
		_, _ = fmt.Fprint(c, "* OK ready\r\n")
		_, _ = c.Read(make([]byte, 1))
	})
}

// plainServer greets in plain text, as an IMAP port does.
func plainServer(t *testing.T) string {
	return serve(t, listen(t), func(c net.Conn) {
		_, _ = fmt.Fprint(c, "* OK IMAP ready\r\n")
		_, _ = c.Read(make([]byte, 1))
	})
}

// silentServer accepts and never says anything.
func silentServer(t *testing.T) string {
	return serve(t, listen(t), func(c net.Conn) { _, _ = c.Read(make([]byte, 1)) })
}

func closedPort(t *testing.T) string {
	ln := listen(t)
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

func dialTLS(addr string, cfg *tls.Config) error {
	d := tls.Dialer{NetDialer: &net.Dialer{Timeout: 10 * time.Second}, Config: cfg}
	c, err := d.DialContext(context.Background(), "tcp", addr)
	if err == nil {
		_ = c.Close()
	}
	return err
}

func TestExplainRealErrors(t *testing.T) {
	t.Parallel()
	good := neterrtest.NewCert(t, time.Time{}, time.Time{})
	expired := neterrtest.NewCert(t, time.Now().Add(-48*time.Hour), time.Now().Add(-24*time.Hour))
	modern := good.Server.Clone()
	modern.MinVersion = tls.VersionTLS13

	tests := []struct {
		name  string
		err   func(t *testing.T) (string, error) // the address and the real error about it
		kind  neterr.Kind
		words []string // the sentence must contain each
	}{
		{"closed port", func(t *testing.T) (string, error) {
			addr := closedPort(t)
			_, err := net.Dial("tcp", addr)
			return addr, err
		}, neterr.Refused, []string{"refused the connection", "check the host and port", "IMAPS is usually 993"}},
		{"unknown authority", func(t *testing.T) (string, error) {
			addr := tlsServer(t, good.Server)
			return addr, dialTLS(addr, &tls.Config{ServerName: "localhost"})
		}, neterr.TLSUntrusted, []string{"is not trusted", "signed by an unknown authority", "ask your mail admin"}},
		{"wrong host name", func(t *testing.T) (string, error) {
			addr := tlsServer(t, good.Server)
			return addr, dialTLS(addr, &tls.Config{ServerName: "mail.acme.com", RootCAs: good.Roots})
		}, neterr.TLSUntrusted, []string{"is not trusted", "it is for localhost, 127.0.0.1, not mail.acme.com"}},
		{"expired", func(t *testing.T) (string, error) {
			addr := tlsServer(t, expired.Server)
			return addr, dialTLS(addr, &tls.Config{ServerName: "localhost", RootCAs: expired.Roots})
		}, neterr.TLSUntrusted, []string{"has expired or is not valid yet"}},
		{"TLS to a plain port", func(t *testing.T) (string, error) {
			addr := plainServer(t)
			return addr, dialTLS(addr, &tls.Config{ServerName: "localhost"})
		}, neterr.TLSFailed, []string{"did not answer in TLS", "choose STARTTLS"}},
		{"handshake failure", func(t *testing.T) (string, error) {
			addr := tlsServer(t, modern)
			return addr, dialTLS(addr, &tls.Config{ServerName: "localhost", RootCAs: good.Roots, MaxVersion: tls.VersionTLS12})
		}, neterr.TLSFailed, []string{"TLS handshake", "failed"}},
		{"host not found", func(t *testing.T) (string, error) {
			addr := "mail.nosuchhost.invalid:993"
			_, err := net.Dial("tcp", addr)
			return addr, err
		}, neterr.DNS, []string{"mail.nosuchhost.invalid", "could not be"}},
		{"read deadline", func(t *testing.T) (string, error) {
			addr := silentServer(t)
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = c.Close() }()
			_ = c.SetReadDeadline(time.Now())
			_, err = c.Read(make([]byte, 1))
			return addr, err
		}, neterr.Timeout, []string{"did not answer in time", "firewall"}},
		{"context deadline", func(t *testing.T) (string, error) {
			ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
			defer cancel()
			addr := silentServer(t)
			_, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
			return addr, err
		}, neterr.Timeout, []string{"did not answer in time"}},
		{"cancelled", func(t *testing.T) (string, error) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			addr := silentServer(t)
			_, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
			return addr, err
		}, neterr.Other, []string{"was cancelled"}},
		{"closed by server", func(t *testing.T) (string, error) {
			addr := serve(t, listen(t), func(net.Conn) {})
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = c.Close() }()
			_, err = c.Read(make([]byte, 1))
			return addr, err
		}, neterr.Protocol, []string{"closed the connection unexpectedly"}},
		{"anything else", func(t *testing.T) (string, error) {
			return "mail.acme.com:993", errors.New("something odd")
		}, neterr.Other, []string{"Could not talk to the IMAP server at mail.acme.com:993 (connect: something odd)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			addr, cause := tt.err(t)
			if cause == nil {
				t.Fatal("the setup produced no error")
			}
			err := neterr.Explain(fmt.Errorf("connect: %w", cause), "IMAP", addr)
			var p *neterr.Problem
			if !errors.As(err, &p) {
				t.Fatalf("Explain returned %T, want *neterr.Problem", err)
			}
			if p.Kind != tt.kind {
				t.Errorf("kind = %v, want %v (cause: %v)", p.Kind, tt.kind, cause)
			}
			if !errors.Is(err, cause) {
				t.Errorf("the problem does not wrap its cause %v", cause)
			}
			t.Logf("%v: %s", p.Kind, p.Sentence)
			checkSentence(t, p.Sentence, addr, tt.words...)
		})
	}
}

// checkSentence asserts one sentence that names the address (or host) and
// contains words.
func checkSentence(t *testing.T, s, addr string, words ...string) {
	t.Helper()
	host, _, _ := net.SplitHostPort(addr)
	if !strings.Contains(s, addr) && !strings.Contains(s, host) {
		t.Errorf("sentence does not name %s: %q", addr, s)
	}
	for _, w := range words {
		if !strings.Contains(s, w) {
			t.Errorf("sentence lacks %q: %q", w, s)
		}
	}
	if !strings.HasSuffix(s, ".") || strings.Contains(s, "\n") || strings.Contains(strings.TrimSuffix(s, "."), ". ") {
		t.Errorf("not one sentence: %q", s)
	}
}

func TestExplainKeepsProblemsAndNil(t *testing.T) {
	t.Parallel()
	if err := neterr.Explain(nil, "IMAP", "a:1"); err != nil {
		t.Errorf("Explain(nil) = %v", err)
	}
	p := neterr.AuthRefused("IMAP", "a:1", "u", "", nil)
	if got := neterr.Explain(fmt.Errorf("login: %w", p), "IMAP", "a:1"); got != p {
		t.Errorf("Explain(wrapped problem) = %v, want the problem itself", got)
	}
}
