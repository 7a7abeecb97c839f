package neterr_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"servicedesk/internal/neterr"
)

func TestConstructors(t *testing.T) {
	t.Parallel()
	cause := errors.New("server said no")
	const secret = "hunter2-secret"
	tests := []struct {
		name  string
		p     *neterr.Problem
		kind  neterr.Kind
		words []string
	}{
		{"auth", neterr.AuthRefused("IMAP", "mail.acme.com:993", "support@acme.com", "[AUTHENTICATIONFAILED] bad password "+secret, cause, secret),
			neterr.Auth, []string{"The IMAP server at mail.acme.com:993 refused the user name or password for support@acme.com", "[redacted]", "check them and try again."}},
		{"auth without reply", neterr.AuthRefused("SMTP", "smtp.acme.com:465", "support@acme.com", "", cause),
			neterr.Auth, []string{"The SMTP server at smtp.acme.com:465 refused the user name or password for support@acme.com: check them and try again."}},
		{"no starttls", neterr.NoSTARTTLS("SMTP", "smtp.acme.com:587", "", cause),
			neterr.TLSFailed, []string{"does not offer STARTTLS", "choose TLS", "SMTPS is usually 465"}},
		{"insecure", neterr.InsecureRefused("IMAP", "mail.acme.com:143"),
			neterr.Insecure, []string{"Plain text to the IMAP server at mail.acme.com:143", "choose TLS or STARTTLS"}},
		{"unexpected", neterr.Unexpected("IMAP", "mail.acme.com:993", "listing the folders", "BAD "+secret, cause, secret),
			neterr.Protocol, []string{"answered unexpectedly while listing the folders", "[redacted]"}},
		{"sender refused", neterr.SenderRefused("SMTP", "smtp.acme.com:587", "support@acme.com", "553 5.7.1 not yours "+secret, false, cause, secret),
			neterr.Rejected, []string{"refused to send mail from support@acme.com", "[redacted]", "the message was not sent"}},
		{"recipients put off", neterr.RecipientsRefused("SMTP", "smtp.acme.com:587", []string{"a@x.example", "b@y.example"}, "450 busy", true, cause),
			neterr.Rejected, []string{"cannot take mail for a@x.example, b@y.example right now", "sent to no one; try again later."}},
		{"message refused", neterr.MessageRefused("SMTP", "smtp.acme.com:587", "554 spam", false, cause),
			neterr.Rejected, []string{`refused the message (it said "554 spam"): it was not sent`}},
		{"send lost", neterr.SendLost("SMTP", "smtp.acme.com:587", fmt.Errorf("%w (%w)", context.DeadlineExceeded, cause)),
			neterr.Timeout, []string{"ended before the whole message was sent (no answer in time): it was not delivered"}},
		{"send unknown", neterr.SendUnknown("SMTP", "smtp.acme.com:587", "354 huh "+secret, cause, secret),
			neterr.Protocol, []string{`never confirmed or refused it (it answered "354 huh [redacted]")`, "may have been delivered"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.p.Kind != tt.kind {
				t.Errorf("kind = %v, want %v", tt.p.Kind, tt.kind)
			}
			if strings.Contains(tt.p.Error(), secret) {
				t.Errorf("sentence leaks the password: %q", tt.p.Error())
			}
			for _, w := range tt.words {
				if !strings.Contains(tt.p.Error(), w) {
					t.Errorf("sentence lacks %q: %q", w, tt.p.Error())
				}
			}
			if tt.p.Err != nil && !errors.Is(tt.p, cause) {
				t.Error("problem does not wrap its cause")
			}
		})
	}
}

func TestRedact(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		secrets []string
		want    string
	}{
		{"LOGIN u s3cret", []string{"s3cret"}, "LOGIN u [redacted]"},
		{"a s3cret and s3cret", []string{"s3cret"}, "a [redacted] and [redacted]"},
		{"nothing here", []string{""}, "nothing here"},
		{"two: aaaa bbbbb", []string{"aaaa", "", "bbbbb"}, "two: [redacted] [redacted]"},
		{"plain-text to mail.example.com", []string{"x"}, "plain-text to mail.example.com"},
		{"none", nil, "none"},
	}
	for _, tt := range tests {
		if got := neterr.Redact(tt.in, tt.secrets...); got != tt.want {
			t.Errorf("Redact(%q, %q) = %q, want %q", tt.in, tt.secrets, got, tt.want)
		}
	}
}

func TestIsLoopback(t *testing.T) {
	t.Parallel()
	tests := map[string]bool{
		"localhost": true, "LOCALHOST": true, "localhost.": true, "127.0.0.1": true, "127.8.9.10": true,
		"::1": true, "[::1]": true, "::ffff:127.0.0.1": true,
		"": false, "mail.acme.com": false, "10.0.0.1": false, "128.0.0.1": false, "::2": false,
		"localhost.acme.com": false, "0.0.0.0": false, "192.168.1.1": false,
	}
	for host, want := range tests {
		if got := neterr.IsLoopback(host); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestKindString(t *testing.T) {
	t.Parallel()
	if neterr.TLSUntrusted.String() != "tls-untrusted" || neterr.Kind(99).String() != "kind(99)" {
		t.Errorf("Kind.String: %q %q", neterr.TLSUntrusted, neterr.Kind(99))
	}
}
