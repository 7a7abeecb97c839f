package compose

import (
	"bytes"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// markdown renders agents' Markdown for e-mail: GitHub-flavoured (tables,
// strikethrough, task lists, bare URLs and addresses as links), line breaks
// kept as typed (GitLab renders notes that way), raw HTML not recognised at
// all (so "<script>" is text, escaped like any other), and inline styles
// because mail clients drop most style sheets. Goldmark converts
// concurrently without locking.
var markdown = goldmark.New(
	goldmark.WithParser(parser.NewParser(
		parser.WithBlockParsers(without(parser.DefaultBlockParsers(), parser.NewHTMLBlockParser())...),
		parser.WithInlineParsers(without(parser.DefaultInlineParsers(), parser.NewRawHTMLParser())...),
		parser.WithParagraphTransformers(parser.DefaultParagraphTransformers()...),
		parser.WithASTTransformers(util.Prioritized(styler{}, 1000)),
	)),
	goldmark.WithRendererOptions(
		html.WithHardWraps(),
		renderer.WithNodeRenderers(util.Prioritized(codeBlockRenderer{}, 100)),
	),
	goldmark.WithExtensions(
		extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
		extension.Strikethrough,
		extension.Linkify,
		extension.TaskList,
	),
)

// without returns ps minus the parsers of the same type as drop.
func without(ps []util.PrioritizedValue, drop any) []util.PrioritizedValue {
	t := reflect.TypeOf(drop)
	out := ps[:0:0]
	for _, p := range ps {
		if reflect.TypeOf(p.Value) != t {
			out = append(out, p)
		}
	}
	return out
}

// Inline styles, kept small: what Gmail, Outlook and Apple Mail all honour.
const (
	fontStack    = `-apple-system,BlinkMacSystemFont,'Segoe UI',Helvetica,Arial,sans-serif`
	monoStack    = `SFMono-Regular,Consolas,'Liberation Mono',Menlo,monospace`
	styleWrapper = `font-family:` + fontStack + `;font-size:14px;line-height:1.5;color:#1f2328;max-width:680px;`
	styleSig     = `margin-top:20px;padding-top:10px;border-top:1px solid #d0d7de;color:#59636e;font-size:13px;`
	stylePre     = `margin:0 0 12px 0;padding:8px 12px;background:#f6f8fa;border-radius:4px;font-family:` + monoStack + `;font-size:13px;line-height:1.45;white-space:pre-wrap;word-wrap:break-word;`
)

var styles = map[ast.NodeKind]string{
	ast.KindParagraph:     `margin:0 0 12px 0;`,
	ast.KindHeading:       `margin:16px 0 8px 0;line-height:1.25;`,
	ast.KindBlockquote:    `margin:0 0 12px 0;padding:0 0 0 12px;border-left:3px solid #d0d7de;color:#59636e;`,
	ast.KindList:          `margin:0 0 12px 0;padding-left:24px;`,
	ast.KindThematicBreak: `border:0;border-top:1px solid #d0d7de;margin:16px 0;`,
	ast.KindLink:          `color:#0969da;`,
	ast.KindAutoLink:      `color:#0969da;`,
	ast.KindCodeSpan:      `padding:1px 4px;background:#f6f8fa;border-radius:3px;font-family:` + monoStack + `;font-size:13px;`,
	ast.KindImage:         `max-width:100%;height:auto;`,
	east.KindTable:        `border-collapse:collapse;margin:0 0 12px 0;`,
	east.KindTableCell:    `border:1px solid #d0d7de;padding:4px 8px;`,
}

var headingSize = [...]string{1: "20px", 2: "18px", 3: "16px", 4: "14px", 5: "14px", 6: "13px"}

// styler puts the inline styles on the nodes whose renderers write
// attributes, and turns links and images a customer should not get into
// their text: only http(s), mailto: and tel: links and http(s) images stay
// (goldmark would keep a javascript: link as href="", and a relative one
// such as GitLab's /uploads/… leads nowhere from a mailbox).
type styler struct{}

func (styler) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	source := reader.Source()
	var unwrap []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			if !safeURL(n.Destination, false) {
				unwrap = append(unwrap, n)
			}
		case *ast.Image:
			if !safeURL(n.Destination, true) {
				unwrap = append(unwrap, n)
			}
		case *ast.AutoLink:
			if n.AutoLinkType != ast.AutoLinkEmail && !safeURL(n.URL(source), false) {
				unwrap = append(unwrap, n)
			}
		}
		s, ok := styles[n.Kind()]
		if !ok {
			return ast.WalkContinue, nil
		}
		if h, isHeading := n.(*ast.Heading); isHeading && h.Level >= 1 && h.Level <= 6 {
			s += "font-size:" + headingSize[h.Level] + ";"
		}
		n.SetAttributeString("style", []byte(s))
		return ast.WalkContinue, nil
	})
	for _, n := range unwrap {
		parent := n.Parent()
		if parent == nil {
			continue
		}
		if a, ok := n.(*ast.AutoLink); ok {
			parent.ReplaceChild(parent, n, ast.NewString(a.Label(source)))
			continue
		}
		for c := n.FirstChild(); c != nil; c = n.FirstChild() {
			n.RemoveChild(n, c)
			parent.InsertBefore(parent, n, c)
		}
		parent.RemoveChild(parent, n)
	}
}

// safeURL reports whether a link (or, with image, an image source) may reach
// a customer.
func safeURL(u []byte, image bool) bool {
	s := strings.ToLower(strings.TrimSpace(string(u)))
	if strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://") {
		return true
	}
	return !image && (strings.HasPrefix(s, "mailto:") || strings.HasPrefix(s, "tel:"))
}

// codeBlockRenderer writes code blocks with a styled <pre> (goldmark's own
// renderer writes no attributes on it).
type codeBlockRenderer struct{}

func (codeBlockRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindCodeBlock, renderCodeBlock)
	reg.Register(ast.KindFencedCodeBlock, renderCodeBlock)
}

func renderCodeBlock(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		_, _ = w.WriteString("</code></pre>\n")
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString(`<pre style="` + stylePre + `"><code>`)
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		_, _ = w.Write(util.EscapeHTML(seg.Value(source)))
	}
	return ast.WalkContinue, nil
}

// renderHTML returns the text/html part: body and signature (both tidied
// Markdown) rendered in the wrapper.
func renderHTML(body, signature string) (string, error) {
	var b bytes.Buffer
	b.Grow(2*len(body) + len(signature) + 1024)
	b.WriteString("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">" +
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"></head>\n" +
		"<body style=\"margin:0;padding:0;\">\n<div style=\"" + styleWrapper + "\">\n")
	if err := markdown.Convert([]byte(body), &b); err != nil {
		return "", err
	}
	if signature != "" {
		b.WriteString("<div style=\"" + styleSig + "\">\n")
		if err := markdown.Convert([]byte(signature), &b); err != nil {
			return "", err
		}
		b.WriteString("</div>\n")
	}
	b.WriteString("</div>\n</body></html>\n")
	return b.String(), nil
}

// renderText returns the text/plain part: the tidied body, then the
// signature under the "-- " line that mail clients recognise.
func renderText(body, signature string) string {
	if signature == "" {
		return body + "\n"
	}
	if body == "" {
		return "-- \n" + signature + "\n"
	}
	return body + "\n\n-- \n" + signature + "\n"
}

// tidy returns Markdown as it should read in a text part: LF line ends,
// no control characters but tabs, no trailing white space (so no stray
// "-- " signature marker), at most one blank line in a row, no blank lines
// at either end, valid UTF-8.
func tidy(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	b.Grow(len(s))
	blank := 0
	for line := range strings.Lines(strings.ReplaceAll(s, "\r", "\n")) {
		line = strings.Map(func(r rune) rune {
			if r == '\t' || (r >= ' ' && r != 0x7f && (r < 0x80 || r > 0x9f)) {
				return r
			}
			return -1
		}, line)
		line = strings.TrimRight(line, " \t\u00a0\u3000")
		if line == "" {
			blank++
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
			if blank > 0 {
				b.WriteByte('\n')
			}
		}
		blank = 0
		b.WriteString(line)
	}
	return b.String()
}

// tidySignature is tidy without a leading "--" line the agent may have typed
// (the separator is added once, by renderText).
func tidySignature(s string) string {
	s = tidy(s)
	if first, rest, _ := strings.Cut(s, "\n"); first == "--" {
		return tidy(rest)
	}
	return s
}
