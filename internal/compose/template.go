package compose

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// Vars are the values a template's placeholders take.
type Vars struct {
	CustomerName  string // the customer's display name; "" when unknown
	CustomerEmail string
	TicketIID     int64 // 0 when unknown: {{ticket.iid}} is then ""
	TicketTitle   string
	AgentName     string
	AgentEmail    string
	BrandName     string
	BrandAddress  string
}

// variable is one placeholder name and how its value is found.
type variable struct {
	name  string
	value func(Vars) string
}

var variables = []variable{
	{"customer.name", func(v Vars) string { return customerName(v) }},
	{"customer.first_name", func(v Vars) string { return firstName(customerName(v)) }},
	{"customer.email", func(v Vars) string { return collapseSpace(v.CustomerEmail) }},
	{"ticket.iid", func(v Vars) string {
		if v.TicketIID <= 0 {
			return ""
		}
		return strconv.FormatInt(v.TicketIID, 10)
	}},
	{"ticket.title", func(v Vars) string { return collapseSpace(v.TicketTitle) }},
	{"agent.name", func(v Vars) string { return collapseSpace(v.AgentName) }},
	{"agent.email", func(v Vars) string { return collapseSpace(v.AgentEmail) }},
	{"brand.name", func(v Vars) string { return collapseSpace(v.BrandName) }},
	{"brand.address", func(v Vars) string { return collapseSpace(v.BrandAddress) }},
}

// Variables returns the placeholder names a template may use, without the
// braces, in the order a picker should show them.
func Variables() []string {
	names := make([]string, len(variables))
	for i, v := range variables {
		names[i] = v.name
	}
	return names
}

// lookup returns the variable called name.
func lookup(name string) (variable, bool) {
	for _, v := range variables {
		if v.name == name {
			return v, true
		}
	}
	return variable{}, false
}

// Reasons a placeholder is refused.
const (
	ReasonUnknown   = "unknown variable"
	ReasonNotClosed = "not closed"
	ReasonNotName   = "not a variable"
)

// Problem is one refused placeholder.
type Problem struct {
	Line   int    // 1-based line of its "{{"
	Text   string // as written: "{{customer.nmae}}", or "{{" when not closed on its line
	Name   string // the name inside the braces when it is one, else ""
	Reason string // ReasonUnknown, ReasonNotClosed or ReasonNotName
}

// TemplateError lists every refused placeholder of a template, in order.
type TemplateError struct {
	Problems []Problem
}

func (e *TemplateError) Error() string {
	var b strings.Builder
	b.WriteString("template: ")
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("; ")
		}
		switch p.Reason {
		case ReasonUnknown:
			fmt.Fprintf(&b, "unknown variable %s on line %d", p.Text, p.Line)
		case ReasonNotClosed:
			fmt.Fprintf(&b, "%q not closed on line %d", p.Text, p.Line)
		default:
			fmt.Fprintf(&b, "%q on line %d is not a variable", p.Text, p.Line)
		}
	}
	b.WriteString(" (to send braces as typed, put them in `code`)")
	return b.String()
}

// Expand replaces the placeholders of tpl (Markdown) with v's values. It
// refuses the whole template, with a *TemplateError listing every problem,
// when a "{{" outside Markdown code does not open a known placeholder. See
// the package doc for the rules.
func Expand(tpl string, v Vars) (string, error) {
	return expand(tpl, &v)
}

// Check reports, as Expand would, what is wrong with tpl's placeholders;
// nil when Expand would accept it.
func Check(tpl string) error {
	_, err := expand(tpl, nil)
	return err
}

// expand does Expand; with v nil it only checks.
func expand(tpl string, v *Vars) (string, error) {
	if !strings.Contains(tpl, "{{") {
		return tpl, nil
	}
	code := codeRanges(tpl)
	var out []byte
	if v != nil {
		out = make([]byte, 0, len(tpl)+64)
	}
	var problems []Problem
	line, counted := 1, 0 // line of tpl[counted]
	i := 0                // tpl[:i] is dealt with
	for {
		j := strings.Index(tpl[i:], "{{")
		if j < 0 {
			break
		}
		pos := i + j
		if code.contains(pos) {
			out = append(out, tpl[i:pos+2]...)
			i = pos + 2
			continue
		}
		end, name, reason := placeholder(tpl, pos)
		if reason != "" {
			line += strings.Count(tpl[counted:pos], "\n")
			counted = pos
			problems = append(problems, Problem{Line: line, Text: tpl[pos:end], Name: name, Reason: reason})
			i = end // what is built from here on is thrown away
			continue
		}
		if v == nil {
			i = end
			continue
		}
		out = append(out, tpl[i:pos]...)
		i = end
		vr, _ := lookup(name)
		if val := vr.value(*v); val != "" {
			out = append(out, val...)
		} else {
			out, i = dropSpace(out, tpl, i)
		}
	}
	if len(problems) > 0 {
		return "", &TemplateError{Problems: problems}
	}
	if v == nil {
		return "", nil
	}
	return string(append(out, tpl[i:]...)), nil
}

// placeholder reads the placeholder whose "{{" is at tpl[pos]: where it ends
// (past its "}}"), the name inside, and why it is refused ("" for a known
// variable). A "{{" not closed on its line ends right after itself.
func placeholder(tpl string, pos int) (end int, name, reason string) {
	eol := strings.IndexByte(tpl[pos:], '\n')
	if eol < 0 {
		eol = len(tpl)
	} else {
		eol += pos
	}
	k := strings.Index(tpl[pos+2:eol], "}}")
	if k < 0 {
		return pos + 2, "", ReasonNotClosed
	}
	end = pos + 2 + k + 2
	name = strings.Trim(tpl[pos+2:end-2], " \t")
	switch _, known := lookup(name); {
	case !isName(name):
		return end, "", ReasonNotName
	case !known:
		return end, name, ReasonUnknown
	}
	return end, name, ""
}

// dropSpace makes an empty value take one adjoining space with it: the
// spaces before it when punctuation or the end of the line follows, else the
// spaces after it when it stands at the start of a line or after a space.
// It returns out and the new position in tpl.
func dropSpace(out []byte, tpl string, i int) ([]byte, int) {
	next := byte('\n')
	if i < len(tpl) {
		next = tpl[i]
	}
	switch next {
	case ',', '.', '!', '?', ';', ':', ')', '\n', '\r':
		for len(out) > 0 && (out[len(out)-1] == ' ' || out[len(out)-1] == '\t') {
			out = out[:len(out)-1]
		}
	case ' ', '\t':
		if len(out) == 0 || out[len(out)-1] == ' ' || out[len(out)-1] == '\t' || out[len(out)-1] == '\n' {
			for i < len(tpl) && (tpl[i] == ' ' || tpl[i] == '\t') {
				i++
			}
		}
	}
	return out, i
}

// isName reports whether s looks like a placeholder name: letters, digits,
// "_" and ".", not empty.
func isName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '_' && c != '.' {
			return false
		}
	}
	return true
}

// ranges are sorted, non-overlapping byte ranges [start, end).
type ranges [][2]int

// contains reports whether pos falls in one of the ranges.
func (r ranges) contains(pos int) bool {
	k := sort.Search(len(r), func(k int) bool { return r[k][1] > pos })
	return k < len(r) && r[k][0] <= pos
}

// codeRanges returns where src has Markdown code (spans and blocks), as the
// renderer will see it.
func codeRanges(src string) ranges {
	doc := markdown.Parser().Parse(text.NewReader([]byte(src)))
	var r ranges
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.Kind() {
		case ast.KindCodeSpan:
			first, last := n.FirstChild(), n.LastChild()
			ft, ok1 := first.(*ast.Text)
			lt, ok2 := last.(*ast.Text)
			if ok1 && ok2 {
				r = append(r, [2]int{ft.Segment.Start, lt.Segment.Stop})
			}
			return ast.WalkSkipChildren, nil
		case ast.KindCodeBlock, ast.KindFencedCodeBlock:
			lines := n.Lines()
			for k := 0; k < lines.Len(); k++ {
				seg := lines.At(k)
				r = append(r, [2]int{seg.Start, seg.Stop})
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	sort.Slice(r, func(a, b int) bool { return r[a][0] < r[b][0] })
	return r
}

// customerName is the customer's name as a greeting may use it: one line,
// without quotes around it, "" when it is only an address.
func customerName(v Vars) string {
	name := strings.Trim(collapseSpace(v.CustomerName), `"' `)
	if strings.Contains(name, "@") && !strings.Contains(name, " ") || strings.EqualFold(name, strings.TrimSpace(v.CustomerEmail)) {
		return ""
	}
	return name
}

// titles are words before a first name that are not one.
var titles = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "miss": true, "mx": true, "dr": true, "prof": true, "sir": true,
	"herr": true, "frau": true, "m": true, "mme": true, "mlle": true, "sr": true, "sra": true, "dott": true,
}

// firstName returns the first name in name: the first word, skipping
// titles, or the word after the comma of "Last, First". When a title is
// followed by a single word (a surname), the whole name is kept: "Dr. Müller".
func firstName(name string) string {
	swapped := false
	if last, first, ok := strings.Cut(name, ","); ok && !strings.Contains(strings.TrimSpace(last), " ") && strings.TrimSpace(first) != "" {
		name, swapped = first, true
	}
	words := strings.Fields(name)
	k := 0
	for k < len(words)-1 && titles[strings.ToLower(strings.TrimSuffix(words[k], "."))] {
		k++
	}
	switch {
	case len(words) == 0:
		return ""
	case k > 0 && k == len(words)-1 && !swapped:
		return strings.Join(words, " ")
	}
	return strings.TrimRight(words[k], ",;")
}
