package cli

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"servicedesk/internal/model"
)

// mailJSON is one message as `mail --json` prints it; scripts rely on these
// keys.
type mailJSON struct {
	MessageID   string           `json:"message_id"`
	Folder      string           `json:"folder"`
	Subject     string           `json:"subject"`
	From        string           `json:"from"`
	To          []string         `json:"to"`
	Cc          []string         `json:"cc"`
	Date        time.Time        `json:"date"`
	Ticket      *int64           `json:"ticket"`
	LinkRule    string           `json:"link_rule"`
	Attachments []attachmentJSON `json:"attachments"`
	Text        string           `json:"text"`
	Broken      bool             `json:"broken"`
}

type attachmentJSON struct {
	Name string `json:"name"`
	Size int64  `json:"size"`
}

func address(a model.MailAddress) string {
	return (&mail.Address{Name: a.Name, Address: a.Email}).String()
}

func addresses(as []model.MailAddress) []string {
	out := make([]string, 0, len(as))
	for _, a := range as {
		out = append(out, address(a))
	}
	return out
}

func (c *command) mail(args []string) error {
	fs := newFlags("mail")
	unlinked := fs.Bool("unlinked", false, "only mail without a ticket")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	ctx := context.Background()
	svc, err := c.service(ctx)
	if err != nil {
		return err
	}
	msgs, err := svc.Messages(ctx, *unlinked)
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]mailJSON, 0, len(msgs))
		for _, m := range msgs {
			j := mailJSON{MessageID: m.MessageID, Folder: m.Folder, Subject: m.Subject, From: address(m.From), To: addresses(m.To),
				Cc: addresses(m.Cc), Date: m.Date, Ticket: m.Ticket, LinkRule: m.LinkRule, Text: m.Text, Broken: m.Broken,
				Attachments: []attachmentJSON{}}
			for _, a := range m.Attachments {
				j.Attachments = append(j.Attachments, attachmentJSON{Name: a.Name, Size: a.Size})
			}
			out = append(out, j)
		}
		return c.printJSON(out)
	}
	w := c.table("DATE\tFOLDER\tFROM\tSUBJECT\tTICKET")
	for _, m := range msgs {
		ticket := "-"
		if m.Ticket != nil {
			ticket = fmt.Sprintf("#%d (%s)", *m.Ticket, m.LinkRule)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", m.Date.Local().Format("2006-01-02 15:04"), m.Folder, m.From.Email, m.Subject, ticket)
	}
	return w.Flush()
}

func (c *command) search(args []string) error {
	fs := newFlags("search")
	asJSON := fs.Bool("json", false, "print JSON")
	limit := fs.Int("limit", 50, "at most this many results")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return misuse("search needs the words to look for")
	}
	ctx := context.Background()
	svc, err := c.service(ctx)
	if err != nil {
		return err
	}
	hits, err := svc.Search(ctx, strings.Join(pos, " "), *limit)
	if err != nil {
		return err
	}
	if *asJSON {
		return c.printJSON(hits)
	}
	w := c.table("KIND\tTICKET\tSNIPPET")
	for _, h := range hits {
		ticket := "-"
		if h.IID != nil {
			ticket = fmt.Sprintf("#%d", *h.IID)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\n", h.Kind, ticket, strings.Join(strings.Fields(h.Snippet), " "))
	}
	return w.Flush()
}
