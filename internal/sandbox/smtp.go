package sandbox

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// SentMessage is one message the sandbox's SMTP server accepted.
type SentMessage struct {
	From string
	To   []string
	Data []byte
	At   time.Time
}

// outbox is the brand's SMTP submission server: it takes mail from the brand
// address after AUTH PLAIN and records it.
type outbox struct {
	user, password string
	deliver        func(m SentMessage) // called for each accepted message

	mu   sync.Mutex
	sent []SentMessage
}

func (o *outbox) messages() []SentMessage {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]SentMessage(nil), o.sent...)
}

// NewSession starts one SMTP conversation.
func (o *outbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &smtpSession{o: o}, nil }

type smtpSession struct {
	o      *outbox
	authed bool
	from   string
	to     []string
}

var _ smtp.AuthSession = (*smtpSession)(nil)

func (s *smtpSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *smtpSession) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != s.o.user || password != s.o.password || (identity != "" && identity != username) {
			return smtp.ErrAuthFailed
		}
		s.authed = true
		return nil
	}), nil
}

func (s *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if !s.authed {
		return smtp.ErrAuthRequired
	}
	if !strings.EqualFold(from, BrandAddress) {
		return &smtp.SMTPError{Code: 553, EnhancedCode: smtp.EnhancedCode{5, 7, 1},
			Message: fmt.Sprintf("Sender address rejected: not owned by user %s", s.o.user)}
	}
	s.from = from
	return nil
}

func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if !strings.Contains(to, "@") {
		return &smtp.SMTPError{Code: 501, EnhancedCode: smtp.EnhancedCode{5, 1, 3}, Message: "Bad recipient address syntax"}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *smtpSession) Data(r io.Reader) error {
	if s.from == "" || len(s.to) == 0 {
		return errors.New("need MAIL and RCPT first")
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("read message: %w", err)
	}
	m := SentMessage{From: s.from, To: append([]string(nil), s.to...), Data: data, At: time.Now()}
	s.o.mu.Lock()
	s.o.sent = append(s.o.sent, m)
	s.o.mu.Unlock()
	if s.o.deliver != nil {
		s.o.deliver(m)
	}
	return nil
}

func (s *smtpSession) Reset() { s.from, s.to = "", nil }

func (s *smtpSession) Logout() error { return nil }

func newSMTPServer(o *outbox) *smtp.Server {
	srv := smtp.NewServer(o)
	srv.Domain = "smtp.acme.com"
	srv.AllowInsecureAuth = true // loopback only
	srv.ReadTimeout = time.Minute
	srv.WriteTimeout = time.Minute
	srv.MaxMessageBytes = 25 << 20
	srv.MaxRecipients = 50
	return srv
}

// isBrandRecipient reports whether addr is the brand address, with or without a +key.
func isBrandRecipient(addr string) bool {
	addr = strings.ToLower(strings.Trim(addr, "<> "))
	local, domain, ok := strings.Cut(addr, "@")
	if !ok || domain != brandDomain {
		return false
	}
	base, _, _ := strings.Cut(local, "+")
	return base == "support"
}
