package sender

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync/atomic"
	"time"

	"github.com/emersion/go-smtp"

	"servicedesk/internal/neterr"
)

// AnswerTimeout bounds the wait for the server's answer to the end of a
// message. RFC 5321 (4.5.3.2.6) asks clients to wait 10 minutes, as a
// server may scan the message first: giving up sooner would turn a slow
// server into a "delivery unknown" that the agent has to resolve.
const AnswerTimeout = 10 * time.Minute

// Envelope is the SMTP envelope of a message: bare addresses
// ("support@acme.com", no display name or angle brackets).
type Envelope struct {
	From string
	To   []string // every recipient: the message's To, Cc and Bcc
}

// Stage is how far Send got when it failed.
type Stage int

// The stages of a send, in order.
const (
	StageConnect   Stage = iota + 1 // connecting, TLS, EHLO
	StageAuth                       // signing in
	StageMail                       // MAIL FROM (and checking the sender address)
	StageRcpt                       // RCPT TO (and checking the recipient addresses)
	StageData                       // the DATA command and the message, before its end was written
	StageAfterData                  // the end of the message was written: the server's answer to it
)

var stageNames = [...]string{StageConnect: "connect", StageAuth: "auth", StageMail: "mail",
	StageRcpt: "rcpt", StageData: "data", StageAfterData: "after-data"}

// String returns a short lower-case name for the stage, for logs.
func (s Stage) String() string {
	if s <= 0 || int(s) >= len(stageNames) {
		return fmt.Sprintf("stage(%d)", int(s))
	}
	return stageNames[s]
}

// SendError is why Send failed; every error Send returns is one, except the
// error of its beforeData hook, which is returned as it is. It says one of
// three things, to be asked in this order:
//
//   - Unknown(): the whole message was written but the server's answer to
//     it never came. It may have been delivered: never send it again without
//     finding out (the Sent folder, or the agent).
//   - Temporary: it was not delivered, and the same send may work later:
//     a 4xx answer, or the network (connection refused, timeout, DNS, a
//     connection lost before the end of the message), or ctx ended before
//     the end of the message was written.
//   - neither: it was not delivered and will not be as it stands: a 5xx
//     answer, a refused password, an untrusted certificate, settings that
//     cannot work, an envelope or message that cannot be sent.
type SendError struct {
	Stage     Stage
	Temporary bool     // not delivered; trying again later may work (never true when Unknown)
	Code      int      // the server's reply code (421, 550, ...); 0 when it gave none
	Refused   []string // at StageRcpt, the recipients the server refused
	Sentence  string   // what failed and what to do, in one line, without the password
	Err       error    // the cause; a *neterr.Problem when a server or the network is to blame
}

// Error returns the sentence.
func (e *SendError) Error() string { return e.Sentence }

// Unwrap returns the cause.
func (e *SendError) Unwrap() error { return e.Err }

// Unknown reports whether the message may have been delivered: its end was
// written and the server neither took nor refused it (no answer, or one
// that is neither 2xx, 4xx nor 5xx).
func (e *SendError) Unknown() bool {
	return e.Stage == StageAfterData && e.Code/100 != 4 && e.Code/100 != 5
}

// Send delivers raw (an RFC 5322 message, lines ending in CRLF; a bare LF
// is sent as CRLF) to the server: it connects and signs in as Check does,
// then says MAIL FROM, RCPT TO for each recipient and DATA, one message per
// connection. beforeData is called after the server accepted MAIL FROM and
// every RCPT TO, just before the DATA command; if it returns an error Send
// says QUIT and returns that error (the server never sees DATA). The outbox
// uses it to record "the server may now receive this" durably. A nil
// beforeData is not called.
//
// Every recipient must be accepted: if the server refuses one, the message
// goes to no one (a reply must reach the customer, and a copy that reached
// only some would leave the outbox neither sent nor failed). A 5xx refusal
// of any recipient is permanent, naming every recipient refused with a
// 5xx; otherwise a 4xx is temporary.
//
// Errors are *SendError (see there), but for beforeData's own error. When
// ctx ends, Send stops at once and the error wraps ctx.Err(); ending it
// after the end of the message was written leaves the outcome unknown, so
// ctx should not carry a deadline of its own (Config.Timeout and
// AnswerTimeout bound each step).
func Send(ctx context.Context, c Config, env Envelope, raw io.Reader, beforeData func() error) error {
	if err := env.check(); err != nil {
		return err
	}
	timeout := c.timeout()
	s, err := signedIn(ctx, c, timeout)
	if err != nil {
		return err
	}
	defer s.stop()
	defer func() { _ = s.client.Close() }() // after QUIT this changes nothing
	x := &sending{session: s, ctx: ctx, c: c, timeout: timeout}
	if err := x.mailFrom(env, raw); err != nil {
		return err
	}
	if err := x.rcptTo(env.To); err != nil {
		return err
	}
	if beforeData != nil {
		if err := beforeData(); err != nil {
			_ = s.client.Quit()
			return err
		}
	}
	return x.data(raw)
}

// signedIn dials and signs in within timeout, then leaves the connection
// to ctx alone. Errors are *SendError.
func signedIn(ctx context.Context, c Config, timeout time.Duration) (*session, error) {
	dialCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	s, err := dial(dialCtx, c, timeout)
	if err != nil {
		return nil, connectError(StageConnect, err)
	}
	if c.User != "" {
		if err := signIn(s.client, c, s.report.AuthMechanisms); err != nil {
			s.stop()
			_ = s.client.Close()
			return nil, connectError(StageAuth, fail(dialCtx, c, "signing in", err))
		}
	}
	s.stop()
	s.stop = neterr.CloseOnDone(ctx, s.conn)
	return s, nil
}

// connectError is the SendError for a *neterr.Problem before MAIL FROM. A
// reply code decides when there is one; the certificate, the password and
// the settings are permanent; the network is temporary.
func connectError(stage Stage, err error) *SendError {
	e := &SendError{Stage: stage, Sentence: err.Error(), Err: err}
	var (
		reply *smtp.SMTPError
		p     *neterr.Problem
	)
	switch {
	case errors.As(err, &reply):
		e.Code, e.Temporary = reply.Code, reply.Code/100 == 4
	case errors.As(err, &p):
		switch p.Kind {
		case neterr.Auth, neterr.TLSUntrusted, neterr.TLSFailed, neterr.Insecure:
		default:
			// A problem without a cause is the app's own verdict on the
			// settings or on what the server offers (no sign-in method).
			e.Temporary = p.Err != nil
		}
	}
	return e
}

// sending is one mail transaction on a signed-in session.
type sending struct {
	*session
	ctx     context.Context
	c       Config
	timeout time.Duration
}

// mailFrom says MAIL FROM, with SIZE when raw knows its length and
// SMTPUTF8 when an address needs it.
func (x *sending) mailFrom(env Envelope, raw io.Reader) error {
	opts := &smtp.MailOptions{}
	if l, ok := raw.(interface{ Len() int }); ok {
		opts.Size = int64(l.Len()) // lets a server refuse a message too large before it is sent
	}
	if !isASCII(env.From) || !allASCII(env.To) {
		if ok, _ := x.client.Extension("SMTPUTF8"); !ok {
			return &SendError{Stage: StageMail, Err: errors.New("the server does not offer SMTPUTF8"), Sentence: fmt.Sprintf(
				"The SMTP server at %s does not take addresses with non-ASCII characters: the message was not sent; use plain ASCII addresses.", x.c.addr())}
		}
		opts.UTF8 = true
	}
	if err := x.client.Mail(env.From, opts); err != nil {
		return x.refused(StageMail, err, func(reply string, temporary bool, cause error) *neterr.Problem {
			var r *smtp.SMTPError
			if errors.As(cause, &r) && (r.Code == 552 || r.EnhancedCode == smtp.EnhancedCode{5, 3, 4}) {
				// Too large for the SIZE announced: the message is to blame, not its sender.
				return neterr.MessageRefused(service, x.c.addr(), reply, temporary, cause, x.c.Password)
			}
			return neterr.SenderRefused(service, x.c.addr(), env.From, reply, temporary, cause, x.c.Password)
		})
	}
	return nil
}

// rcptTo says RCPT TO for every recipient and fails unless all were
// accepted: permanently if any was refused with a 5xx.
func (x *sending) rcptTo(recipients []string) error {
	var refused, later []string
	var firstRefused, firstLater *smtp.SMTPError
	for _, to := range recipients {
		err := x.client.Rcpt(to, nil)
		var reply *smtp.SMTPError
		switch {
		case err == nil:
			continue
		case !errors.As(err, &reply):
			return x.lost(StageRcpt, err)
		case reply.Code/100 == 5:
			refused = append(refused, to)
			firstRefused = firstOf(firstRefused, reply)
			continue
		}
		later = append(later, to)
		firstLater = firstOf(firstLater, reply)
		if reply.Code == 421 {
			break // the server is closing the connection
		}
	}
	switch {
	case len(refused) > 0:
		return x.refusedRcpt(refused, firstRefused, false)
	case len(later) > 0:
		return x.refusedRcpt(later, firstLater, true)
	}
	return nil
}

func firstOf(first, next *smtp.SMTPError) *smtp.SMTPError {
	if first == nil {
		return next
	}
	return first
}

func (x *sending) refusedRcpt(to []string, reply *smtp.SMTPError, temporary bool) error {
	if reply.Code != 421 {
		_ = x.client.Quit()
	}
	e := &SendError{Stage: StageRcpt, Temporary: temporary, Code: reply.Code, Refused: to,
		Err: neterr.RecipientsRefused(service, x.c.addr(), to, replyText(reply), temporary, fmt.Errorf("RCPT TO: %w", reply), x.c.Password)}
	return e.withSentence()
}

// data says DATA, writes the message and reads the server's answer to its end.
func (x *sending) data(raw io.Reader) error {
	w, err := x.client.Data()
	if err != nil {
		return x.refused(StageData, err, func(reply string, temporary bool, cause error) *neterr.Problem {
			return neterr.MessageRefused(service, x.c.addr(), reply, temporary, cause, x.c.Password)
		})
	}
	src := &source{r: raw}
	if _, err := io.Copy(deadlineWriter{w: w, conn: x.conn, timeout: x.timeout}, src); err != nil {
		// Not one byte more: it would be part of the message, and the
		// end-of-data line would make the server take a message cut short.
		// Closing the connection makes it drop what it got.
		_ = x.client.Close()
		if src.err != nil {
			return &SendError{Stage: StageData, Err: fmt.Errorf("read the message: %w", src.err), Sentence: fmt.Sprintf(
				"The message could not be read on this computer (%s): it was not sent.", oneLine(src.err.Error()))}
		}
		return x.lost(StageData, err)
	}
	x.conn.endStarts()
	_ = x.conn.SetWriteDeadline(time.Now().Add(x.timeout))
	x.client.SubmissionTimeout = AnswerTimeout
	_, err = w.CloseWithResponse()
	var reply *smtp.SMTPError
	switch {
	case err == nil:
		_ = x.client.Quit() // the server took it: nothing that fails now changes that
		return nil
	case errors.As(err, &reply):
		return x.answered(reply)
	case x.conn.endUnwritten.Load():
		return x.lost(StageData, err)
	}
	e := &SendError{Stage: StageAfterData,
		Err: neterr.SendUnknown(service, x.c.addr(), "", fmt.Errorf("end of DATA: %w", x.cause(err)))}
	return e.withSentence()
}

// answered reads the server's answer to the end of the message.
func (x *sending) answered(reply *smtp.SMTPError) error {
	switch reply.Code / 100 {
	case 2: // go-smtp wants 250; any 2xx means the server took it
		_ = x.client.Quit()
		return nil
	case 4, 5:
		temporary := reply.Code/100 == 4
		if reply.Code != 421 {
			_ = x.client.Quit()
		}
		e := &SendError{Stage: StageAfterData, Temporary: temporary, Code: reply.Code,
			Err: neterr.MessageRefused(service, x.c.addr(), replyText(reply), temporary, fmt.Errorf("end of DATA: %w", reply), x.c.Password)}
		return e.withSentence()
	}
	e := &SendError{Stage: StageAfterData, Code: reply.Code,
		Err: neterr.SendUnknown(service, x.c.addr(), replyText(reply), fmt.Errorf("end of DATA: %w", reply), x.c.Password)}
	return e.withSentence()
}

// refused is the SendError for a command's error: the server's refusal
// (built by problem; permanent for 5xx) or a lost connection.
func (x *sending) refused(stage Stage, err error, problem func(reply string, temporary bool, cause error) *neterr.Problem) error {
	var reply *smtp.SMTPError
	if !errors.As(err, &reply) {
		return x.lost(stage, err)
	}
	temporary := reply.Code/100 != 5
	if reply.Code != 421 {
		_ = x.client.Quit()
	}
	e := &SendError{Stage: stage, Temporary: temporary, Code: reply.Code,
		Err: problem(replyText(reply), temporary, fmt.Errorf("%v: %w", stage, reply))}
	return e.withSentence()
}

// lost is the SendError for a connection that ended before the end of the
// message was written: temporary.
func (x *sending) lost(stage Stage, err error) error {
	e := &SendError{Stage: stage, Temporary: true,
		Err: neterr.SendLost(service, x.c.addr(), fmt.Errorf("%v: %w", stage, x.cause(err)))}
	return e.withSentence()
}

// cause is err, or, when ctx has ended, the deadline or the cancel with err.
func (x *sending) cause(err error) error {
	if ctxErr := x.ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
		return fmt.Errorf("%w (%w)", ctxErr, err)
	}
	return err
}

func (e *SendError) withSentence() *SendError {
	if e.Sentence == "" && e.Err != nil {
		e.Sentence = e.Err.Error()
	}
	return e
}

// replyText is a reply as servers write it: "550 5.1.1 No such user".
func replyText(r *smtp.SMTPError) string {
	if r == nil {
		return ""
	}
	if c := r.EnhancedCode; c[0] > 0 {
		return fmt.Sprintf("%d %d.%d.%d %s", r.Code, c[0], c[1], c[2], r.Message)
	}
	return fmt.Sprintf("%d %s", r.Code, r.Message)
}

// check refuses an envelope that would break the SMTP commands: an empty,
// spaced or bracketed address, or no recipient. Whether an address exists
// is the server's to say.
func (env Envelope) check() error {
	bad := func(stage Stage, who, addr string) error {
		e := &SendError{Stage: stage, Err: fmt.Errorf("bad %s address %q", who, addr), Sentence: fmt.Sprintf(
			"The message cannot be sent: the %s %q is not a bare e-mail address.", who, addr)}
		if stage == StageRcpt {
			e.Refused = []string{addr}
		}
		return e
	}
	if !bareAddress(env.From) {
		return bad(StageMail, "sender", env.From)
	}
	if len(env.To) == 0 {
		return &SendError{Stage: StageRcpt, Err: errors.New("no recipients"), Sentence: "The message cannot be sent: it has no recipients."}
	}
	for _, to := range env.To {
		if !bareAddress(to) {
			return bad(StageRcpt, "recipient", to)
		}
	}
	return nil
}

func bareAddress(a string) bool {
	return a != "" && !strings.ContainsFunc(a, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '<' || r == '>' })
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func allASCII(list []string) bool {
	for _, s := range list {
		if !isASCII(s) {
			return false
		}
	}
	return true
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 160 {
		s = s[:157] + "..."
	}
	return s
}

// source reads the message, keeping its own failure apart from the network's.
type source struct {
	r   io.Reader
	err error
}

func (s *source) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF {
		s.err = err
	}
	return n, err
}

// deadlineWriter gives each write of the message timeout to finish, so a
// stalled connection fails while a slow one that moves goes on.
type deadlineWriter struct {
	w       io.Writer
	conn    net.Conn
	timeout time.Duration
}

func (d deadlineWriter) Write(p []byte) (int, error) {
	_ = d.conn.SetWriteDeadline(time.Now().Add(d.timeout))
	return d.w.Write(p)
}

// watchedConn is the TCP connection under TLS and SMTP. go-smtp reports a
// failed write of the end of a message and a lost answer to it alike; only
// the first means the message surely did not leave. From endStarts on,
// watchedConn notes whether a write failed before anything was read back
// (go-smtp reads the answer only once the end is written).
type watchedConn struct {
	net.Conn
	ending       atomic.Bool
	readBack     atomic.Bool
	endUnwritten atomic.Bool
}

func (w *watchedConn) endStarts() { w.ending.Store(true) }

func (w *watchedConn) Read(p []byte) (int, error) {
	if w.ending.Load() {
		w.readBack.Store(true)
	}
	return w.Conn.Read(p)
}

func (w *watchedConn) Write(p []byte) (int, error) {
	n, err := w.Conn.Write(p)
	if err != nil && w.ending.Load() && !w.readBack.Load() {
		w.endUnwritten.Store(true)
	}
	return n, err
}
