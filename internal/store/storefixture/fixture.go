// Package storefixture fills a profile with a large, realistic queue for
// benchmarks: tens of thousands of tickets from thousands of customers,
// with labels, assignees and threads of customer messages, replies,
// internal and system notes. The same seed gives the same profile.
package storefixture

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"servicedesk/internal/model"
	"servicedesk/internal/store"
)

// Options size the fixture.
type Options struct {
	Tickets int
	Seed    uint64
	// Now is the newest ticket's time; tickets spread over the two years
	// before it.
	Now time.Time
}

var (
	agents   = []string{"alex.morgan", "priya.natarajan", "tom.becker", "marcus.okafor", "lena.fischer", "sam.ito", "ines.duarte", "noah.berg"}
	labels   = []string{"billing", "refund", "bug", "feature-request", "how-to", "account", "security", "urgent", "vip", "api", "sso", "export"}
	domains  = []string{"gmail.com", "outlook.com", "northwind-traders.com", "contoso.example", "fabrikam.example", "kowalski-logistics.pl", "nordlys.no", "istanbultextiles.com.tr", "papadopoulos-imports.gr", "acme-corp.example"}
	names    = []string{"ana", "bo", "chen", "dara", "eli", "fatima", "gus", "hana", "ivan", "jo", "kemal", "lucia", "mika", "nadia", "oskar", "pia", "quinn", "rosa", "sven", "tariq"}
	subjects = []string{"Invoice PDF shows the wrong VAT", "Password reset e-mail never arrives", "Card declined on upgrade",
		"SAML login loops back to the sign-in page", "CSV export is empty", "API answers 429 too often", "Webhook signature mismatch",
		"Refund request - charged twice", "Can't update our credit card", "Question: changing the invoice template",
		"Suggestion: multi-currency reports", "Two-factor codes rejected", "Dashboard loads forever", "Cancel my subscription",
		"Data import stuck at 99%", "Wrong time zone in reports", "Add a second admin", "Mobile app crashes on start"}
	sentences = []string{"Hi, we have a problem since this morning.", "Our finance team is waiting for an answer.",
		"I attached a screenshot of the error.", "This blocks our month-end closing.", "Could you look into it today?",
		"We are on the Enterprise plan.", "The order number is %d.", "It worked fine last week.",
		"Thanks for the quick reply!", "I tried another browser, same result.", "Please call me back at your convenience.",
		"Kind regards from the accounting department.", "Our users in Zürich and São Paulo see it too.",
		"The export contains %d rows but should have more.", "Is there a workaround until the fix ships?"}
	replies = []string{"Thanks for the report, we are looking into it.", "The fix ships today; please try again after 18:00 UTC.",
		"Could you send us the exact time it happened?", "I have refunded the duplicate charge; it shows within 5 days.",
		"You can change the template under Settings → Invoices.", "Our engineers found the cause and are deploying a fix."}
	internals = []string{"Escalated to billing, see #ops-%d.", "Customer is on the legacy plan, check with sales.",
		"Reproduced on staging.", "Duplicate of the SAML bug, linking."}
)

// Fill creates a GitLab account and project and stores opt.Tickets tickets
// in batches, returning the project.
func Fill(ctx context.Context, s *store.Store, opt Options) (model.Project, error) {
	if opt.Now.IsZero() {
		opt.Now = time.Now().UTC()
	}
	r := rand.New(rand.NewPCG(opt.Seed, 42))
	a, err := s.CreateAccount(ctx, model.Account{Kind: model.AccountGitLab, Name: "bench", URL: "https://gitlab.example"})
	if err != nil {
		return model.Project{}, err
	}
	p, err := s.UpsertProject(ctx, model.Project{AccountID: a.ID, GitLabID: 1, Path: "acme/support", Name: "Support"})
	if err != nil {
		return p, err
	}
	var ls []model.Label
	for i, l := range labels {
		ls = append(ls, model.Label{Name: l, Color: fmt.Sprintf("#%06x", 0x3366cc+i*0x101010)})
	}
	var ms []model.Member
	for i, u := range agents {
		ms = append(ms, model.Member{UserID: int64(i + 1), Username: u, Name: u})
	}
	if err := s.SetProjectMeta(ctx, p.ID, ls, ms); err != nil {
		return p, err
	}
	span := 2 * 365 * 24 * time.Hour
	start := opt.Now.Add(-span)
	step := span / time.Duration(max(opt.Tickets, 1))
	noteID := int64(1)
	batch := make([]store.TicketWithNotes, 0, 500)
	for i := 1; i <= opt.Tickets; i++ {
		created := start.Add(time.Duration(i) * step)
		customer := fmt.Sprintf("%s.%d@%s", names[r.IntN(len(names))], r.IntN(250), domains[r.IntN(len(domains))])
		state := model.StateClosed
		if i > opt.Tickets-opt.Tickets/7 || r.IntN(40) == 0 {
			state = model.StateOpened // the recent ones and a few old ones are open
		}
		var tl []string
		for range r.IntN(3) {
			if l := labels[r.IntN(len(labels))]; !strings.Contains(strings.Join(tl, ","), l) {
				tl = append(tl, l)
			}
		}
		var as []string
		if r.IntN(4) > 0 {
			as = []string{agents[r.IntN(len(agents))]}
		}
		t := model.Ticket{GitLabID: int64(100000 + i), IID: int64(i), Title: subjects[r.IntN(len(subjects))], State: state,
			Customer: customer, Description: body(r, 2+r.IntN(4)), Labels: tl, Assignees: as, CreatedAt: created,
			WebURL: fmt.Sprintf("https://gitlab.example/acme/support/-/issues/%d", i)}
		at := created
		var notes []model.Note
		for n := range 1 + r.IntN(7) {
			at = at.Add(time.Duration(5+r.IntN(600)) * time.Minute)
			if at.After(opt.Now) {
				break
			}
			note := model.Note{ID: noteID, CreatedAt: at, UpdatedAt: at}
			noteID++
			switch k := r.IntN(10); {
			case n == 0 || k < 3:
				note.Author, note.Body = model.SupportBot, body(r, 1+r.IntN(3))
			case k < 7:
				note.Author, note.Body = as0(as, r), replies[r.IntN(len(replies))]
			case k < 8:
				note.Author, note.Body, note.Internal = as0(as, r), fmt.Sprintf(internals[r.IntN(len(internals))], r.IntN(900)), true
			default:
				note.Author, note.Body, note.System = as0(as, r), "added ~"+labels[r.IntN(len(labels))]+" label", true
			}
			notes = append(notes, note)
		}
		t.UpdatedAt = at
		if state == model.StateClosed {
			c := at.Add(time.Hour)
			t.ClosedAt, t.UpdatedAt = &c, c
		}
		batch = append(batch, store.TicketWithNotes{Ticket: t, NotesRead: true, Notes: notes})
		if len(batch) == cap(batch) || i == opt.Tickets {
			if err := s.SaveTickets(ctx, p.ID, batch, "", ""); err != nil {
				return p, err
			}
			batch = batch[:0]
		}
	}
	return p, nil
}

func as0(as []string, r *rand.Rand) string {
	if len(as) > 0 {
		return as[0]
	}
	return agents[r.IntN(len(agents))]
}

func body(r *rand.Rand, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		s := sentences[r.IntN(len(sentences))]
		if strings.Contains(s, "%d") {
			s = fmt.Sprintf(s, 10000+r.IntN(90000))
		}
		b.WriteString(s)
	}
	return b.String()
}
