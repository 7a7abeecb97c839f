package sla

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// ParseError is one mistake in a policy file. Line is 1-based; 0 means the
// file as a whole (a missing key).
type ParseError struct {
	File string
	Line int
	Msg  string
}

func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// maxErrors is how many mistakes Parse reports at most.
const maxErrors = 10

// The keys of a policy file, in the order the documentation gives them.
var (
	topKeys   = []string{"version", "timezone", "hours", "holidays", "first_response", "resolution", "warn_before", "pause_while_waiting_on_customer", "labels"}
	labelKeys = []string{"first_response", "resolution"}
)

// Parse reads a policy file (see the package comment for its form). name is
// the file's name as the errors should show it. Every mistake found is
// reported (up to 10), each a *ParseError naming the file and line, joined
// with errors.Join when there are several; on any mistake the Policy is the
// zero Policy, never part of the file.
func Parse(name string, data []byte) (Policy, error) {
	p := &parser{file: name}
	root := p.document(data)
	if root == nil {
		return Policy{}, p.err()
	}
	pol := p.policy(root)
	if len(p.errs) > 0 {
		return Policy{}, p.err()
	}
	return pol, nil
}

// parser collects the mistakes of one file.
type parser struct {
	file string
	errs []*ParseError
}

func (p *parser) errorf(line int, format string, args ...any) {
	if len(p.errs) < maxErrors {
		p.errs = append(p.errs, &ParseError{File: p.file, Line: line, Msg: fmt.Sprintf(format, args...)})
	}
}

// err is the mistakes in line order.
func (p *parser) err() error {
	slices.SortStableFunc(p.errs, func(a, b *ParseError) int { return a.Line - b.Line })
	if len(p.errs) == 1 {
		return p.errs[0]
	}
	errs := make([]error, len(p.errs))
	for i, e := range p.errs {
		errs[i] = e
	}
	return errors.Join(errs...)
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// document is the file's top-level mapping, or nil after reporting why
// there is none.
func (p *parser) document(data []byte) *yaml.Node {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			p.errorf(0, "the file is empty; see the example in the documentation")
		} else {
			p.yamlError(err)
		}
		return nil
	}
	var next yaml.Node
	if err := dec.Decode(&next); err == nil {
		p.errorf(next.Line, "a second YAML document (after ---); the file holds one")
		return nil
	} else if !errors.Is(err, io.EOF) {
		p.yamlError(err)
		return nil
	}
	if alias := findAlias(&doc); alias != nil {
		p.errorf(alias.Line, "aliases (*%s) are not supported; write the value out", alias.Value)
		return nil
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		if isNull(root) {
			p.errorf(0, "the file has no settings; see the example in the documentation")
		} else {
			p.errorf(root.Line, "expected settings such as \"timezone: Europe/Berlin\", one per line")
		}
		return nil
	}
	return root
}

func (p *parser) yamlError(err error) {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		p.errorf(line, "not valid YAML: %s", m[2])
		return
	}
	p.errorf(0, "not valid YAML: %s", strings.TrimPrefix(msg, "yaml: "))
}

// findAlias is the first alias node in n, depth first.
func findAlias(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode {
		return n
	}
	for _, c := range n.Content {
		if a := findAlias(c); a != nil {
			return a
		}
	}
	return nil
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && (n.Tag == "!!null" || n.Value == "" && n.Style == 0)
}

// entry is one key of a mapping and its value.
type entry struct{ key, val *yaml.Node }

// fields is the entries of mapping m by key, refusing keys that are not
// scalars, not known or given twice. what names the mapping in messages.
func (p *parser) fields(m *yaml.Node, known []string, what string) map[string]entry {
	out := make(map[string]entry, len(m.Content)/2)
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.errorf(k.Line, "a key must be a plain name")
			continue
		}
		if !slices.Contains(known, k.Value) {
			p.errorf(k.Line, "unknown key %q%s", k.Value, suggest(k.Value, known, what))
			continue
		}
		if prev, dup := out[k.Value]; dup {
			p.errorf(k.Line, "%s is given twice (first on line %d)", k.Value, prev.key.Line)
			continue
		}
		out[k.Value] = entry{k, v}
	}
	return out
}

// suggest is the hint after an unknown key: the known key it was probably
// meant to be, or the list of known keys.
func suggest(key string, known []string, what string) string {
	for _, k := range known {
		if editDistance(strings.ToLower(key), k) <= 2 {
			return fmt.Sprintf("; did you mean %q?", k)
		}
	}
	return fmt.Sprintf("; %s takes %s", what, strings.Join(known, ", "))
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// scalar is the text of e's value, or false after reporting that it is not
// a single value.
func (p *parser) scalar(e entry) (string, bool) {
	switch {
	case e.val.Kind != yaml.ScalarNode:
		p.errorf(e.val.Line, "%s: expected a single value", e.key.Value)
		return "", false
	case isNull(e.val) || strings.TrimSpace(e.val.Value) == "":
		p.errorf(e.key.Line, "%s has no value; give one or leave the key out", e.key.Value)
		return "", false
	}
	return strings.TrimSpace(e.val.Value), true
}

// policy reads the top-level mapping.
func (p *parser) policy(root *yaml.Node) Policy {
	f := p.fields(root, topKeys, "the file")
	var pol Policy
	if e, ok := f["version"]; ok {
		if v, ok := p.scalar(e); ok && v != "1" {
			p.errorf(e.val.Line, "version %s: this app reads version 1; update Service Desk Desktop, or write version: 1", v)
		}
	}
	loc := p.zone(f)
	before := len(p.errs)
	hours, lines, always := p.hours(f)
	holidays := p.holidays(f)
	weekOK := len(p.errs) == before

	pol.FirstResponse = p.target(f, "first_response", false)
	pol.Resolution = p.target(f, "resolution", false)
	pol.Warn = p.warning(f)
	if e, ok := f["pause_while_waiting_on_customer"]; ok {
		if v, ok := p.scalar(e); ok {
			switch strings.ToLower(v) {
			case "true":
				pol.PauseWhileWaitingOnCustomer = true
			case "false":
			default:
				p.errorf(e.val.Line, "pause_while_waiting_on_customer: write true or false, not %q", v)
			}
		}
	}
	pol.Labels = p.labels(f)
	if pol.FirstResponse == 0 && pol.Resolution == 0 && !slices.ContainsFunc(pol.Labels, func(lt LabelTargets) bool {
		return lt.FirstResponse > 0 || lt.Resolution > 0
	}) && len(p.errs) == 0 {
		p.errorf(0, "no targets: set first_response, resolution or both (e.g. first_response: 4h)")
	}
	if loc != nil && weekOK { // NewCalendar refuses a week with no hours
		pol.Calendar = p.calendar(f["hours"], loc, hours, lines, always, holidays)
	}
	return pol
}

// zone is the time zone the file names, or nil after reporting why not.
func (p *parser) zone(f map[string]entry) *time.Location {
	e, ok := f["timezone"]
	if !ok {
		p.errorf(0, "timezone is missing: name the team's time zone, e.g. timezone: Europe/Berlin")
		return nil
	}
	name, ok := p.scalar(e)
	if !ok {
		return nil
	}
	if strings.EqualFold(name, "local") {
		p.errorf(e.val.Line, "timezone: Local is each agent's own zone; name the team's zone, e.g. Europe/Berlin")
		return nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		p.errorf(e.val.Line, "unknown time zone %q; use an IANA name such as Europe/Berlin, America/New_York or UTC", name)
		return nil
	}
	return loc
}

// calendar builds the calendar, reporting NewCalendar's refusals at the
// lines they concern.
func (p *parser) calendar(e entry, loc *time.Location, hours []Hours, lines []int, always bool, holidays []Holiday) *Calendar {
	var (
		cal *Calendar
		err error
	)
	if always {
		cal, err = Always(loc, holidays)
	} else {
		cal, err = NewCalendar(loc, hours, holidays)
	}
	var he *HoursError
	switch {
	case err == nil:
		return cal
	case errors.As(err, &he):
		msg := he.Msg
		if he.Other >= 0 && lines[he.Other] != lines[he.Index] {
			msg = fmt.Sprintf("%s on line %d", msg, lines[he.Other])
		}
		p.errorf(lines[he.Index], "%s", msg)
	case errors.Is(err, errNoHours):
		p.errorf(e.key.Line, "hours: every day is closed; give some opening hours, or hours: 24/7")
	default:
		p.errorf(e.key.Line, "hours: %v", err)
	}
	return nil
}
