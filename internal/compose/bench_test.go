package compose

import (
	"bytes"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
)

// benchBody is a typical reply of about 3 KB: greeting, paragraphs, a list,
// links, a quote, a code block.
func benchBody() string {
	para := "Thanks for the details and the screenshots. I looked at your account and the payment " +
		"provider's log: the card was declined by the issuing bank with code 05, which usually means " +
		"the bank's fraud check stopped it. Nothing is wrong on our side, and no money was taken.\n\n"
	var b strings.Builder
	b.WriteString("Hi Zoë,\n\n")
	for b.Len() < 2600 {
		b.WriteString(para)
	}
	b.WriteString("What you can do:\n\n1. Call your bank and ask them to allow the payment.\n" +
		"2. Try again at https://acme.com/billing (it keeps your cart).\n3. Or pay by **PayPal** instead.\n\n" +
		"> The card ending 4242 was declined.\n\n```\nerror: do_not_honor (05)\n```\n\n" +
		"If it still fails, reply to this mail and we will look again.\n\nBest regards,\nSam")
	return b.String()
}

// BenchmarkBuild builds a typical reply (3 KB of Markdown, one 200 KB
// attachment). Queueing a reply has 20 ms in all.
func BenchmarkBuild(b *testing.B) {
	data := make([]byte, 200<<10)
	rng := rand.New(rand.NewChaCha8([32]byte{2}))
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	r := testReply()
	r.Body = benchBody()
	r.From.Signature = "Sam Agent\nAcme Support · https://acme.com"
	r.Cc = []Address{{Name: "Bob", Email: "bob@example.com"}}
	r.Attachments = []Attachment{{Name: "invoice-881.pdf", ContentType: "application/pdf", Size: int64(len(data)),
		Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }}}
	if n := len(r.Body); n < 2800 || n > 3300 {
		b.Fatalf("body is %d bytes, want about 3 KB", n)
	}
	var out bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		out.Reset()
		if err := Build(r, &out); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(out.Len()), "msg-bytes")
}

// BenchmarkExpand expands a template of the same size.
func BenchmarkExpand(b *testing.B) {
	tpl := "Hi {{customer.first_name}},\n\n" + benchBody() + "\n\n{{agent.name}}\n{{brand.name}} · ticket #{{ticket.iid}}"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Expand(tpl, testVars); err != nil {
			b.Fatal(err)
		}
	}
}
