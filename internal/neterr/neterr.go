// Package neterr owns the sentences an agent reads when a mail server cannot
// be reached or refuses to talk: it sorts errors from dialling, TLS, DNS and
// deadlines into a few kinds and says, in one sentence, what failed and what to
// do. It does no I/O; the packages that talk to servers (mailbox, sender) call
// it and build the protocol-specific problems (a refused password, a missing
// STARTTLS) through its constructors, so every sentence lives here.
package neterr

import (
	"fmt"
	"net"
	"strings"
)

// Kind says what sort of problem stopped a connection.
type Kind int

// The kinds of problems. Other is the zero value.
const (
	Other        Kind = iota // anything not listed below
	Auth                     // the server refused the user name or password
	TLSUntrusted             // certificate not trusted, for another host, or expired
	TLSFailed                // TLS handshake failed, or STARTTLS not offered when asked
	Refused                  // nothing listens on the port
	Timeout                  // no answer in time
	DNS                      // the host name could not be found
	Protocol                 // the server said something unexpected
	Insecure                 // plain text was asked for to a host that is not this computer
	Rejected                 // the server refused a sender, a recipient or a message it was given
)

var kindNames = [...]string{
	Other: "other", Auth: "auth", TLSUntrusted: "tls-untrusted", TLSFailed: "tls-failed",
	Refused: "refused", Timeout: "timeout", DNS: "dns", Protocol: "protocol", Insecure: "insecure",
	Rejected: "rejected",
}

// String returns a short lower-case name for the kind, for logs and JSON.
func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return fmt.Sprintf("kind(%d)", int(k))
	}
	return kindNames[k]
}

// Problem is an error an agent can read: Sentence says what failed and what to
// do, Err keeps the cause for logs and errors.Is/As.
type Problem struct {
	Kind     Kind
	Sentence string
	Err      error
}

// Error returns the sentence.
func (p *Problem) Error() string { return p.Sentence }

// Unwrap returns the cause.
func (p *Problem) Unwrap() error { return p.Err }

// Redact replaces every secret in s with "[redacted]". Secrets shorter
// than four bytes are left alone: replacing them would garble ordinary
// words ("x" in "text"), and no server reply is recognisable by them.
func Redact(s string, secrets ...string) string {
	for _, secret := range secrets {
		if len(secret) >= 4 {
			s = strings.ReplaceAll(s, secret, "[redacted]")
		}
	}
	return s
}

// IsLoopback reports whether host names this computer: "localhost", an
// address in 127.0.0.0/8 or ::1 (with or without brackets).
func IsLoopback(host string) bool {
	host = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(host), "["), "]")
	host = strings.TrimSuffix(host, ".")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	if i := strings.IndexByte(host, '%'); i >= 0 { // zone of a link-local address
		host = host[:i]
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Addr joins host and port the way the sentences show them ("mail.acme.com:993").
func Addr(host string, port int) string {
	return net.JoinHostPort(host, fmt.Sprint(port))
}

// portHint returns the usual ports of a service, for sentences about ports.
func portHint(service string) string {
	switch strings.ToUpper(service) {
	case "IMAP":
		return " (IMAPS is usually 993, IMAP with STARTTLS 143)"
	case "SMTP":
		return " (SMTPS is usually 465, submission with STARTTLS 587)"
	}
	return ""
}

// quote shortens a server's reply for a sentence and removes the secrets.
func quote(reply string, secrets ...string) string {
	reply = strings.Join(strings.Fields(Redact(reply, secrets...)), " ")
	if len(reply) > 160 {
		reply = reply[:157] + "..."
	}
	return reply
}

// AuthRefused is the problem for a refused user name or password. reply is
// the server's own words (may be empty); it is redacted with secrets.
func AuthRefused(service, addr, user, reply string, err error, secrets ...string) *Problem {
	said := ""
	if r := quote(reply, secrets...); r != "" {
		said = fmt.Sprintf(" (it said %q)", r)
	}
	return &Problem{Kind: Auth, Err: err, Sentence: Redact(fmt.Sprintf(
		"The %s server at %s refused the user name or password for %s%s: check them and try again.",
		service, addr, user, said), secrets...)}
}

// NoSTARTTLS is the problem for a server that does not offer STARTTLS (or
// refuses it) when the account asks for it: the app never falls back to plain text.
func NoSTARTTLS(service, addr, reply string, err error, secrets ...string) *Problem {
	said := ""
	if r := quote(reply, secrets...); r != "" {
		said = fmt.Sprintf(" (it said %q)", r)
	}
	return &Problem{Kind: TLSFailed, Err: err, Sentence: fmt.Sprintf(
		"The %s server at %s does not offer STARTTLS%s: choose TLS and the TLS port%s, or ask your mail admin to enable STARTTLS.",
		service, addr, said, portHint(service))}
}

// InsecureRefused is the problem for plain text asked for to a host that is
// not this computer; it is returned before any connection is made.
func InsecureRefused(service, addr string) *Problem {
	return &Problem{Kind: Insecure, Sentence: fmt.Sprintf(
		"Plain text to the %s server at %s would expose the password on the network: choose TLS or STARTTLS (plain text is only allowed to this computer).",
		service, addr)}
}

// Unexpected is the problem for a server reply the app did not expect, while
// doing what (e.g. "listing the folders"). reply is redacted with secrets.
func Unexpected(service, addr, what, reply string, err error, secrets ...string) *Problem {
	said := ""
	if r := quote(reply, secrets...); r != "" {
		said = fmt.Sprintf(" (it said %q)", r)
	}
	return &Problem{Kind: Protocol, Err: err, Sentence: Redact(fmt.Sprintf(
		"The %s server at %s answered unexpectedly while %s%s: check that this is the %s server and that the security setting matches the port%s.",
		service, addr, what, said, service, portHint(service)), secrets...)}
}

// Invalid is the problem for settings that cannot work (no host, a bad port,
// an unknown security mode); what says which, e.g. "the port 0 is not valid".
func Invalid(service, what string) *Problem {
	return &Problem{Kind: Other, Sentence: fmt.Sprintf("The %s settings cannot be used: %s.", service, what)}
}

// NoAuthMechanism is the problem for a server that offers no sign-in method
// the app can use (offered: the server's list, empty if it offers none).
func NoAuthMechanism(service, addr string, offered, supported []string) *Problem {
	if len(offered) == 0 {
		return &Problem{Kind: Protocol, Sentence: fmt.Sprintf(
			"The %s server at %s does not offer sign-in on this connection: check the port and security setting%s.",
			service, addr, portHint(service))}
	}
	return &Problem{Kind: Protocol, Sentence: fmt.Sprintf(
		"The %s server at %s offers no sign-in method the app supports (it offers %s; the app needs %s): ask your mail admin to enable one.",
		service, addr, strings.Join(offered, ", "), strings.Join(supported, " or "))}
}
