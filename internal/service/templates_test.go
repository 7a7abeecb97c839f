package service

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"servicedesk/internal/model"
)

// Templates are checked when saved (a name, known variables, unique
// names), listed by name, and a reply made from one has its variables
// filled in.
func TestTemplates(t *testing.T) {
	t.Parallel()
	f := newOutboxFixture(t)
	ctx := context.Background()
	for _, bad := range []struct{ name, body, why string }{
		{"", "Hello", "name"},
		{"Empty", "  ", "empty"},
		{"Typo", "Hi {{customer.frist_name}}", "customer.frist_name"},
	} {
		if _, err := f.svc.SaveTemplate(ctx, model.Template{Name: bad.name, Body: bad.body}); err == nil || !strings.Contains(err.Error(), bad.why) {
			t.Errorf("template %q: %v, want a refusal naming %q", bad.name, err, bad.why)
		}
	}
	refund, err := f.svc.SaveTemplate(ctx, model.Template{Name: "Refund on its way", Body: "Hi {{customer.first_name}},\n\nthe refund for #{{ticket.iid}} is on its way."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SaveTemplate(ctx, model.Template{Name: "asking for logs", Body: "Could you send us the logs?"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SaveTemplate(ctx, model.Template{Name: "Refund on its way", Body: "Again"}); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Fatalf("a second template of the same name: %v", err)
	}
	ts, err := f.svc.Templates(ctx)
	ts = slices.DeleteFunc(ts, func(t model.Template) bool { return t.Path != "" }) // the team's, from the repository
	if err != nil || len(ts) != 2 || ts[0].Name != "asking for logs" || ts[1].ID != refund.ID {
		t.Fatalf("templates %+v %v", ts, err)
	}
	tk := f.openTicket(t)
	op, err := f.svc.Reply(ctx, ReplyRequest{ProjectID: f.p.ID, IID: tk.IID, Body: refund.Body})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(op.Payload.Body, "{{") || !strings.Contains(op.Payload.Body, "#"+strconv.FormatInt(tk.IID, 10)+" is on its way") {
		t.Fatalf("the reply from the template: %q", op.Payload.Body)
	}
	if err := f.svc.DeleteTemplate(ctx, refund.ID); err != nil {
		t.Fatal(err)
	}
	ts, _ = f.svc.Templates(ctx)
	if ts = slices.DeleteFunc(ts, func(t model.Template) bool { return t.Path != "" }); len(ts) != 1 {
		t.Fatalf("after delete: %+v", ts)
	}
}
