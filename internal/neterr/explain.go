package neterr

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
)

// Explain turns an error from connecting to the service ("IMAP", "SMTP") at
// addr ("host:port") into a *Problem with a sentence an agent understands. A
// nil error stays nil and a *Problem is returned unchanged. Errors from the
// server's own replies (a refused password) are the caller's to build with
// AuthRefused, NoSTARTTLS or Unexpected: Explain only knows the network.
func Explain(err error, service, addr string) error {
	if err == nil {
		return nil
	}
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	kind, sentence := classify(err, service, addr)
	return &Problem{Kind: kind, Sentence: sentence, Err: err}
}

func classify(err error, service, addr string) (Kind, string) {
	if kind, s, ok := classifyTLS(err, service, addr); ok {
		return kind, s
	}
	server := fmt.Sprintf("The %s server at %s", service, addr)
	var dnsErr *net.DNSError
	switch {
	case errors.Is(err, context.Canceled):
		return Other, fmt.Sprintf("The connection to the %s server at %s was cancelled before it finished: try again.", service, addr)
	case errors.As(err, &dnsErr):
		return DNS, dnsSentence(dnsErr, service, addr)
	case errors.Is(err, syscall.ECONNREFUSED):
		return Refused, fmt.Sprintf("%s refused the connection: check the host and port%s.", server, portHint(service))
	case isTimeout(err):
		return Timeout, fmt.Sprintf("%s did not answer in time: check the host, port and security setting%s, and that your network or firewall lets the connection through.", server, portHint(service))
	case errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH):
		return Other, fmt.Sprintf("%s cannot be reached from this computer: check your network connection and the host name.", server)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET), errors.Is(err, net.ErrClosed):
		return Protocol, fmt.Sprintf("%s closed the connection unexpectedly: check that the port is for %s and that the security setting (TLS, STARTTLS or none) matches it%s.", server, service, portHint(service))
	}
	return Other, fmt.Sprintf("Could not talk to the %s server at %s (%s): check the host, port and security setting.", service, addr, oneLine(err.Error()))
}

// classifyTLS sorts certificate and handshake errors; ok is false for others.
func classifyTLS(err error, service, addr string) (kind Kind, sentence string, ok bool) {
	untrusted := func(why string) (Kind, string, bool) {
		return TLSUntrusted, fmt.Sprintf("The certificate of %s is not trusted (%s): check the host name, or ask your mail admin for a valid certificate.", addr, why), true
	}
	var (
		unknown   x509.UnknownAuthorityError
		hostname  x509.HostnameError
		invalid   x509.CertificateInvalidError
		verify    *tls.CertificateVerificationError
		record    tls.RecordHeaderError
		alert     tls.AlertError
		sysRoots  x509.SystemRootsError
		constrain x509.ConstraintViolationError
	)
	switch {
	case errors.As(err, &unknown), errors.As(err, &sysRoots):
		return untrusted("signed by an unknown authority")
	case errors.As(err, &hostname):
		return untrusted(hostnameWhy(hostname))
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return untrusted("it has expired or is not valid yet")
	case errors.As(err, &invalid):
		return untrusted(oneLine(invalid.Error()))
	case errors.As(err, &constrain), errors.As(err, &verify):
		return untrusted(oneLine(err.Error()))
	case errors.As(err, &record):
		return TLSFailed, fmt.Sprintf("The %s server at %s did not answer in TLS (the port speaks plain text): choose STARTTLS for this port, or use the TLS port%s.", service, addr, portHint(service)), true
	case errors.As(err, &alert):
		return TLSFailed, fmt.Sprintf("The TLS handshake with the %s server at %s failed (%s): check the security setting and port, or ask your mail admin whether the server accepts current TLS versions.", service, addr, oneLine(alert.Error())), true
	case strings.Contains(err.Error(), "tls: "):
		msg := err.Error()
		why := msg[strings.Index(msg, "tls: ")+len("tls: "):]
		if strings.Contains(msg, "remote error") {
			why = "the server said: " + why
		}
		return TLSFailed, fmt.Sprintf("The TLS handshake with the %s server at %s failed (%s): check the security setting and port%s.", service, addr, oneLine(why), portHint(service)), true
	}
	return 0, "", false
}

func hostnameWhy(e x509.HostnameError) string {
	if e.Certificate == nil {
		return "it is for another host name"
	}
	names := e.Certificate.DNSNames
	for _, ip := range e.Certificate.IPAddresses {
		names = append(names, ip.String())
	}
	if len(names) == 0 && e.Certificate.Subject.CommonName != "" {
		names = []string{e.Certificate.Subject.CommonName}
	}
	if len(names) == 0 {
		return fmt.Sprintf("it is not for %s", e.Host)
	}
	if len(names) > 3 {
		names = append(names[:3], "...")
	}
	return fmt.Sprintf("it is for %s, not %s", strings.Join(names, ", "), e.Host)
}

func dnsSentence(e *net.DNSError, service, addr string) string {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if e.IsNotFound {
		return fmt.Sprintf("The host name %s of the %s server could not be found: check its spelling (for example mail.example.com).", host, service)
	}
	return fmt.Sprintf("The host name %s of the %s server could not be looked up (%s): check your network connection and try again.", host, service, oneLine(e.Err))
}

func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func oneLine(s string) string {
	return quote(s)
}
