// Package mailbox owns the app's IMAP connections to the brand's support
// mailbox: connecting and signing in with the configured security (TLS,
// STARTTLS, or plain text to this computer only), and the "Test connection"
// check, the sync of folders into the store, and watching a folder for news
// (IDLE, or NOOP polling) while the app runs. It leaves the
// sentences for connection problems to neterr, parsing mail to mailparse and
// storing it to store.
package mailbox

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"servicedesk/internal/model"
	"servicedesk/internal/neterr"
)

// service names IMAP in the sentences of neterr.
const service = "IMAP"

// DefaultTimeout bounds connecting and signing in when Config.Timeout is 0.
const DefaultTimeout = 20 * time.Second

// Config says how to reach and sign in to a mailbox.
type Config struct {
	Host     string
	Port     int
	Security string // model.SecurityTLS, model.SecuritySTARTTLS or model.SecurityNone
	User     string
	Password string
	// Timeout bounds connecting and signing in (and, for Check, the whole
	// check; for a Watcher, every reply it waits for); 0 means DefaultTimeout.
	Timeout time.Duration
	// TLSConfig is used for TLS and STARTTLS; nil means the system's roots.
	// An empty ServerName is set to Host.
	TLSConfig *tls.Config

	// unilateral, when set, hears what the server says unasked (new mail,
	// expunges, flag changes): the Watcher sets it.
	unilateral *imapclient.UnilateralDataHandler
}

func (c Config) addr() string { return neterr.Addr(c.Host, c.Port) }

func (c Config) timeout() time.Duration {
	if c.Timeout <= 0 {
		return DefaultTimeout
	}
	return c.Timeout
}

func (c Config) tlsConfig() *tls.Config { return neterr.TLSConfig(c.TLSConfig, c.Host) }

// Dial connects to the mailbox per c.Security and signs in. Errors are
// *neterr.Problem. The caller owns the client (Logout, then Close). Plain
// text is refused, without dialling, to a host that is not this computer.
func Dial(ctx context.Context, c Config) (*imapclient.Client, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout())
	defer cancel()
	client, stop, err := open(ctx, c)
	if err != nil {
		return nil, err
	}
	stop()
	if ctx.Err() != nil { // the watch closed the connection just after signing in
		_ = client.Close()
		return nil, fail(ctx, c, "signing in", ctx.Err())
	}
	return client, nil
}

// open dials, secures, waits for the greeting and signs in, all bounded by
// ctx: when ctx ends the connection is closed. The returned stop ends that
// watch; call it before using the client beyond ctx.
func open(ctx context.Context, c Config) (*imapclient.Client, func(), error) {
	if err := neterr.CheckSettings(service, c.Host, c.Port, c.Security); err != nil {
		return nil, nil, err
	}
	raw, err := (&net.Dialer{}).DialContext(ctx, "tcp", c.addr())
	if err != nil {
		return nil, nil, fail(ctx, c, "connecting", err)
	}
	stop := neterr.CloseOnDone(ctx, raw)
	client, err := secure(ctx, c, raw)
	if err != nil {
		stop()
		_ = raw.Close()
		return nil, nil, err
	}
	if err := client.WaitGreeting(); err != nil {
		stop()
		_ = client.Close()
		return nil, nil, fail(ctx, c, "waiting for the greeting", err)
	}
	if err := client.Login(c.User, c.Password).Wait(); err != nil {
		stop()
		_ = client.Close()
		var imapErr *imap.Error
		if errors.As(err, &imapErr) && imapErr.Type == imap.StatusResponseTypeNo {
			return nil, nil, neterr.AuthRefused(service, c.addr(), c.User, imapErr.Text, fmt.Errorf("login: %w", err), c.Password)
		}
		return nil, nil, fail(ctx, c, "signing in", err)
	}
	return client, stop, nil
}

// secure wraps raw per the security setting and returns the client on it.
func secure(ctx context.Context, c Config, raw net.Conn) (*imapclient.Client, error) {
	opts := &imapclient.Options{UnilateralDataHandler: c.unilateral}
	switch c.Security {
	case model.SecurityTLS:
		cfg := c.tlsConfig()
		if cfg.NextProtos == nil {
			cfg.NextProtos = []string{"imap"}
		}
		conn := tls.Client(raw, cfg)
		if err := conn.HandshakeContext(ctx); err != nil {
			return nil, fail(ctx, c, "TLS handshake", err)
		}
		return imapclient.New(conn, opts), nil
	case model.SecuritySTARTTLS:
		opts.TLSConfig = c.tlsConfig()
		client, err := imapclient.NewStartTLS(raw, opts)
		var imapErr *imap.Error
		if errors.As(err, &imapErr) {
			return nil, neterr.NoSTARTTLS(service, c.addr(), imapErr.Text, fmt.Errorf("starttls: %w", err), c.Password)
		}
		if err != nil {
			return nil, fail(ctx, c, "STARTTLS", err)
		}
		return client, nil
	default: // none: CheckSettings allowed it for loopback only
		return imapclient.New(raw, opts), nil
	}
}

// fail turns an error during step into a *neterr.Problem. When ctx has
// ended, the cause is the deadline or the cancel, not the closed connection.
func fail(ctx context.Context, c Config, step string, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
		err = fmt.Errorf("%w (%w)", ctxErr, err)
	}
	err = neterr.Explain(fmt.Errorf("%s: %w", step, err), service, c.addr())
	var p *neterr.Problem
	if errors.As(err, &p) && p.Kind == neterr.Other && ctx.Err() == nil {
		// Not a network error: the server sent something the client could not use.
		var imapErr *imap.Error
		reply := p.Err.Error()
		if errors.As(err, &imapErr) {
			reply = string(imapErr.Type) + " " + imapErr.Text
		}
		return neterr.Unexpected(service, c.addr(), step, reply, p.Err, c.Password)
	}
	if p != nil {
		p.Sentence = neterr.Redact(p.Sentence, c.Password) // the cause may quote the server
	}
	return err
}
