package service

import (
	"context"
	"errors"
	"net/mail"
	"strings"
	"time"
	"unicode"

	"servicedesk/internal/model"
	"servicedesk/internal/store"
)

// ListTickets returns a page of the ticket list: the view's filter
// narrowed by what the agent typed in the search box (store.ParseQuery).
func (s *Service) ListTickets(ctx context.Context, view model.TicketFilter, search string) (store.TicketPage, error) {
	q, err := s.ParseQuery(ctx, search)
	if err != nil {
		return store.TicketPage{}, err
	}
	return s.store.ListTickets(ctx, store.Merge(view, q))
}

// ParseQuery reads the search box's language with assignee:me meaning the
// GitLab account's user.
func (s *Service) ParseQuery(ctx context.Context, search string) (model.TicketFilter, error) {
	if strings.TrimSpace(search) == "" {
		return model.TicketFilter{}, nil
	}
	me, err := s.Me(ctx) // a read of the local accounts
	if err != nil {
		return model.TicketFilter{}, err
	}
	return store.ParseQuery(search, me, time.Now())
}

// SavedViews lists the agent's saved views.
func (s *Service) SavedViews(ctx context.Context) ([]store.SavedView, error) {
	return s.store.SavedViews(ctx)
}

// SaveView checks a view's query and stores the view.
func (s *Service) SaveView(ctx context.Context, v store.SavedView) (store.SavedView, error) {
	v.Name, v.Query = strings.TrimSpace(v.Name), strings.TrimSpace(v.Query)
	if v.Name == "" {
		return v, errors.New("a view needs a name")
	}
	if len(v.Name) > 80 {
		return v, errors.New("the name is too long (at most 80 characters)")
	}
	if v.Query == "" {
		return v, errors.New("a view needs a query, such as label:billing is:open")
	}
	if _, err := s.ParseQuery(ctx, v.Query); err != nil {
		return v, err
	}
	return s.store.SaveView(ctx, v)
}

// DeleteView removes a saved view.
func (s *Service) DeleteView(ctx context.Context, id int64) error { return s.store.DeleteView(ctx, id) }

// MarkRead records that the agent read a ticket (read false: unread again).
func (s *Service) MarkRead(ctx context.Context, projectID, iid int64, read bool) error {
	return s.store.MarkRead(ctx, projectID, iid, read)
}

// UnlinkedMail lists inbound mail without a ticket, newest first.
func (s *Service) UnlinkedMail(ctx context.Context, offset, limit int) ([]model.Message, error) {
	return s.store.Messages(ctx, store.MessageFilter{Unlinked: true, Inbound: true, Offset: offset, Limit: limit})
}

// CountUnlinkedMail counts inbound mail without a ticket.
func (s *Service) CountUnlinkedMail(ctx context.Context) (int, error) {
	return s.store.CountUnlinkedMail(ctx)
}

// LinkMail links mail without a ticket to a ticket the agent chose.
func (s *Service) LinkMail(ctx context.Context, messageID string, projectID, iid int64) error {
	if _, err := s.store.Ticket(ctx, projectID, iid); err != nil {
		return err
	}
	return s.store.LinkMessages(ctx, []store.MessageLink{{MessageID: messageID, ProjectID: projectID, IID: iid, Rule: model.LinkManual}}, nil)
}

// DismissMail sets mail aside from the mail without a ticket (or brings
// it back).
func (s *Service) DismissMail(ctx context.Context, messageID string, dismiss bool) error {
	return s.store.DismissMail(ctx, messageID, dismiss)
}

// Setting and SetSetting keep the window's preferences in the profile.
func (s *Service) Setting(ctx context.Context, key string, v any) (bool, error) {
	return s.store.Setting(ctx, key, v)
}

// SetSetting stores a preference.
func (s *Service) SetSetting(ctx context.Context, key string, v any) error {
	return s.store.SetSetting(ctx, key, v)
}

// Customer is the ticket sidebar's picture of who wrote in.
type Customer struct {
	Name         string         `json:"name"`
	Email        string         `json:"email"`
	Organisation string         `json:"organisation"` // from the address's domain; "" for personal mail providers
	Domain       string         `json:"domain"`
	Tickets      []model.Ticket `json:"tickets"` // their other tickets, newest first
	TicketsTotal int            `json:"tickets_total"`
}

// CustomerOf describes the customer of a ticket and lists their other
// tickets in every project (at most limit).
func (s *Service) CustomerOf(ctx context.Context, d model.TicketDetail, limit int) (Customer, error) {
	c := Customer{Email: d.Customer, Tickets: []model.Ticket{}}
	if c.Email == "" {
		return c, nil
	}
	for _, e := range d.Thread {
		if e.Kind == model.KindMail && strings.EqualFold(e.Author, c.Email) && e.AuthorName != "" && !strings.EqualFold(e.AuthorName, c.Email) {
			c.Name = e.AuthorName
			break
		}
	}
	if a, err := mail.ParseAddress(c.Email); err == nil {
		c.Email = a.Address
		if c.Name == "" {
			c.Name = a.Name
		}
	}
	if at := strings.LastIndexByte(c.Email, '@'); at >= 0 {
		c.Domain = strings.ToLower(c.Email[at+1:])
		c.Organisation = Organisation(c.Domain)
	}
	page, err := s.store.ListTickets(ctx, model.TicketFilter{Customer: []string{strings.ToLower(c.Email)}, Limit: limit + 1})
	if err != nil {
		return c, err
	}
	for _, t := range page.Tickets {
		if t.ID != d.ID && strings.EqualFold(t.Customer, d.Customer) {
			c.Tickets = append(c.Tickets, t)
		}
	}
	c.TicketsTotal = page.Total - 1
	if len(c.Tickets) > limit {
		c.Tickets = c.Tickets[:limit]
	}
	return c, nil
}

// personalMail are domains of mail providers: their users are people, not
// an organisation.
var personalMail = map[string]bool{
	"gmail.com": true, "googlemail.com": true, "outlook.com": true, "hotmail.com": true, "live.com": true, "msn.com": true,
	"yahoo.com": true, "ymail.com": true, "icloud.com": true, "me.com": true, "mac.com": true, "aol.com": true,
	"proton.me": true, "protonmail.com": true, "pm.me": true, "gmx.de": true, "gmx.net": true, "gmx.com": true, "web.de": true,
	"mail.ru": true, "yandex.ru": true, "yandex.com": true, "zoho.com": true, "fastmail.com": true, "hey.com": true,
	"qq.com": true, "163.com": true, "naver.com": true, "t-online.de": true, "orange.fr": true, "free.fr": true,
	"libero.it": true, "seznam.cz": true, "wp.pl": true, "o2.pl": true, "tutanota.com": true,
}

// Organisation names the organisation behind a mail domain
// ("northwind-traders.com" is "Northwind Traders"), or "" for a personal
// mail provider.
func Organisation(domain string) string {
	domain = strings.ToLower(strings.TrimSuffix(domain, "."))
	if personalMail[domain] || domain == "" {
		return ""
	}
	labels := strings.Split(domain, ".")
	name := labels[0]
	if len(labels) >= 2 {
		name = labels[len(labels)-2]
		// co.uk, com.au: the organisation is the label before them.
		if len(labels) >= 3 && len(name) <= 3 && (name == "co" || name == "com" || name == "org" || name == "net" || name == "ac" || name == "gov") {
			name = labels[len(labels)-3]
		}
	}
	words := strings.FieldsFunc(name, func(r rune) bool { return r == '-' || r == '_' })
	for i, w := range words {
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		words[i] = string(r)
	}
	return strings.Join(words, " ")
}

// FirstResponse is when the team first answered the customer in public
// (a public reply or mail the brand sent), or nil.
func FirstResponse(d model.TicketDetail) *time.Time {
	for _, e := range d.Thread {
		if e.Kind == model.KindReply && !e.CreatedAt.Before(d.CreatedAt) {
			t := e.CreatedAt
			return &t
		}
	}
	return nil
}
