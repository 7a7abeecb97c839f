// Package sender owns the app's connections to a sending identity's SMTP
// server: connecting with the configured security (TLS, STARTTLS, or plain
// text to this computer only), signing in, the "Test connection" check,
// and sending one message (Send) with errors that say whether it left. It
// leaves building the message to compose, the durable queue to outbox and
// the sentences for connection problems to neterr.
package sender

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"servicedesk/internal/model"
	"servicedesk/internal/neterr"
)

// service names SMTP in the sentences of neterr.
const service = "SMTP"

// DefaultTimeout is Config.Timeout when it is 0.
const DefaultTimeout = 20 * time.Second

// supportedMechanisms are the SASL mechanisms Check and Send sign in with, preferred first.
var supportedMechanisms = []string{sasl.Plain, sasl.Login}

// Config says how to reach and sign in to an SMTP server.
type Config struct {
	Host     string
	Port     int
	Security string // model.SecurityTLS, model.SecuritySTARTTLS or model.SecurityNone
	User     string // "" means: do not sign in
	Password string
	// Timeout bounds a whole Check; in Send, connecting and signing in, each
	// command, and each write of the message (see AnswerTimeout for the
	// answer to its end). 0 means DefaultTimeout.
	Timeout time.Duration
	// TLSConfig is used for TLS and STARTTLS; nil means the system's roots.
	// An empty ServerName is set to Host.
	TLSConfig *tls.Config
}

// Report is what "Test connection" found on an SMTP server.
type Report struct {
	User           string   `json:"user"`
	TLS            string   `json:"tls"`             // "TLS", "STARTTLS" or "none"
	AuthMechanisms []string `json:"auth_mechanisms"` // as announced after EHLO (over TLS when used)
	Authenticated  bool     `json:"authenticated"`
}

func (c Config) addr() string { return neterr.Addr(c.Host, c.Port) }

func (c Config) tlsConfig() *tls.Config { return neterr.TLSConfig(c.TLSConfig, c.Host) }

// Check connects, says EHLO, secures the connection as configured (never
// falling back to plain text), signs in with the user and password and says
// QUIT. It never sends MAIL, RCPT or DATA. Errors are *neterr.Problem.
func Check(ctx context.Context, c Config) (Report, error) {
	timeout := c.timeout()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	s, err := dial(ctx, c, timeout)
	if err != nil {
		return Report{}, err
	}
	defer s.stop()
	defer func() { _ = s.client.Close() }() // after QUIT this changes nothing
	if c.User != "" {
		if err := signIn(s.client, c, s.report.AuthMechanisms); err != nil {
			return Report{}, fail(ctx, c, "signing in", err)
		}
		s.report.Authenticated = true
	}
	if err := s.client.Quit(); err != nil {
		return Report{}, fail(ctx, c, "saying QUIT", err)
	}
	return s.report, nil
}

func (c Config) timeout() time.Duration {
	if c.Timeout <= 0 {
		return DefaultTimeout
	}
	return c.Timeout
}

// session is a connection that has said EHLO over the configured security.
type session struct {
	client *smtp.Client
	conn   *watchedConn // under TLS, if any
	report Report       // User, TLS and AuthMechanisms
	stop   func()       // stops closing conn when the dial's context ends
}

// dial connects, secures the connection as configured (never falling back
// to plain text) and says EHLO; commands then time out after timeout. Until
// s.stop is called, the connection is closed when ctx ends. Check and Send
// both start here. Errors are *neterr.Problem.
func dial(ctx context.Context, c Config, timeout time.Duration) (*session, error) {
	if err := neterr.CheckSettings(service, c.Host, c.Port, c.Security); err != nil {
		return nil, err
	}
	raw, err := (&net.Dialer{}).DialContext(ctx, "tcp", c.addr())
	if err != nil {
		return nil, fail(ctx, c, "connecting", err)
	}
	conn := &watchedConn{Conn: raw}
	stop := neterr.CloseOnDone(ctx, conn)
	client, r, err := open(ctx, c, conn)
	if err == nil {
		client.CommandTimeout = timeout
		// Hello reads the greeting and says EHLO (over TLS after STARTTLS),
		// so their errors, and a failed handshake, are reported here.
		if err = client.Hello("localhost"); err != nil {
			err = fail(ctx, c, "saying hello", err)
		}
	}
	if err != nil {
		stop()
		_ = conn.Close()
		return nil, err
	}
	if ok, mechs := client.Extension("AUTH"); ok {
		r.AuthMechanisms = strings.Fields(strings.ToUpper(mechs))
	}
	return &session{client: client, conn: conn, report: r, stop: stop}, nil
}

// open starts the SMTP client on raw per the security setting.
func open(ctx context.Context, c Config, raw net.Conn) (*smtp.Client, Report, error) {
	r := Report{User: c.User}
	switch c.Security {
	case model.SecurityTLS:
		r.TLS = "TLS"
		conn := tls.Client(raw, c.tlsConfig())
		if err := conn.HandshakeContext(ctx); err != nil {
			return nil, r, fail(ctx, c, "TLS handshake", err)
		}
		return smtp.NewClient(conn), r, nil
	case model.SecuritySTARTTLS:
		r.TLS = "STARTTLS"
		client, err := smtp.NewClientStartTLS(raw, c.tlsConfig())
		var smtpErr *smtp.SMTPError
		switch {
		case err != nil && strings.Contains(err.Error(), "doesn't support STARTTLS"):
			// go-smtp's own words when EHLO lacks STARTTLS; never go on in plain text.
			return nil, r, neterr.NoSTARTTLS(service, c.addr(), "", fmt.Errorf("starttls: %w", err))
		case errors.As(err, &smtpErr) && smtpErr.Code == 454:
			return nil, r, neterr.NoSTARTTLS(service, c.addr(), smtpErr.Message, fmt.Errorf("starttls: %w", err), c.Password)
		case err != nil:
			return nil, r, fail(ctx, c, "starting TLS", err)
		}
		return client, r, nil
	default: // none: CheckSettings allowed it for loopback only
		r.TLS = "none"
		return smtp.NewClient(raw), r, nil
	}
}

// signIn authenticates with the first supported mechanism the server offers.
func signIn(client *smtp.Client, c Config, offered []string) error {
	var auth sasl.Client
	for _, m := range supportedMechanisms {
		if contains(offered, m) {
			if m == sasl.Plain {
				auth = sasl.NewPlainClient("", c.User, c.Password)
			} else {
				auth = sasl.NewLoginClient(c.User, c.Password)
			}
			break
		}
	}
	if auth == nil {
		return neterr.NoAuthMechanism(service, c.addr(), offered, supportedMechanisms)
	}
	err := client.Auth(auth)
	var smtpErr *smtp.SMTPError
	if errors.As(err, &smtpErr) && isAuthRefusal(smtpErr) {
		return neterr.AuthRefused(service, c.addr(), c.User, smtpErr.Message, fmt.Errorf("auth: %w", err), c.Password)
	}
	return err
}

// isAuthRefusal reports whether a reply to AUTH means wrong credentials
// (535, 534, or a 5.7.x security status), not a passing server fault.
func isAuthRefusal(e *smtp.SMTPError) bool {
	return e.Code == 535 || e.Code == 534 || e.Code/100 == 5 && e.EnhancedCode[0] == 5 && e.EnhancedCode[1] == 7
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// fail turns an error during step into a *neterr.Problem. When ctx has
// ended, the cause is the deadline or the cancel, not the closed connection.
func fail(ctx context.Context, c Config, step string, err error) error {
	var p *neterr.Problem
	if errors.As(err, &p) {
		return p
	}
	if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
		err = fmt.Errorf("%w (%w)", ctxErr, err)
	}
	var smtpErr *smtp.SMTPError
	if errors.As(err, &smtpErr) && ctx.Err() == nil {
		return neterr.Unexpected(service, c.addr(), step, fmt.Sprintf("%d %s", smtpErr.Code, smtpErr.Message), fmt.Errorf("%s: %w", step, err), c.Password)
	}
	err = neterr.Explain(fmt.Errorf("%s: %w", step, err), service, c.addr())
	if errors.As(err, &p) {
		p.Sentence = neterr.Redact(p.Sentence, c.Password) // the cause may quote the server
	}
	return err
}

// Summary says in one sentence what the check found, e.g. "Signed in to the
// SMTP server as support@acme.com over STARTTLS (it offers PLAIN, LOGIN)."
func (r Report) Summary() string {
	over := map[string]string{"TLS": "over TLS", "STARTTLS": "over STARTTLS", "none": "in plain text (this computer only)"}[r.TLS]
	if over == "" {
		over = "with unknown security"
	}
	offers := "it offers no sign-in methods"
	if len(r.AuthMechanisms) > 0 {
		offers = "it offers " + strings.Join(r.AuthMechanisms, ", ")
	}
	if r.Authenticated {
		return fmt.Sprintf("Signed in to the SMTP server as %s %s (%s).", r.User, over, offers)
	}
	return fmt.Sprintf("Connected to the SMTP server %s without signing in, as no user name is set (%s).", over, offers)
}
