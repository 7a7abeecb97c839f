package mailparse

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
)

// typicalMail is a ~10 KB multipart/alternative reply with a small PNG.
func typicalMail() []byte {
	var b bytes.Buffer
	para := "Thanks for the quick answer. The export still stops at 80% and the log shows a timeout; we tried again this morning. "
	b.WriteString("Return-Path: <anna@customer.example>\r\nReceived: from mx.customer.example by mx.acme.example; Tue, 3 Jun 2025 10:15:00 +0200\r\n")
	b.WriteString("Message-ID: <bench-1@customer.example>\r\nIn-Reply-To: <reply-0123456789abcdef0123456789abcdef@gitlab.example>\r\n")
	b.WriteString("References: <issue_1@gitlab.example> <reply-0123456789abcdef0123456789abcdef@gitlab.example>\r\n")
	b.WriteString("Date: Tue, 3 Jun 2025 10:15:00 +0200\r\nFrom: =?utf-8?q?Anna_M=C3=BCller?= <anna@customer.example>\r\n")
	b.WriteString("To: ACME Support <support+0123456789abcdef0123456789abcdef@acme.example>\r\nCc: bob@customer.example\r\n")
	b.WriteString("Subject: =?utf-8?q?Re=3A_Export_h=C3=A4ngt_=28=2342=29?=\r\nMIME-Version: 1.0\r\n")
	b.WriteString("Content-Type: multipart/mixed; boundary=\"mix\"\r\n\r\n--mix\r\nContent-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n")
	b.WriteString("--alt\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	for i := 0; i < 20; i++ {
		b.WriteString(para + "\r\n")
	}
	b.WriteString("\r\nOn Mon, Jun 2, 2025 at 5:00 PM ACME Support <support@acme.example> wrote:\r\n")
	for i := 0; i < 10; i++ {
		b.WriteString("> " + para + "\r\n")
	}
	b.WriteString("--alt\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<html><body>")
	for i := 0; i < 20; i++ {
		b.WriteString("<p style=3D\"margin:0\">" + para + "</p>\r\n")
	}
	b.WriteString("<blockquote>" + strings.Repeat(para, 5) + "</blockquote></body></html>\r\n--alt--\r\n")
	b.WriteString("--mix\r\nContent-Type: image/png; name=\"shot.png\"\r\nContent-Disposition: attachment; filename=\"shot.png\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	for i := 0; i < 10; i++ {
		b.WriteString(strings.Repeat("iVBORw0KGgoAAAANSUhEUgAA", 3) + "\r\n")
	}
	b.WriteString("--mix--\r\n")
	return b.Bytes()
}

func BenchmarkParseTypical(b *testing.B) {
	mail := typicalMail()
	b.SetBytes(int64(len(mail)))
	b.ReportAllocs()
	for b.Loop() {
		m, err := Parse(bytes.NewReader(mail), Options{Attachment: func(_ Attachment, r io.Reader) error {
			_, err := io.Copy(io.Discard, r)
			return err
		}})
		if err != nil || len(m.Attachments) != 1 || m.Stripped == m.Text {
			b.Fatal(fmt.Sprint(err, m.Attachments))
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}
