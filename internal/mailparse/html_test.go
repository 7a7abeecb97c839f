package mailparse

import (
	"strings"
	"testing"
)

// assertSafe fails when sanitized HTML still holds anything that could run,
// navigate, submit or fetch.
func assertSafe(t *testing.T, out string) {
	t.Helper()
	low := strings.ToLower(out)
	for _, bad := range []string{"<script", "alert(", "onerror", "onload", "javascript:", "<style", "url(",
		"<form", "<input", "<button", "<iframe", "<object", "<meta", "refresh", "evil.example", "target=", "<svg"} {
		if strings.Contains(low, bad) {
			t.Errorf("sanitized HTML still holds %q:\n%s", bad, out)
		}
	}
}

func TestSafeHTML(t *testing.T) {
	t.Parallel()
	in := `<p style="color:red;background:url(https://t.example/x)">Hi</p>` +
		`<a href="https://example.com/a" target="_blank" rel="opener">a</a>` +
		`<a href="mailto:x@y.example">m</a><a href="javascript:alert(1)">j</a><a href="/rel">r</a>` +
		`<img src="cid:part1@x"><img src="data:image/png;base64,iVBORw0KGgo="><img src="http://t.example/p.gif">` +
		`<table border="1"><tr><td bgcolor="#fff">c</td></tr></table><div style="width:expression(alert(1))">e</div>` +
		`<p style="background:u\72l(https://t.example/y)">escaped</p>`
	out := SafeHTML(in)
	for _, want := range []string{
		`<p style="color:red;background:none">Hi</p>`,
		`<a href="https://example.com/a" rel="noopener noreferrer">a</a>`,
		`<a href="mailto:x@y.example" rel="noopener noreferrer">m</a>`,
		`<img src="cid:part1@x">`, `src="data:image/png;base64,iVBORw0KGgo="`,
		`<table border="1"><tr><td bgcolor="#fff">c</td></tr></table>`,
		`<div>e</div>`, `<p>escaped</p>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("SafeHTML lacks %s:\n%s", want, out)
		}
	}
	for _, bad := range []string{"javascript", "/rel", "t.example", "opener\"", "target", "expression"} {
		if strings.Contains(out, bad) {
			t.Errorf("SafeHTML keeps %q:\n%s", bad, out)
		}
	}
	if n := RemoteImages(in); n != 2 {
		t.Errorf("RemoteImages = %d, want 2", n)
	}
	if n := RemoteImages(out); n != 0 {
		t.Errorf("RemoteImages(SafeHTML) = %d, want 0", n)
	}
}

func TestHTMLToText(t *testing.T) {
	t.Parallel()
	in := `<html><head><title>T</title><style>p{color:red}</style></head><body>` +
		`<h1>Title</h1><p>Hello <b>wor</b>ld,&nbsp;see <a href="https://example.com/x">the docs</a>.</p>` +
		`<ul><li>one</li><li>two</li></ul>line<br>break<script>alert(1)</script>` +
		`<blockquote><p>quoted</p></blockquote></body></html>`
	want := "Title\n\nHello world, see the docs (https://example.com/x).\n\n- one\n- two\n\nline\nbreak\n\n> quoted"
	eq(t, "HTMLToText", HTMLToText(in), want)
}
