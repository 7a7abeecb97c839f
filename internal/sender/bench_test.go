package sender_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"servicedesk/internal/model"
	"servicedesk/internal/neterr/neterrtest"
	"servicedesk/internal/sender"
)

// BenchmarkSend sends small replies to a go-smtp server on loopback, one
// connection per message as the outbox does (connect, EHLO, [STARTTLS,
// EHLO,] AUTH, MAIL, 2×RCPT, DATA, QUIT): ns/op is the time per message.
// "one connection" is the alternative for comparison: go-smtp's client
// reusing one signed-in connection for every message (MAIL, 2×RCPT, DATA).
// Run with -benchtime=1000x for the budget's 1,000 messages.
func BenchmarkSend(b *testing.B) {
	cert := neterrtest.NewCert(b, time.Time{}, time.Time{})
	msg := testMessage("bench")
	for _, tt := range []struct {
		name     string
		server   serverKind
		security string
	}{
		{"plain", plainAuth, model.SecurityNone},
		{"STARTTLS", withSTARTTLS, model.SecuritySTARTTLS},
		{"TLS", implicitTLS, model.SecurityTLS},
	} {
		b.Run(tt.name, func(b *testing.B) {
			m := &mailServer{}
			port := serve(b, m, tt.server, cert.Server)
			cfg := sender.Config{Host: "127.0.0.1", Port: port, Security: tt.security, User: testUser, Password: testPassword,
				TLSConfig: &tls.Config{RootCAs: cert.Roots}}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := sender.Send(context.Background(), cfg, envelope, bytes.NewReader(msg), func() error { return nil }); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			if _, _, taken, _ := m.seen(); len(taken) != b.N {
				b.Fatalf("the server took %d messages, want %d", len(taken), b.N)
			}
		})
	}
	b.Run("plain, one connection", func(b *testing.B) {
		m := &mailServer{}
		port := serve(b, m, plainAuth, nil)
		c, err := smtp.Dial(net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err != nil {
			b.Fatal(err)
		}
		if err := c.Auth(sasl.NewPlainClient("", testUser, testPassword)); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if err := c.SendMail(envelope.From, envelope.To, bytes.NewReader(msg)); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		if err := c.Quit(); err != nil {
			b.Fatal(err)
		}
	})
}
