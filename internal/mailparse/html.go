package mailparse

import (
	"net"
	"net/url"
	"regexp"
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
)

var (
	policyOnce   sync.Once
	policy       *bluemonday.Policy
	remoteOnce   sync.Once
	remotePolicy *bluemonday.Policy

	hrefRE   = regexp.MustCompile(`(?i)^\s*(https?:|mailto:)`)
	imgSrcRE = regexp.MustCompile(`(?i)^\s*(cid:|data:image/(png|jpeg|jpg|gif|webp|bmp);)`)
	// remoteImgSrcRE adds absolute http(s) URLs to imgSrcRE, for a mail
	// whose remote images the agent allowed; remoteURLRE is such a URL
	// alone, for the legacy background attribute of tables.
	remoteImgSrcRE = regexp.MustCompile(`(?i)^\s*(cid:|data:image/(png|jpeg|jpg|gif|webp|bmp);|https?://[^\s/?#])`)
	remoteURLRE    = regexp.MustCompile(`(?i)^\s*https?://[^\s"'<>\\]+\s*$`)
	// cssImageURLRE is a url(...) of inline CSS that may load once remote
	// images are allowed: an absolute http(s) URL that cannot end the
	// url() early or carry an escape.
	cssImageURLRE = regexp.MustCompile(`(?i)^url\(\s*(['"]?)(https?://[^\s'"()\\<>]+)(['"]?)\s*\)$`)
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
	policyOnce.Do(func() { policy = newMailPolicy(false) })
	return policy
}

// remoteImagesPolicy is mailPolicy for a mail whose remote images the agent
// allowed: images may also have an absolute http(s) source, and tables the
// legacy background attribute with one. Nothing else differs.
func remoteImagesPolicy() *bluemonday.Policy {
	remoteOnce.Do(func() { remotePolicy = newMailPolicy(true) })
	return remotePolicy
}

func newMailPolicy(remoteImages bool) *bluemonday.Policy {
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
	if remoteImages {
		p.AllowAttrs("src").Matching(remoteImgSrcRE).OnElements("img")
		p.AllowAttrs("background").Matching(remoteURLRE).OnElements("table", "tr", "td", "th")
	} else {
		p.AllowAttrs("src").Matching(imgSrcRE).OnElements("img")
	}
	p.SkipElementsContent("title", "script", "style", "noscript", "template", "xml",
		"iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math", "select", "textarea")
	return p
}

// SafeHTML sanitizes mail HTML for display: see mailPolicy for what survives.
// Links get rel="noopener noreferrer" and lose any target; inline style
// attributes stay, minus url(...) and anything else that could fetch or run.
// Remote images are removed; RemoteImages tells how many there were.
func SafeHTML(s string) string {
	return rewriteSafe(mailPolicy().Sanitize(s), false)
}

// SafeHTMLWithImages is SafeHTML for a mail whose remote images the agent
// allowed. Images with an absolute http(s) source, url(...) of one in inline
// styles and the background attribute of tables stay when the URL names a
// host on the Internet (not localhost or a loopback, private or link-local
// address: a mail must not make the agent's machine call into its own
// network). Images get referrerpolicy="no-referrer". Everything else goes as
// in SafeHTML: scripts, handlers, forms, frames, style elements, srcset, and
// every other scheme or a relative URL.
func SafeHTMLWithImages(s string) string {
	return rewriteSafe(remoteImagesPolicy().Sanitize(s), true)
}

// rewriteSafe is the second pass over bluemonday's output: link attributes,
// inline CSS and, when remote images are allowed, their hosts.
func rewriteSafe(s string, remoteImages bool) string {
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
			remote := false
			for _, a := range tok.Attr {
				switch {
				case tok.Data == "a" && (a.Key == "target" || a.Key == "rel"):
					continue
				case a.Key == "style":
					a.Val = safeCSS(a.Val, remoteImages)
					if a.Val == "" {
						continue
					}
				case a.Key == "src" || a.Key == "background":
					if remoteRE.MatchString(a.Val) {
						if !remoteImages || !publicURL(a.Val) {
							continue
						}
						remote = true
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
			if tok.Data == "img" && remote {
				attrs = append(attrs, html.Attribute{Key: "referrerpolicy", Val: "no-referrer"})
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

// safeCSS keeps an inline style unless it could run something; url(...) and
// the other image functions become none, except, when remote images are
// allowed, url(...) of an http(s) URL on a public host.
func safeCSS(v string, remoteImages bool) string {
	if cssDangerRE.MatchString(v) {
		return ""
	}
	return strings.TrimSpace(cssURLRE.ReplaceAllStringFunc(v, func(fn string) string {
		if remoteImages {
			if m := cssImageURLRE.FindStringSubmatch(fn); m != nil && m[1] == m[3] && publicURL(m[2]) {
				return "url(" + m[2] + ")"
			}
		}
		return "none"
	}))
}

// ipv4LabelRE is a last host label that makes a browser read the host as an
// IPv4 address (WHATWG URL: "ends in a number"), in any of its forms
// (127.1, 2130706433, 0x7f.0.0.1).
var ipv4LabelRE = regexp.MustCompile(`(?i)^(\d+|0x[0-9a-f]*)$`)

// publicURL reports whether an http(s) URL names a host on the Internet: not
// localhost, and not an address literal that is loopback, private,
// link-local, multicast or unspecified (IPv4 in a form other than the dotted
// quad is refused too). A name that resolves to such an address is not
// caught: this is against mail pointing plainly at the agent's network.
func publicURL(raw string) bool {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil {
		return false
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	if host == "" || host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return false
	}
	ip := net.ParseIP(host)
	if ip == nil {
		labels := strings.Split(host, ".")
		return !ipv4LabelRE.MatchString(labels[len(labels)-1]) && !strings.Contains(host, ":")
	}
	if ip.To4() != nil && strings.Count(host, ".") != 3 {
		return false
	}
	return !(ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified())
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
