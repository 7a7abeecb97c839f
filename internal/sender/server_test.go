package sender_test

import (
	"crypto/tls"
	"errors"
	"io"
	"log"
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
	t.Cleanup(func() { // runs after serve's cleanup has stopped the server
		if _, _, mails := rec.counts(); mails != 0 {
			t.Errorf("the server got %d MAIL/RCPT/DATA commands; Check must never send mail", mails)
		}
	})
	return serve(t, rec, kind, cert), rec
}

// serve runs a go-smtp server for backend on 127.0.0.1:0 until the test
// ends and returns its port. cert is used for the TLS kinds; configure, if
// given, adjusts the server before it starts.
func serve(t testing.TB, backend smtp.Backend, kind serverKind, cert *tls.Config, configure ...func(*smtp.Server)) int {
	t.Helper()
	srv := smtp.NewServer(backend)
	srv.Domain = "smtp.test"
	srv.ReadTimeout, srv.WriteTimeout = time.Minute, time.Minute
	srv.AllowInsecureAuth = kind == plainAuth || kind == noSTARTTLS
	srv.ErrorLog = log.New(io.Discard, "", 0) // the drops tests make on purpose
	for _, f := range configure {
		f(srv)
	}
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
	})
	_, p, _ := net.SplitHostPort(ln.Addr().String())
	port, _ := strconv.Atoi(p)
	return port
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

// mailServer is a go-smtp backend that takes mail as a submission server
// does (after AUTH PLAIN) and records, in order, what its clients did. Its
// hooks inject the faults of real servers and networks; nil hooks accept.
// Set the hooks before the server starts.
type mailServer struct {
	mail func(from string) error // the answer to MAIL FROM
	rcpt func(to string) error   // the answer to RCPT TO
	// data replaces reading the message to its end and taking it; c is
	// the connection, to drop it.
	data func(s *mailServer, c net.Conn, r io.Reader) error
	// afterTaken, if set, runs on the connection once a message was taken
	// (after the server's 250), e.g. to drop it before QUIT.
	afterTaken func(c net.Conn)

	mu       sync.Mutex
	events   []string // "MAIL from", "RCPT to", "DATA", "END" (read to its end), and notes
	received [][]byte // messages read to their end, whatever the answer
	taken    [][]byte // messages answered with 250
	auths    []bool   // one per successful AUTH: was the connection TLS?
	sessions sync.WaitGroup
}

// note adds an event, e.g. the client's view ("before-data") between the server's.
func (m *mailServer) note(event string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.events = append(m.events, event)
}

// readToEnd reads the message to its end and records it as received.
func (m *mailServer) readToEnd(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		m.note("DATA cut: " + err.Error())
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.events = append(m.events, "END")
	m.received = append(m.received, b)
	return b, nil
}

// seen waits until every session has ended and returns what the server saw.
func (m *mailServer) seen() (events []string, received, taken [][]byte, auths []bool) {
	m.sessions.Wait()
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.events...), append([][]byte(nil), m.received...),
		append([][]byte(nil), m.taken...), append([]bool(nil), m.auths...)
}

func (m *mailServer) NewSession(c *smtp.Conn) (smtp.Session, error) {
	m.sessions.Add(1)
	return &mailSession{m: m, conn: c}, nil
}

type mailSession struct {
	m      *mailServer
	conn   *smtp.Conn
	authed bool
	taken  bool
}

var _ smtp.AuthSession = (*mailSession)(nil)

func (s *mailSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *mailSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != testUser || password != testPassword {
			return smtp.ErrAuthFailed
		}
		_, isTLS := s.conn.TLSConnectionState()
		s.m.mu.Lock()
		s.m.auths = append(s.m.auths, isTLS)
		s.m.mu.Unlock()
		s.authed = true
		return nil
	}), nil
}

func (s *mailSession) Mail(from string, _ *smtp.MailOptions) error {
	if !s.authed {
		return smtp.ErrAuthRequired
	}
	s.m.note("MAIL " + from)
	if s.m.mail != nil {
		return s.m.mail(from)
	}
	return nil
}

func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.m.note("RCPT " + to)
	if s.m.rcpt != nil {
		return s.m.rcpt(to)
	}
	return nil
}

func (s *mailSession) Data(r io.Reader) error {
	s.m.note("DATA")
	if s.m.data != nil {
		if err := s.m.data(s.m, s.conn.Conn(), r); err != nil {
			return err
		}
	} else if _, err := s.m.readToEnd(r); err != nil {
		return err
	}
	s.m.mu.Lock()
	s.m.taken = append(s.m.taken, s.m.received[len(s.m.received)-1])
	s.m.mu.Unlock()
	s.taken = true
	return nil
}

// Reset runs after every message, once the server has answered it.
func (s *mailSession) Reset() {
	if s.taken && s.m.afterTaken != nil {
		s.m.afterTaken(s.conn.Conn())
	}
	s.taken = false
}

func (s *mailSession) Logout() error {
	s.m.sessions.Done()
	return nil
}

// answerAfterEnd is a data hook: it reads the whole message, then answers err.
func answerAfterEnd(err *smtp.SMTPError) func(*mailServer, net.Conn, io.Reader) error {
	return func(m *mailServer, _ net.Conn, r io.Reader) error {
		if _, rerr := m.readToEnd(r); rerr != nil {
			return rerr
		}
		return err
	}
}

// dropAfterEnd is a data hook: it reads the whole message, then drops the
// connection without an answer.
func dropAfterEnd(m *mailServer, c net.Conn, r io.Reader) error {
	if _, err := m.readToEnd(r); err != nil {
		return err
	}
	_ = c.Close()
	return errors.New("dropped after the end of the message")
}
