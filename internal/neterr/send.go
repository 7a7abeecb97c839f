package neterr

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// The sentences of sending a message (SMTP MAIL, RCPT, DATA). Each says
// whether the message left, because that is what the agent must know: a
// refusal or a connection lost before the end of the message means it was
// not sent; a connection lost after it means it may have been delivered.

// said is " (it said "...")" for a server's reply, or "" when there is none.
func said(reply string, secrets []string) string {
	if r := quote(reply, secrets...); r != "" {
		return fmt.Sprintf(" (it said %q)", r)
	}
	return ""
}

// SenderRefused is the problem for a server that refused to send from the
// address from (MAIL FROM). temporary: the server asked to try later (4xx).
// reply is its code and words, redacted with secrets.
func SenderRefused(service, addr, from, reply string, temporary bool, err error, secrets ...string) *Problem {
	s := fmt.Sprintf("The %s server at %s refused to send mail from %s%s: the message was not sent; check the identity's address and that the %s account may send from it.",
		service, addr, from, said(reply, secrets), service)
	if temporary {
		s = fmt.Sprintf("The %s server at %s cannot take mail from %s right now%s: the message was not sent; try again later.",
			service, addr, from, said(reply, secrets))
	}
	return &Problem{Kind: Rejected, Err: err, Sentence: Redact(s, secrets...)}
}

// RecipientsRefused is the problem for a server that refused the recipients
// to (RCPT TO); the message went to none of the others either.
// temporary: the server asked to try later (4xx). reply is the first refusal,
// redacted with secrets.
func RecipientsRefused(service, addr string, to []string, reply string, temporary bool, err error, secrets ...string) *Problem {
	list := strings.Join(to, ", ")
	who := "the recipient " + list
	if len(to) > 1 {
		who = "the recipients " + list
	}
	s := fmt.Sprintf("The %s server at %s refused %s%s: the message was sent to no one; correct or remove the address and send it again.",
		service, addr, who, said(reply, secrets))
	if temporary {
		s = fmt.Sprintf("The %s server at %s cannot take mail for %s right now%s: the message was sent to no one; try again later.",
			service, addr, list, said(reply, secrets))
	}
	return &Problem{Kind: Rejected, Err: err, Sentence: Redact(s, secrets...)}
}

// MessageRefused is the problem for a server that refused the message itself
// (DATA, or its answer to the end of the message): it did not take it.
// temporary: the server asked to try later (4xx). reply is redacted with secrets.
func MessageRefused(service, addr, reply string, temporary bool, err error, secrets ...string) *Problem {
	s := fmt.Sprintf("The %s server at %s refused the message%s: it was not sent; change it, or ask your mail admin why.",
		service, addr, said(reply, secrets))
	if temporary {
		s = fmt.Sprintf("The %s server at %s did not take the message for now%s: it was not sent; try again later.",
			service, addr, said(reply, secrets))
	}
	return &Problem{Kind: Rejected, Err: err, Sentence: Redact(s, secrets...)}
}

// SendLost is the problem for a connection that ended, after signing in,
// before the whole message was written: the server cannot have taken it.
func SendLost(service, addr string, err error) *Problem {
	kind, _ := classify(err, service, addr)
	return &Problem{Kind: kind, Err: err, Sentence: fmt.Sprintf(
		"The connection to the %s server at %s ended before the whole message was sent (%s): it was not delivered; try again later.",
		service, addr, lostWhy(err))}
}

// SendUnknown is the problem for a message written to its end whose answer
// never came (or made no sense): the server may have taken it. reply is
// the odd answer, if any, redacted with secrets.
func SendUnknown(service, addr, reply string, err error, secrets ...string) *Problem {
	kind, why := Protocol, "it answered "+fmt.Sprintf("%q", quote(reply, secrets...))
	if reply == "" {
		kind, _ = classify(err, service, addr)
		why = lostWhy(err)
	}
	return &Problem{Kind: kind, Err: err, Sentence: Redact(fmt.Sprintf(
		"The whole message was sent to the %s server at %s, but it never confirmed or refused it (%s): it may have been delivered; look for it in the Sent folder before sending it again.",
		service, addr, why), secrets...)}
}

// lostWhy says in a few words why a connection ended.
func lostWhy(err error) string {
	switch {
	case errors.Is(err, context.Canceled):
		return "sending was cancelled"
	case isTimeout(err):
		return "no answer in time"
	}
	return "the connection was closed"
}
