package compose

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

var testVars = Vars{
	CustomerName:  "Zoë Müller",
	CustomerEmail: "zoe@example.com",
	TicketIID:     881,
	TicketTitle:   "Rückerstattung für Bestellung 881",
	AgentName:     "Sam Agent",
	AgentEmail:    "sam@acme.com",
	BrandName:     "Acme Support",
	BrandAddress:  "support@acme.com",
}

func TestExpand(t *testing.T) {
	t.Parallel()
	noName := testVars
	noName.CustomerName = ""
	tests := []struct {
		name string
		tpl  string
		v    Vars
		want string
	}{
		{"every variable",
			"{{customer.name}}|{{customer.first_name}}|{{customer.email}}|{{ticket.iid}}|{{ticket.title}}|{{agent.name}}|{{agent.email}}|{{brand.name}}|{{brand.address}}",
			testVars,
			"Zoë Müller|Zoë|zoe@example.com|881|Rückerstattung für Bestellung 881|Sam Agent|sam@acme.com|Acme Support|support@acme.com"},
		{"spaces inside the braces", "Hi {{ customer.first_name }}, re #{{\tticket.iid\t}}.", testVars, "Hi Zoë, re #881."},
		{"no placeholder", "Thanks for waiting.\n\n{ not one } }} {x}", testVars, "Thanks for waiting.\n\n{ not one } }} {x}"},
		{"multi-line", "Hello {{customer.first_name}},\n\nyour ticket #{{ticket.iid}}\n\n{{agent.name}}\n{{brand.name}}", testVars,
			"Hello Zoë,\n\nyour ticket #881\n\nSam Agent\nAcme Support"},
		{"values are not expanded again", "{{customer.name}}", Vars{CustomerName: "{{agent.name}}"}, "{{agent.name}}"},
		{"braces in code spans and blocks are left as typed",
			"Use `{{user.name}}` in\n\n```\n{{ .Name }} {{ unknown\n```\n\n    {{indented}}\n\nthen {{customer.first_name}}",
			testVars, "Use `{{user.name}}` in\n\n```\n{{ .Name }} {{ unknown\n```\n\n    {{indented}}\n\nthen Zoë"},
		{"empty name before a comma", "Hi {{customer.first_name}},\nthanks", noName, "Hi,\nthanks"},
		{"empty name at the end of a line", "Dear {{customer.name}}\nthanks", noName, "Dear\nthanks"},
		{"empty name between words", "Dear {{customer.name}} and team", noName, "Dear and team"},
		{"empty name at the start of a line", "{{customer.name}} wrote:", noName, "wrote:"},
		{"empty name at the end", "Hi {{customer.first_name}}", noName, "Hi"},
		{"empty iid", "Ticket #{{ticket.iid}}!", Vars{}, "Ticket #!"},
		{"name that is an address", "Hi {{customer.first_name}}!", Vars{CustomerName: "zoe@example.com"}, "Hi!"},
		{"name quoted", "Hi {{customer.first_name}}!", Vars{CustomerName: `"Zoë Müller"`}, "Hi Zoë!"},
		{"name Last, First", "Hi {{customer.first_name}}!", Vars{CustomerName: "Müller, Zoë"}, "Hi Zoë!"},
		{"name with a title", "Hi {{customer.first_name}}!", Vars{CustomerName: "Dr. Zoë Müller"}, "Hi Zoë!"},
		{"title and surname only", "Hello {{customer.first_name}}!", Vars{CustomerName: "Frau Müller"}, "Hello Frau Müller!"},
		{"name on two lines", "Hi {{customer.name}}!", Vars{CustomerName: "Zoë\r\n Müller"}, "Hi Zoë Müller!"},
		{"CJK name", "{{customer.first_name}}様", Vars{CustomerName: "山田太郎"}, "山田太郎様"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Expand(tt.tpl, tt.v)
			if err != nil {
				t.Fatalf("Expand: %v", err)
			}
			if got != tt.want {
				t.Errorf("Expand(%q) =\n%q\nwant\n%q", tt.tpl, got, tt.want)
			}
			if err := Check(tt.tpl); err != nil {
				t.Errorf("Check refuses what Expand accepts: %v", err)
			}
		})
	}
}

func TestExpandRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		tpl  string
		want []Problem
	}{
		{"unknown variables, each with its line",
			"Hi {{customer.nmae}},\n\n{{ticket.iid}} ok\nfrom {{agent.phone}} and {{ Customer.Name }}",
			[]Problem{
				{Line: 1, Text: "{{customer.nmae}}", Name: "customer.nmae", Reason: ReasonUnknown},
				{Line: 4, Text: "{{agent.phone}}", Name: "agent.phone", Reason: ReasonUnknown},
				{Line: 4, Text: "{{ Customer.Name }}", Name: "Customer.Name", Reason: ReasonUnknown},
			}},
		{"not closed on its line",
			"Hi {{customer.name\n}} there {{",
			[]Problem{
				{Line: 1, Text: "{{", Reason: ReasonNotClosed},
				{Line: 2, Text: "{{", Reason: ReasonNotClosed},
			}},
		{"not a name",
			"{{}} {{ if x }} {{{customer.name}}}",
			[]Problem{
				{Line: 1, Text: "{{}}", Reason: ReasonNotName},
				{Line: 1, Text: "{{ if x }}", Reason: ReasonNotName},
				{Line: 1, Text: "{{{customer.name}}", Reason: ReasonNotName},
			}},
		{"outside code only",
			"`{{fine}}` but {{notfine}}\n```\n{{fine}}\n```\n{{also.not}}",
			[]Problem{
				{Line: 1, Text: "{{notfine}}", Name: "notfine", Reason: ReasonUnknown},
				{Line: 5, Text: "{{also.not}}", Name: "also.not", Reason: ReasonUnknown},
			}},
		{"CRLF lines", "a\r\nb\r\n{{x}}", []Problem{{Line: 3, Text: "{{x}}", Name: "x", Reason: ReasonUnknown}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, run := range []struct {
				what string
				err  error
			}{{"Expand", func() error { _, err := Expand(tt.tpl, testVars); return err }()}, {"Check", Check(tt.tpl)}} {
				var te *TemplateError
				if !errors.As(run.err, &te) {
					t.Fatalf("%s error %v, want a *TemplateError", run.what, run.err)
				}
				if !reflect.DeepEqual(te.Problems, tt.want) {
					t.Errorf("%s problems\n%+v\nwant\n%+v", run.what, te.Problems, tt.want)
				}
				for _, p := range tt.want {
					if !strings.Contains(te.Error(), p.Text) {
						t.Errorf("%s message %q does not name %q", run.what, te.Error(), p.Text)
					}
				}
			}
		})
	}
}

func TestExpandErrorMessage(t *testing.T) {
	t.Parallel()
	_, err := Expand("Hi {{customer.nmae}},\n{{agent.phone}}", testVars)
	want := "template: unknown variable {{customer.nmae}} on line 1; unknown variable {{agent.phone}} on line 2 (to send braces as typed, put them in `code`)"
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}

func TestVariables(t *testing.T) {
	t.Parallel()
	want := []string{"customer.name", "customer.first_name", "customer.email", "ticket.iid", "ticket.title",
		"agent.name", "agent.email", "brand.name", "brand.address"}
	got := Variables()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Variables() = %q, want %q", got, want)
	}
	got[0] = "changed"
	if Variables()[0] != "customer.name" {
		t.Error("Variables returns the package's own slice")
	}
	for _, name := range want {
		tpl := "{{" + name + "}}"
		out, err := Expand(tpl, testVars)
		if err != nil || out == "" || strings.Contains(out, "{{") {
			t.Errorf("Expand(%q) = %q, %v", tpl, out, err)
		}
	}
}
