package mailparse

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

func FuzzParse(f *testing.F) {
	for _, pattern := range []string{"testdata/*.eml", filepath.Join(gitlabDir, "*.eml")} {
		files, _ := filepath.Glob(pattern)
		for _, name := range files {
			if b, err := os.ReadFile(name); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte("Content-Type: multipart/mixed; boundary=a\n\n--a\nContent-Type: message/rfc822\n\n--a--"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var streamed int64
		m, err := Parse(bytes.NewReader(data), Options{MaxTextBytes: 1 << 16, Attachment: func(a Attachment, body io.Reader) error {
			n, err := io.Copy(io.Discard, body)
			streamed += n
			return err
		}})
		if err != nil {
			t.Fatalf("Parse returned an error for in-memory input: %v", err)
		}
		if !utf8.ValidString(m.Text) || !utf8.ValidString(m.Subject) {
			t.Fatal("invalid UTF-8 in output")
		}
		var total int64
		for _, a := range m.Attachments {
			total += a.Size
		}
		if total != streamed {
			t.Fatalf("attachment sizes %d, streamed %d", total, streamed)
		}
		if m.Broken && m.Text == "" && len(bytes.TrimSpace(data)) > 0 {
			t.Fatal("broken mail lost its raw text")
		}
	})
}

func FuzzSafeHTML(f *testing.F) {
	f.Add(`<p onclick="x()">a<script>b</script><img src="http://x/y"><a href="javascript:z">c</a></p>`)
	f.Add(`<style>@import url(http://x)</style><div style="background:url(//x)">d</div>`)
	f.Add(`<svg><a xlink:href="javascript:1"><text>x</text></a></svg><math><mi xlink:href="data:x,<script>"></mi></math>`)
	f.Fuzz(func(t *testing.T, s string) {
		out := SafeHTML(s)
		if RemoteImages(out) != 0 {
			t.Fatalf("remote image survived: %q -> %q", s, out)
		}
		if again := SafeHTML(out); len(again) > len(out)+len(out)/2+64 {
			t.Fatalf("sanitizing twice grows the output: %q -> %q", out, again)
		}
		_ = HTMLToText(s)
	})
}

// FuzzSafeHTMLWithImages: with remote images allowed, the only things left
// that load are inline images and http(s) images on public hosts; nothing
// runs, submits or navigates.
func FuzzSafeHTMLWithImages(f *testing.F) {
	f.Add(`<img src="https://img.example/a.png" onerror="x()"><img src="http://127.0.0.1/x"><td background="https://img.example/t.png">`)
	f.Add(`<p style="background:url('https://img.example/b.png');color:red">a</p><p style="background:url(http://[::1]/x)">b</p>`)
	f.Add(`<style>@import url(http://x)</style><img srcset="https://x/a 2x"><svg><image href="https://x/i"/></svg>`)
	f.Fuzz(func(t *testing.T, s string) {
		out := SafeHTMLWithImages(s)
		if bad := unsafeParts(out, true); len(bad) > 0 {
			t.Fatalf("%q -> %q keeps %v", s, out, bad)
		}
		if bad := unsafeParts(SafeHTML(s), false); len(bad) > 0 {
			t.Fatalf("SafeHTML: %q keeps %v", s, bad)
		}
	})
}
