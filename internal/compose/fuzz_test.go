package compose

import (
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"servicedesk/internal/linker"
)

func FuzzExpand(f *testing.F) {
	for _, s := range []string{
		"Hi {{customer.first_name}},\n\n{{ ticket.title }} (#{{ticket.iid}})\n\n{{agent.name}}",
		"{{customer.nmae}} {{ {{x}} }} {{{a}}} {{\n}}",
		"`{{code}}` ```\n{{x}}\n``` {{",
		"    {{indented}}\n\n> {{customer.email}}\n- {{brand.name}}",
		"{{customer.name}}, {{customer.name}}.\t{{customer.name}} ",
	} {
		f.Add(s, "Zoë Müller")
		f.Add(s, "")
	}
	f.Fuzz(func(t *testing.T, tpl, name string) {
		v := testVars
		v.CustomerName = name
		out, err := Expand(tpl, v)
		checkErr := Check(tpl)
		if (err == nil) != (checkErr == nil) {
			t.Fatalf("Expand error %v, Check error %v", err, checkErr)
		}
		if err != nil {
			var te *TemplateError
			if !errors.As(err, &te) || len(te.Problems) == 0 || te.Error() != checkErr.Error() {
				t.Fatalf("error %v is not a TemplateError matching Check's %v", err, checkErr)
			}
			lines := strings.Split(tpl, "\n")
			for _, p := range te.Problems {
				if p.Line < 1 || p.Line > len(lines) || !strings.HasPrefix(p.Text, "{{") || !strings.Contains(lines[p.Line-1], p.Text) {
					t.Fatalf("problem %+v does not point at its line of %q", p, tpl)
				}
			}
			return
		}
		if !strings.Contains(tpl, "{{") && out != tpl {
			t.Fatalf("a template without placeholders changed: %q -> %q", tpl, out)
		}
		if utf8.ValidString(tpl) && utf8.ValidString(name) && !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 out of valid input: %q", out)
		}
		if strings.Count(out, "\n") != strings.Count(tpl, "\n") {
			t.Fatalf("expansion changed the number of lines: %q -> %q", tpl, out)
		}
	})
}

func FuzzSubject(f *testing.F) {
	for _, s := range []string{"Card declined", "Re: X (#5)", "RE: AW: Sv: x (#5) (#5)", "", "Re:", "  \t\r\n", "Re[2]: (#5)", "X(#5)", "\xff\x00Re: x"} {
		f.Add(s, int64(5))
	}
	f.Add("Rückerstattung für Bestellung 881", int64(881))
	f.Add("x (#0)", int64(0))
	f.Fuzz(func(t *testing.T, title string, iid int64) {
		got := Subject(title, iid)
		if got != "Re:" && !strings.HasPrefix(got, "Re: ") {
			t.Fatalf("Subject(%q, %d) = %q does not start with Re:", title, iid, got)
		}
		rest := strings.TrimPrefix(strings.TrimPrefix(got, "Re:"), " ")
		if replyPrefix.MatchString(rest) {
			t.Fatalf("Subject(%q, %d) = %q has two reply prefixes", title, iid, got)
		}
		if again := Subject(got, iid); again != got {
			t.Fatalf("Subject is not stable: %q -> %q -> %q", title, got, again)
		}
		if !utf8.ValidString(got) || strings.IndexFunc(got, func(r rune) bool { return unicode.IsControl(r) }) >= 0 {
			t.Fatalf("Subject(%q, %d) = %q has invalid UTF-8 or control characters", title, iid, got)
		}
		if iid > 0 {
			if n, ok := linker.SubjectIID(got); !ok || n != iid {
				t.Fatalf("the linker reads #%d (%v) from %q, want #%d", n, ok, got, iid)
			}
			if strings.Count(got, "(#"+itoa(iid)+")") > strings.Count(title, "(#"+itoa(iid)+")")+1 {
				t.Fatalf("Subject(%q, %d) = %q adds more than one (#%d)", title, iid, got, iid)
			}
		}
	})
}

// FuzzMarkdownHTML: whatever an agent types, the HTML part carries nothing
// active and no link to anything but the web, mail and phone.
func FuzzMarkdownHTML(f *testing.F) {
	for _, s := range []string{
		"<script>alert(1)</script>",
		"[x](javascript:alert(1)) <javascript:x> ![i](data:image/png;base64,AA)",
		"<div onclick=x>\n*a*\n</div>",
		"| a |\n|---|\n| <img src=x onerror=y> |",
		"```\n<b>\n```\n\n    <i>\n\n`<u>`",
		"[a]: javascript:x\n\n[a] [b](<javascript:x>) [c](java\nscript:x)",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		text := tidy(body)
		if tidy(text) != text {
			t.Fatalf("tidy is not stable on %q", body)
		}
		if strings.Contains(text+"\n", " \n") || strings.Contains(text, "\n\n\n") || strings.Contains(text, "\r") {
			t.Fatalf("tidy left trailing spaces, blank runs or CR: %q", text)
		}
		htm, err := renderHTML(text, "")
		if err != nil {
			t.Fatalf("render: %v", err)
		}
		if bad := htmlProblems(t, htm); len(bad) > 0 {
			t.Fatalf("HTML from %q carries %q:\n%s", body, bad, htm)
		}
	})
}

func itoa(n int64) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}
