package mailparse

import (
	"strings"

	"golang.org/x/net/html"
)

// HTMLToText reduces mail HTML to readable text: paragraphs, line breaks,
// list items and headings become line breaks, links become "text (url)",
// blockquotes become "> " lines, and script and style content is dropped.
func HTMLToText(s string) string {
	w := &textWriter{}
	z := html.NewTokenizer(strings.NewReader(s))
	skip := ""
	var href string
	var anchor strings.Builder
	inAnchor := false
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return w.finish()
		case html.TextToken:
			if skip != "" {
				continue
			}
			t := string(z.Text())
			w.text(t)
			if inAnchor {
				anchor.WriteString(t)
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			nameB, hasAttr := z.TagName()
			name := string(nameB)
			end := tt == html.EndTagToken
			if skip != "" {
				if end && name == skip {
					skip = ""
				}
				continue
			}
			switch name {
			case "script", "style", "title", "noscript", "template", "xml", "svg", "head":
				if !end && tt != html.SelfClosingTagToken && name != "head" {
					skip = name
				}
			case "a":
				if !end {
					href, inAnchor = "", true
					anchor.Reset()
					for hasAttr {
						var k, v []byte
						k, v, hasAttr = z.TagAttr()
						if string(k) == "href" {
							href = strings.TrimSpace(string(v))
						}
					}
				} else if inAnchor {
					inAnchor = false
					w.link(anchor.String(), href)
				}
			default:
				w.tag(name, end)
			}
		}
	}
}

// textWriter builds text line by line so blockquote depth can prefix lines.
type textWriter struct {
	lines  []string
	cur    strings.Builder
	prefix string
	depth  int
	pre    int
}

func (w *textWriter) tag(name string, end bool) {
	switch name {
	case "br":
		w.br()
	case "p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "dl", "hr", "pre":
		w.para()
		if name == "pre" {
			if end {
				w.pre = max(0, w.pre-1)
			} else {
				w.pre++
			}
		}
	case "blockquote":
		w.para()
		if end {
			w.depth = max(0, w.depth-1)
		} else {
			w.depth++
		}
	case "div", "tr", "li", "dt", "dd", "section", "article", "header", "footer", "details",
		"summary", "address", "center", "figure", "figcaption", "caption", "main", "nav", "aside":
		w.block()
		if name == "li" && !end {
			w.write("- ")
		}
	case "td", "th":
		if !end && w.cur.Len() > 0 {
			w.write(" ")
		}
	}
}

func (w *textWriter) link(text, href string) {
	if !hrefRE.MatchString(href) {
		return
	}
	target := strings.TrimPrefix(strings.TrimPrefix(href, "mailto:"), "MAILTO:")
	t := strings.TrimSpace(text)
	if t == "" || strings.EqualFold(strings.TrimRight(t, "/"), strings.TrimRight(target, "/")) ||
		strings.EqualFold(strings.TrimRight(t, "/"), strings.TrimRight(href, "/")) {
		if t == "" {
			w.write(target)
		}
		return
	}
	w.write(" (" + href + ")")
}

func (w *textWriter) text(t string) {
	t = strings.Map(func(r rune) rune {
		switch r {
		case '\u00a0':
			return ' '
		case '\u200b', '\u200c', '\u200d', '\ufeff', '\r':
			return -1
		}
		return r
	}, t)
	if w.pre > 0 {
		for i, line := range strings.Split(t, "\n") {
			if i > 0 {
				w.br()
			}
			w.write(line)
		}
		return
	}
	for i, f := range strings.Fields(t) {
		if (i > 0 || startsWithSpace(t)) && w.cur.Len() > 0 && !strings.HasSuffix(w.cur.String(), " ") {
			w.write(" ")
		}
		w.write(f)
	}
	if len(t) > 0 && isSpace(t[len(t)-1]) && w.cur.Len() > 0 {
		w.write(" ")
	}
}

func startsWithSpace(s string) bool { return len(s) > 0 && isSpace(s[0]) }

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' }

func (w *textWriter) write(s string) {
	if w.cur.Len() == 0 {
		w.prefix = strings.Repeat("> ", w.depth)
	}
	w.cur.WriteString(s)
}

func (w *textWriter) br() {
	if w.cur.Len() == 0 {
		w.prefix = strings.Repeat("> ", w.depth)
	}
	w.lines = append(w.lines, strings.TrimRight(w.prefix+w.cur.String(), " "))
	w.cur.Reset()
}

func (w *textWriter) block() {
	if w.cur.Len() > 0 {
		w.br()
	}
}

func (w *textWriter) para() {
	w.block()
	if n := len(w.lines); n > 0 && strings.Trim(w.lines[n-1], "> ") != "" {
		w.lines = append(w.lines, strings.TrimRight(strings.Repeat("> ", w.depth), " "))
	}
}

func (w *textWriter) finish() string {
	w.block()
	for len(w.lines) > 0 && strings.Trim(w.lines[len(w.lines)-1], "> ") == "" {
		w.lines = w.lines[:len(w.lines)-1]
	}
	var out []string
	blank := 0
	for _, l := range w.lines {
		if strings.Trim(l, "> ") == "" {
			blank++
			if blank > 1 {
				continue
			}
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}
