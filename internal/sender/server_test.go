package sender_test

import (
	"crypto/tls"
	"errors"
	"io"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

const (
	testUser     = "support@acme.com"
	testPassword = "s3cret-pass-123"
	echoPassword = "echo-me-456"
)

// recorder is a go-smtp backend that records what clients did: sign-ins,
// whether they were over TLS, and any mail transaction (which Check must
// never start).
type recorder struct {
	mu       sync.Mutex
	auths    []bool // one entry per AUTH attempt: was the connection TLS?
	authedOK int
	mails    int // MAIL, RCPT and DATA commands
}

func (r *recorder) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &recSession{r: r, conn: c}, nil
}

func (r *recorder) counts() (auths []bool, ok, mails int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bool(nil), r.auths...), r.authedOK, r.mails
}

type recSession struct {
	r    *recorder
	conn *smtp.Conn
}

var _ smtp.AuthSession = (*recSession)(nil)

func (s *recSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *recSession) Auth(mech string) (sasl.Server, error) {
	_, isTLS := s.conn.TLSConnectionState()
	s.r.mu.Lock()
	s.r.auths = append(s.r.auths, isTLS)
	s.r.mu.Unlock()
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if password == echoPassword { // a careless server that quotes what it got
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "No user with password " + password}
		}
		if username != testUser || password != testPassword {
			return smtp.ErrAuthFailed
		}
		s.r.mu.Lock()
		s.r.authedOK++
		s.r.mu.Unlock()
		return nil
	}), nil
}

func (s *recSession) mail() error {
	s.r.mu.Lock()
	s.r.mails++
	s.r.mu.Unlock()
	return errors.New("test server takes no mail")
}

func (s *recSession) Mail(string, *smtp.MailOptions) error { return s.mail() }
func (s *recSession) Rcpt(string, *smtp.RcptOptions) error { return s.mail() }
func (s *recSession) Data(io.Reader) error                 { return s.mail() }
func (s *recSession) Reset()                               {}
func (s *recSession) Logout() error                        { return nil }

// serverKind says how a test server secures its connections.
type serverKind int

const (
	plainAuth    serverKind = iota // plain text, AUTH allowed without TLS
	withSTARTTLS                   // STARTTLS offered; AUTH only after it
	implicitTLS                    // TLS from the first byte
	noSTARTTLS                     // plain text, no STARTTLS, AUTH allowed
)

// startServer runs a recording go-smtp server on 127.0.0.1:0 and returns its
// port and recorder. cert is used for the TLS kinds.
func startServer(t *testing.T, kind serverKind, cert *tls.Config) (int, *recorder) {
	t.Helper()
	rec := &recorder{}
	srv := smtp.NewServer(rec)
	srv.Domain = "smtp.test"
	srv.ReadTimeout, srv.WriteTimeout = time.Minute, time.Minute
	srv.AllowInsecureAuth = kind == plainAuth || kind == noSTARTTLS
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	switch kind {
	case withSTARTTLS:
		srv.TLSConfig = cert
	case implicitTLS:
		srv.TLSConfig = cert
		ln = tls.NewListener(ln, cert)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln) // returns when Close closes the listener
	}()
	t.Cleanup(func() {
		_ = srv.Close()
		_ = ln.Close() // srv.Close misses a listener Serve has not registered yet
		<-done
		if _, _, mails := rec.counts(); mails != 0 {
			t.Errorf("the server got %d MAIL/RCPT/DATA commands; Check must never send mail", mails)
		}
	})
	_, p, _ := net.SplitHostPort(ln.Addr().String())
	port, _ := strconv.Atoi(p)
	return port, rec
}

func closedPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return port
}
