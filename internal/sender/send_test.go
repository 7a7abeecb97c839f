package sender_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"servicedesk/internal/model"
	"servicedesk/internal/neterr"
	"servicedesk/internal/neterr/neterrtest"
	"servicedesk/internal/sandbox"
	"servicedesk/internal/sender"
)

const (
	customer = "alice@customer.example"
	cc       = "bob@partner.example"
)

// testMessage is a reply with what SMTP must carry unchanged: CRLF lines,
// lines that start with a dot (one is a lone dot, the end-of-data line if
// not stuffed), 8-bit UTF-8, a long line, and no trailing blank line.
func testMessage(id string) []byte {
	return []byte("From: Acme Support <support@acme.com>\r\n" +
		"To: Alice <" + customer + ">\r\n" +
		"Cc: " + cc + "\r\n" +
		"Subject: Re: Printer on fire (#42)\r\n" +
		"Message-ID: <" + id + "@acme.com>\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n" +
		"Content-Transfer-Encoding: 8bit\r\n" +
		"\r\n" +
		"Hi Alice, grüße aus Zürich.\r\n" +
		".\r\n" +
		"..two dots\r\n" +
		".one dot\r\n" +
		strings.Repeat("long line ", 90) + "\r\n" +
		"\r\n" +
		"-- \r\nAcme Support\r\n")
}

var envelope = sender.Envelope{From: testUser, To: []string{customer, cc}}

func plainConfig(port int) sender.Config {
	return sender.Config{Host: "127.0.0.1", Port: port, Security: model.SecurityNone, User: testUser, Password: testPassword}
}

// beforeDataNote returns a beforeData hook that notes itself among the
// server's events, and the count of its calls.
func beforeDataNote(m *mailServer) (func() error, *atomic.Int32) {
	var calls atomic.Int32
	return func() error {
		calls.Add(1)
		m.note("before-data")
		return nil
	}, &calls
}

func TestSend(t *testing.T) {
	t.Parallel()
	cert := neterrtest.NewCert(t, time.Time{}, time.Time{})
	trusted := &tls.Config{RootCAs: cert.Roots}
	tests := []struct {
		name     string
		server   serverKind
		security string
		host     string
		tls      *tls.Config
		raw      func([]byte) io.Reader
	}{
		{name: "plain to loopback", server: plainAuth, security: model.SecurityNone},
		{name: "STARTTLS", server: withSTARTTLS, security: model.SecuritySTARTTLS, tls: trusted},
		{name: "implicit TLS", server: implicitTLS, security: model.SecurityTLS, tls: trusted},
		{name: "implicit TLS by name", server: implicitTLS, security: model.SecurityTLS, host: "localhost", tls: trusted},
		{name: "reader without a length", server: plainAuth, security: model.SecurityNone,
			raw: func(b []byte) io.Reader { return io.MultiReader(bytes.NewReader(b[:100]), bytes.NewReader(b[100:])) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := &mailServer{}
			port := serve(t, m, tt.server, cert.Server)
			cfg := sender.Config{Host: "127.0.0.1", Port: port, Security: tt.security, User: testUser, Password: testPassword, TLSConfig: tt.tls}
			if tt.host != "" {
				cfg.Host = tt.host
			}
			msg := testMessage("send-" + strconv.Itoa(port))
			var raw io.Reader = bytes.NewReader(msg)
			if tt.raw != nil {
				raw = tt.raw(msg)
			}
			beforeData, calls := beforeDataNote(m)
			if err := sender.Send(context.Background(), cfg, envelope, raw, beforeData); err != nil {
				t.Fatalf("Send: %v", err)
			}
			events, _, taken, auths := m.seen()
			want := []string{"MAIL " + testUser, "RCPT " + customer, "RCPT " + cc, "before-data", "DATA", "END"}
			if !slices.Equal(events, want) {
				t.Errorf("the server saw %q, want %q", events, want)
			}
			if n := calls.Load(); n != 1 {
				t.Errorf("beforeData ran %d times, want 1", n)
			}
			if len(taken) != 1 || !bytes.Equal(taken[0], msg) {
				t.Fatalf("the server took %d messages; the first differs from what was sent:\n%q\nwant\n%q", len(taken), taken, msg)
			}
			wantTLS := tt.security != model.SecurityNone
			if !slices.Equal(auths, []bool{wantTLS}) {
				t.Errorf("sign-ins (over TLS?) = %v, want [%v]", auths, wantTLS)
			}
		})
	}
}

// wantSend is what a failed Send must say.
type wantSend struct {
	stage     sender.Stage
	temporary bool
	unknown   bool
	code      int
	refused   []string
	words     []string // in the sentence
}

func checkSendError(t *testing.T, err error, want wantSend) *sender.SendError {
	t.Helper()
	var se *sender.SendError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v (%T), want a *sender.SendError", err, err)
	}
	t.Logf("%v temporary=%v unknown=%v code=%d: %s", se.Stage, se.Temporary, se.Unknown(), se.Code, se.Sentence)
	if se.Stage != want.stage || se.Temporary != want.temporary || se.Unknown() != want.unknown || se.Code != want.code {
		t.Errorf("stage %v, temporary %v, unknown %v, code %d; want %v, %v, %v, %d (cause: %v)",
			se.Stage, se.Temporary, se.Unknown(), se.Code, want.stage, want.temporary, want.unknown, want.code, se.Err)
	}
	if !slices.Equal(se.Refused, want.refused) {
		t.Errorf("refused %q, want %q", se.Refused, want.refused)
	}
	if se.Sentence != err.Error() || strings.ContainsAny(se.Sentence, "\r\n") || se.Sentence == "" {
		t.Errorf("sentence %q is not the error's one line", se.Sentence)
	}
	if strings.Contains(se.Sentence, testPassword) {
		t.Errorf("the sentence shows the password: %q", se.Sentence)
	}
	for _, w := range want.words {
		if !strings.Contains(se.Sentence, w) {
			t.Errorf("sentence lacks %q: %q", w, se.Sentence)
		}
	}
	return se
}

func smtpErr(code int, enhanced smtp.EnhancedCode, msg string) *smtp.SMTPError {
	return &smtp.SMTPError{Code: code, EnhancedCode: enhanced, Message: msg}
}

// refuse returns a RCPT hook that answers err for the addresses in it.
func refuse(errs map[string]*smtp.SMTPError) func(string) error {
	return func(to string) error {
		if err, ok := errs[to]; ok {
			return err
		}
		return nil
	}
}

// hooks are the faults of a mailServer, for tables.
type hooks struct {
	mail func(string) error
	rcpt func(string) error
	data func(*mailServer, net.Conn, io.Reader) error
}

func TestSendRefused(t *testing.T) {
	t.Parallel()
	noUser := smtpErr(550, smtp.EnhancedCode{5, 1, 1}, "No such user")
	tests := []struct {
		name   string
		server hooks
		sized  bool // raw has a Len (the client announces SIZE)
		config func(*smtp.Server)
		want   wantSend
		data   bool // the server saw DATA
	}{
		{name: "sender refused", server: hooks{mail: func(string) error {
			return smtpErr(553, smtp.EnhancedCode{5, 7, 1}, "Sender address rejected: not owned by user")
		}}, want: wantSend{stage: sender.StageMail, code: 553,
			words: []string{"refused to send mail from support@acme.com", `"553 5.7.1 Sender address rejected`, "the message was not sent"}}},
		{name: "sender put off", server: hooks{mail: func(string) error {
			return smtpErr(451, smtp.EnhancedCode{4, 3, 0}, "Try again later")
		}}, want: wantSend{stage: sender.StageMail, temporary: true, code: 451, words: []string{"cannot take mail from support@acme.com right now", "try again later"}}},
		{name: "customer refused", server: hooks{rcpt: refuse(map[string]*smtp.SMTPError{customer: noUser})},
			want: wantSend{stage: sender.StageRcpt, code: 550, refused: []string{customer},
				words: []string{"refused the recipient " + customer + ` (it said "550 5.1.1 No such user")`, "sent to no one"}}},
		{name: "only the cc refused: still sent to no one", server: hooks{rcpt: refuse(map[string]*smtp.SMTPError{cc: noUser})},
			want: wantSend{stage: sender.StageRcpt, code: 550, refused: []string{cc}, words: []string{"refused the recipient " + cc, "sent to no one"}}},
		{name: "one refused, one put off: permanent", server: hooks{rcpt: refuse(map[string]*smtp.SMTPError{
			customer: smtpErr(450, smtp.EnhancedCode{4, 2, 1}, "Mailbox busy"), cc: noUser})},
			want: wantSend{stage: sender.StageRcpt, code: 550, refused: []string{cc}, words: []string{"refused the recipient " + cc}}},
		{name: "both put off", server: hooks{rcpt: refuse(map[string]*smtp.SMTPError{
			customer: smtpErr(450, smtp.EnhancedCode{4, 2, 1}, "Mailbox busy"), cc: smtpErr(451, smtp.EnhancedCode{4, 3, 0}, "Later")})},
			want: wantSend{stage: sender.StageRcpt, temporary: true, code: 450, refused: []string{customer, cc},
				words: []string{"cannot take mail for " + customer + ", " + cc + " right now", "try again later"}}},
		{name: "421 on RCPT ends the transaction", server: hooks{rcpt: refuse(map[string]*smtp.SMTPError{
			customer: smtpErr(421, smtp.EnhancedCode{4, 7, 0}, "Too many errors, closing")})},
			want: wantSend{stage: sender.StageRcpt, temporary: true, code: 421, refused: []string{customer}}},
		{name: "refusal quoting the password is redacted", server: hooks{rcpt: refuse(map[string]*smtp.SMTPError{
			customer: smtpErr(550, smtp.EnhancedCode{5, 7, 1}, "Relay denied for "+testUser+":"+testPassword)})},
			want: wantSend{stage: sender.StageRcpt, code: 550, refused: []string{customer}, words: []string{"[redacted]"}}},
		{name: "message put off at its end", server: hooks{data: answerAfterEnd(smtpErr(451, smtp.EnhancedCode{4, 7, 1}, "Greylisted, try again"))},
			data: true, want: wantSend{stage: sender.StageAfterData, temporary: true, code: 451,
				words: []string{`did not take the message for now (it said "451 4.7.1 Greylisted, try again")`, "it was not sent"}}},
		{name: "message refused at its end", server: hooks{data: answerAfterEnd(smtpErr(554, smtp.EnhancedCode{5, 7, 1}, "Message looks like spam"))},
			data: true, want: wantSend{stage: sender.StageAfterData, code: 554,
				words: []string{`refused the message (it said "554 5.7.1 Message looks like spam")`, "it was not sent"}}},
		{name: "too large, known at its end", config: func(s *smtp.Server) { s.MaxMessageBytes = 200 },
			data: true, want: wantSend{stage: sender.StageAfterData, code: 552, words: []string{"refused the message", "552 5.3.4 Maximum message size exceeded"}}},
		{name: "too large, known from SIZE", sized: true, config: func(s *smtp.Server) { s.MaxMessageBytes = 200 },
			want: wantSend{stage: sender.StageMail, code: 552, words: []string{"refused the message", "552 5.3.4 Max message size exceeded"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := &mailServer{mail: tt.server.mail, rcpt: tt.server.rcpt, data: tt.server.data}
			var configure []func(*smtp.Server)
			if tt.config != nil {
				configure = append(configure, tt.config)
			}
			port := serve(t, m, plainAuth, nil, configure...)
			msg := testMessage("refused")
			raw := io.MultiReader(bytes.NewReader(msg)) // no Len: no SIZE
			if tt.sized {
				raw = bytes.NewReader(msg)
			}
			beforeData, calls := beforeDataNote(m)
			err := sender.Send(context.Background(), plainConfig(port), envelope, raw, beforeData)
			checkSendError(t, err, tt.want)
			events, _, taken, _ := m.seen()
			if got := slices.Contains(events, "DATA"); got != tt.data {
				t.Errorf("server saw DATA: %v, want %v (events %q)", got, tt.data, events)
			}
			if want := int32(0); tt.data {
				want = 1
				if calls.Load() != want {
					t.Errorf("beforeData ran %d times, want %d", calls.Load(), want)
				}
			} else if calls.Load() != want {
				t.Errorf("beforeData ran %d times although the server refused before DATA", calls.Load())
			}
			if len(taken) != 0 {
				t.Errorf("the server took %d messages", len(taken))
			}
			if tt.want.code == 421 && slices.Contains(events, "RCPT "+cc) {
				t.Errorf("the client went on after 421: %q", events)
			}
		})
	}
}

func TestSendConnectFails(t *testing.T) {
	t.Parallel()
	cert := neterrtest.NewCert(t, time.Time{}, time.Time{})
	tests := []struct {
		name   string
		server serverKind
		port   int // instead of a server
		proxy  bool
		config func(*sender.Config)
		want   wantSend
		kind   neterr.Kind
	}{
		{name: "wrong password", server: plainAuth, config: func(c *sender.Config) { c.Password = "wrong-password-9" }, kind: neterr.Auth,
			want: wantSend{stage: sender.StageAuth, code: 535, words: []string{"refused the user name or password for support@acme.com"}}},
		{name: "no user, the server wants one", server: plainAuth, config: func(c *sender.Config) { c.User, c.Password = "", "" }, kind: neterr.Rejected,
			want: wantSend{stage: sender.StageMail, code: 502, words: []string{"refused to send mail from support@acme.com", "Please authenticate first"}}},
		{name: "certificate not trusted", server: withSTARTTLS, config: func(c *sender.Config) { c.Security = model.SecuritySTARTTLS }, kind: neterr.TLSUntrusted,
			want: wantSend{stage: sender.StageConnect, words: []string{"is not trusted (signed by an unknown authority)"}}},
		{name: "STARTTLS not offered", server: noSTARTTLS, config: func(c *sender.Config) { c.Security = model.SecuritySTARTTLS }, kind: neterr.TLSFailed,
			want: wantSend{stage: sender.StageConnect, words: []string{"does not offer STARTTLS"}}},
		{name: "plain text to another host", server: plainAuth, config: func(c *sender.Config) { c.Host = "smtp.acme.com" }, kind: neterr.Insecure,
			want: wantSend{stage: sender.StageConnect, words: []string{"would expose the password"}}},
		{name: "nothing listens", port: closedPort(t), kind: neterr.Refused,
			want: wantSend{stage: sender.StageConnect, temporary: true, words: []string{"refused the connection"}}},
		{name: "network drops every connection", server: plainAuth, proxy: true, kind: neterr.Protocol,
			want: wantSend{stage: sender.StageConnect, temporary: true, words: []string{"closed the connection unexpectedly"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := &mailServer{}
			port := tt.port
			if port == 0 {
				port = serve(t, m, tt.server, cert.Server)
			}
			if tt.proxy {
				p := neterrtest.NewProxy(t, net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
				p.Refuse(true)
				_, pp, _ := net.SplitHostPort(p.Addr())
				port, _ = strconv.Atoi(pp)
			}
			cfg := plainConfig(port)
			if tt.config != nil {
				tt.config(&cfg)
			}
			called := false
			err := sender.Send(context.Background(), cfg, envelope, bytes.NewReader(testMessage("connect")), func() error { called = true; return nil })
			se := checkSendError(t, err, tt.want)
			neterrtest.WantProblem(t, se, tt.kind, cfg.Password)
			if called {
				t.Error("beforeData ran")
			}
			if events, _, _, _ := m.seen(); slices.Contains(events, "DATA") {
				t.Errorf("the server saw DATA: %q", events)
			}
		})
	}
}

// TestSendSandbox sends through the demo's SMTP server, the one the app
// talks to in "Try the demo".
func TestSendSandbox(t *testing.T) {
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
	msg := testMessage("sandbox")

	env := sender.Envelope{From: info.BrandAddress, To: []string{customer, cc}}
	if err := sender.Send(context.Background(), cfg, env, bytes.NewReader(msg), nil); err != nil {
		t.Fatalf("Send: %v", err)
	}
	sent := sb.SentMail()
	if len(sent) != 1 || !bytes.Equal(sent[0].Data, msg) || sent[0].From != info.BrandAddress || !slices.Equal(sent[0].To, env.To) {
		t.Fatalf("the sandbox got %+v, want one message from %s to %v equal to what was sent", sent, env.From, env.To)
	}

	other := sender.Envelope{From: "someone@acme.com", To: []string{customer}}
	err = sender.Send(context.Background(), cfg, other, bytes.NewReader(msg), nil)
	checkSendError(t, err, wantSend{stage: sender.StageMail, code: 553, words: []string{"refused to send mail from someone@acme.com", "not owned by user"}})

	noDomain := sender.Envelope{From: info.BrandAddress, To: []string{customer, "alice"}}
	err = sender.Send(context.Background(), cfg, noDomain, bytes.NewReader(msg), nil)
	checkSendError(t, err, wantSend{stage: sender.StageRcpt, code: 501, refused: []string{"alice"}, words: []string{"refused the recipient alice", `"501 5.5.2`}})

	if sent := sb.SentMail(); len(sent) != 1 {
		t.Errorf("the sandbox took %d messages, want only the first", len(sent))
	}
}

func TestSendBadEnvelope(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  sender.Envelope
		want wantSend
	}{
		{"no sender", sender.Envelope{To: []string{customer}}, wantSend{stage: sender.StageMail, words: []string{`the sender "" is not a bare e-mail address`}}},
		{"no recipients", sender.Envelope{From: testUser}, wantSend{stage: sender.StageRcpt, words: []string{"it has no recipients"}}},
		{"display name", sender.Envelope{From: testUser, To: []string{"Alice <" + customer + ">"}},
			wantSend{stage: sender.StageRcpt, refused: []string{"Alice <" + customer + ">"}, words: []string{"is not a bare e-mail address"}}},
		{"command injection", sender.Envelope{From: testUser, To: []string{customer + "\r\nRCPT TO:<x@evil.example>"}},
			wantSend{stage: sender.StageRcpt, refused: []string{customer + "\r\nRCPT TO:<x@evil.example>"}, words: []string{`\r\nRCPT`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := &mailServer{}
			port := serve(t, m, plainAuth, nil)
			err := sender.Send(context.Background(), plainConfig(port), tt.env, bytes.NewReader(testMessage("bad")), nil)
			checkSendError(t, err, tt.want)
			if events, _, _, _ := m.seen(); len(events) != 0 {
				t.Errorf("the server saw %q; a bad envelope must not reach it", events)
			}
		})
	}
}

func TestSendUTF8Address(t *testing.T) {
	t.Parallel()
	env := sender.Envelope{From: testUser, To: []string{"jürgen@müller.example"}}
	for _, utf8 := range []bool{false, true} {
		t.Run("SMTPUTF8 "+strconv.FormatBool(utf8), func(t *testing.T) {
			t.Parallel()
			m := &mailServer{}
			port := serve(t, m, plainAuth, nil, func(s *smtp.Server) { s.EnableSMTPUTF8 = utf8 })
			msg := testMessage("utf8")
			err := sender.Send(context.Background(), plainConfig(port), env, bytes.NewReader(msg), nil)
			events, _, taken, _ := m.seen()
			if utf8 {
				if err != nil || len(taken) != 1 || !slices.Contains(events, "RCPT "+env.To[0]) {
					t.Fatalf("Send = %v; the server saw %q and took %d messages", err, events, len(taken))
				}
				return
			}
			checkSendError(t, err, wantSend{stage: sender.StageMail, words: []string{"does not take addresses with non-ASCII characters"}})
			if len(events) != 0 {
				t.Errorf("the server saw %q", events)
			}
		})
	}
}
