package mailparse

import (
	"regexp"
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
)

var (
	policyOnce sync.Once
	policy     *bluemonday.Policy

	hrefRE   = regexp.MustCompile(`(?i)^\s*(https?:|mailto:)`)
	imgSrcRE = regexp.MustCompile(`(?i)^\s*(cid:|data:image/(png|jpeg|jpg|gif|webp|bmp);)`)
	// cssURLRE finds url(...) and image-set(...) in inline styles: CSS that
	// would fetch something when the mail is shown.
	cssURLRE    = regexp.MustCompile(`(?i)(url|image-set|-webkit-image-set|image|cross-fade)\s*\([^)]*\)?`)
	cssDangerRE = regexp.MustCompile(`(?i)(\\|expression|behavior|binding|@import|javascript:|vbscript:|/\*)`)
	remoteRE    = regexp.MustCompile(`(?i)^\s*(https?:)?//`)
	cssRemoteRE = regexp.MustCompile(`(?i)url\s*\(\s*['"]?\s*(https?:)?//`)
)

// mailPolicy is the bluemonday policy for showing mail: formatting and tables
// stay; scripts, styles elements, event handlers, forms, frames, objects and
// meta refresh go; links keep only http(s)/mailto targets; images keep only
// cid: and data:image sources.
func mailPolicy() *bluemonday.Policy {
	policyOnce.Do(func() {
		p := bluemonday.NewPolicy()
		p.AllowElements("a", "abbr", "acronym", "address", "article", "aside", "b", "bdi", "bdo", "big",
			"blockquote", "br", "caption", "center", "cite", "code", "col", "colgroup", "dd", "del",
			"details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "font", "footer", "h1",
			"h2", "h3", "h4", "h5", "h6", "header", "hr", "i", "img", "ins", "kbd", "li", "main", "mark",
			"nav", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "section", "small", "span",
			"strike", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
			"time", "tr", "tt", "u", "ul", "var", "wbr")
		p.AllowAttrs("style", "class", "dir", "lang", "title", "align", "valign", "width", "height",
			"bgcolor", "color", "border", "cellpadding", "cellspacing", "colspan", "rowspan", "nowrap",
			"face", "size", "type", "start", "reversed", "span", "scope", "headers", "abbr", "open").Globally()
		p.AllowAttrs("alt", "hspace", "vspace").OnElements("img")
		p.AllowURLSchemes("http", "https", "mailto", "cid")
		p.AllowDataURIImages()
		p.RequireParseableURLs(true)
		p.AllowRelativeURLs(false)
		p.AllowAttrs("href").Matching(hrefRE).OnElements("a")
		p.AllowAttrs("src").Matching(imgSrcRE).OnElements("img")
		p.SkipElementsContent("title", "script", "style", "noscript", "template", "xml",
			"iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math", "select", "textarea")
		policy = p
	})
	return policy
}

// SafeHTML sanitizes mail HTML for display: see mailPolicy for what survives.
// Links get rel="noopener noreferrer" and lose any target; inline style
// attributes stay, minus url(...) and anything else that could fetch or run.
// Remote images are removed; RemoteImages tells how many there were.
func SafeHTML(s string) string {
	clean := mailPolicy().Sanitize(s)
	return rewriteSafe(clean)
}

// rewriteSafe is the second pass over bluemonday's output: link attributes
// and inline CSS.
func rewriteSafe(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var out strings.Builder
	out.Grow(len(s) + 64)
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return out.String()
		}
		tok := z.Token()
		if tt == html.StartTagToken || tt == html.SelfClosingTagToken {
			attrs := tok.Attr[:0]
			for _, a := range tok.Attr {
				switch {
				case tok.Data == "a" && (a.Key == "target" || a.Key == "rel"):
					continue
				case a.Key == "style":
					a.Val = safeCSS(a.Val)
					if a.Val == "" {
						continue
					}
				}
				attrs = append(attrs, a)
			}
			if tok.Data == "a" {
				attrs = append(attrs, html.Attribute{Key: "rel", Val: "noopener noreferrer"})
			}
			if tok.Data == "img" && !hasAttr(attrs, "src") {
				continue // a remote image whose src was removed
			}
			tok.Attr = attrs
		}
		out.WriteString(tok.String())
	}
}

func hasAttr(attrs []html.Attribute, key string) bool {
	for _, a := range attrs {
		if a.Key == key {
			return true
		}
	}
	return false
}

// safeCSS keeps an inline style unless it could fetch or run something.
func safeCSS(v string) string {
	if cssDangerRE.MatchString(v) {
		return ""
	}
	return strings.TrimSpace(cssURLRE.ReplaceAllString(v, "none"))
}

// imageTags are the elements whose src is an image.
var imageTags = map[string]bool{"img": true, "input": true, "image": true, "source": true}

// RemoteImages counts the remote resources in mail HTML that SafeHTML
// removes and the app may load once the agent allows it: img src/srcset,
// background attributes, and url(...) in inline styles and style elements.
func RemoteImages(s string) int {
	z := html.NewTokenizer(strings.NewReader(s))
	n := 0
	inStyle := false
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return n
		case html.TextToken:
			if inStyle {
				n += len(cssRemoteRE.FindAllIndex(z.Text(), -1))
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); string(name) == "style" {
				inStyle = false
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			inStyle = string(name) == "style" && tt == html.StartTagToken
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				switch string(k) {
				case "src", "background", "poster":
					if (string(k) != "src" || imageTags[string(name)]) && remoteRE.Match(v) {
						n++
					}
				case "srcset":
					if strings.Contains(strings.ToLower(string(v)), "//") {
						n++
					}
				case "style":
					n += len(cssRemoteRE.FindAllIndex(v, -1))
				}
			}
		}
	}
}
