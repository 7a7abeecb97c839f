package sandbox

import (
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"time"
)

// NewWorld generates the demo world for opts; the same Seed, Tickets and Now
// give the same world.
func NewWorld(opts Options) *World {
	opts = opts.withDefaults()
	rnd := rand.New(rand.NewSource(opts.Seed))
	w := &World{
		now:     opts.Now.UTC().Truncate(time.Millisecond),
		rnd:     rand.New(rand.NewSource(opts.Seed + 7919)),
		project: Project{ID: 42, Name: "Support", Path: "support", Namespace: "acme"},
		bot:     User{ID: 2, Username: "support-bot", Name: "GitLab Support Bot", Email: "support-bot@" + gitlabHost, Bot: true},
		notes:   map[int64][]*Note{},
		repo:    defaultRepoFiles(),
	}
	w.token = "glpat-" + hexString(rnd, 20)
	w.imapPass = "imap-" + hexString(rnd, 12)
	w.smtpPass = "smtp-" + hexString(rnd, 12)
	for i, a := range agentPeople {
		w.agents = append(w.agents, User{ID: int64(101 + i), Username: a.username, Name: a.name, Email: a.username + "@" + brandDomain})
	}
	for i, l := range labelDefs {
		w.labels = append(w.labels, Label{ID: int64(501 + i), Name: l.name, Color: l.color, Description: l.description})
	}
	for _, c := range companies {
		for _, p := range c.people {
			w.customers = append(w.customers, Customer{Name: p.first + " " + p.last, Email: emailLocal(p) + "@" + c.domain, Company: c.name})
		}
	}
	// Creation times, oldest first, so iids grow with time as in GitLab.
	start := w.now.Add(-historyDays * 24 * time.Hour)
	created := make([]time.Time, opts.Tickets)
	span := int64(historyDays*24*time.Hour - 20*time.Minute)
	for i := range created {
		created[i] = start.Add(time.Duration(rnd.Int63n(span))).Truncate(time.Millisecond)
	}
	sort.Slice(created, func(i, j int) bool { return created[i].Before(created[j]) })
	for _, at := range created {
		is := w.newIssueLocked(rnd, w.customers[rnd.Intn(len(w.customers))], rnd.Intn(len(scenarios)), at)
		w.generateThread(rnd, is)
	}
	w.renumberNotes()
	w.generateMails(rnd)
	return w
}

// hexString returns n random lowercase hex digits.
func hexString(rnd *rand.Rand, n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[rnd.Intn(16)]
	}
	return string(b)
}

func emailLocal(p person) string {
	r := strings.NewReplacer("ü", "ue", "ö", "oe", "ä", "ae", "ß", "ss", "é", "e", "è", "e", "ç", "c", "á", "a", "Á", "a",
		"ł", "l", "Ł", "l", "ø", "o", "å", "a", "ş", "s", "ı", "i", "Ş", "s", "ë", "e", "č", "c", "Č", "c", "ř", "r",
		"ů", "u", "á", "a", "í", "i", "ó", "o", "ñ", "n", "'", "", "ě", "e", "Ø", "o", "ý", "y", "ä", "a")
	return strings.ToLower(r.Replace(p.first) + "." + r.Replace(p.last))
}

// vars are the placeholder values of one ticket.
type vars map[string]string

func (v vars) fill(s string) string {
	pairs := make([]string, 0, 2*len(v))
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		pairs = append(pairs, "{"+k+"}", v[k])
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

func pick(rnd *rand.Rand, l []string) string { return l[rnd.Intn(len(l))] }

// ticketVars draws the details that make one ticket differ from another.
func ticketVars(rnd *rand.Rand, c Customer, at time.Time) vars {
	first, _, _ := strings.Cut(c.Name, " ")
	domain := c.Email[strings.Index(c.Email, "@")+1:]
	vat := []string{"19", "20", "21", "23", "25"}
	countries := map[string]string{"19": "Germany", "20": "the United Kingdom", "21": "Spain", "23": "Poland", "25": "Norway"}
	ok := pick(rnd, vat)
	wrong := pick(rnd, vat)
	for wrong == ok {
		wrong = pick(rnd, vat)
	}
	return vars{
		"first": first, "email": c.Email, "domain": domain, "company": c.Company,
		"invoice": fmt.Sprintf("INV-%d-%04d", at.Year(), 100+rnd.Intn(9000)),
		"amount":  fmt.Sprintf("€%d.%02d", 19+rnd.Intn(1200), rnd.Intn(100)),
		"vat":     wrong, "vatOK": ok, "country": countries[ok],
		"date":    at.Add(-time.Duration(1+rnd.Intn(20)) * 24 * time.Hour).Format("2 January"),
		"month":   at.AddDate(0, -1, 0).Format("January"),
		"weekday": pick(rnd, weekdays), "count": fmt.Sprint(2 + rnd.Intn(60)),
		"plan": pick(rnd, plans), "idp": pick(rnd, idps), "erp": pick(rnd, erps),
		"cardBrand": pick(rnd, cardBrands), "last4": fmt.Sprintf("%04d", rnd.Intn(10000)),
		"mailhost": pick(rnd, mailhosts), "slug": strings.Split(domain, ".")[0],
		"hex8": hexString(rnd, 8), "workaround": pick(rnd, workarounds), "howto": pick(rnd, howtos),
	}
}

// newIssueLocked creates a ticket as GitLab's Service Desk does from a customer mail.
func (w *World) newIssueLocked(rnd *rand.Rand, c Customer, scen int, at time.Time) *Issue {
	sc := scenarios[scen]
	v := ticketVars(rnd, c, at)
	paras := make([]string, 0, len(sc.bodies)+1)
	for _, alts := range sc.bodies {
		paras = append(paras, v.fill(pick(rnd, alts)))
	}
	paras = append(paras, c.Name+"\n"+c.Company)
	w.nextIssue++
	iid := int64(len(w.issues) + 1)
	is := &Issue{
		ID: 180000 + iid, IID: iid, ProjectID: w.project.ID,
		Title: v.fill(pick(rnd, sc.subjects)), Description: strings.Join(paras, "\n\n"),
		State: "opened", CreatedAt: at, UpdatedAt: at, Labels: []string{}, AssigneeIDs: []int64{},
		Confidential: rnd.Intn(33) == 0, Customer: c, ReplyKey: hexString(rnd, 32),
		MessageID: hexString(rnd, 24) + "@mail." + v["domain"], scenario: scen,
	}
	w.issues = append(w.issues, is)
	return is
}

// generateThread writes the conversation of a ticket up to shortly before Now.
func (w *World) generateThread(rnd *rand.Rand, is *Issue) {
	sc := scenarios[is.scenario]
	v := ticketVars(rnd, is.Customer, is.CreatedAt)
	limit := w.now.Add(-2 * time.Minute)
	t := is.CreatedAt
	next := func(min, max time.Duration) bool {
		t = t.Add(min + time.Duration(rnd.Int63n(int64(max-min)))).Truncate(time.Millisecond)
		return t.Before(limit)
	}
	age := w.now.Sub(is.CreatedAt).Hours() / 24
	closeIt := rnd.Float64() < 0.1+0.6*age/historyDays
	ending := rnd.Intn(10) // open tickets: 0-1 untouched, 2-5 agent last, 6-9 customer last
	agent := w.agents[rnd.Intn(len(w.agents))]
	notes := 0
	budget := 8
	if closeIt {
		budget = 7
	}
	// Triage: assignee and labels.
	if (closeIt || ending > 0) && next(5*time.Minute, 6*time.Hour) {
		if rnd.Intn(10) < 8 || closeIt {
			is.AssigneeIDs = []int64{agent.ID}
			w.addNoteLocked(is, agent.ID, "assigned to @"+agent.Username, true, false, t)
			notes++
		}
		labels := append([]string(nil), sc.labels...)
		if rnd.Intn(8) == 0 {
			labels = append(labels, "urgent")
		}
		w.addNoteLocked(is, agent.ID, labelNote("added", labels), true, false, t.Add(time.Second))
		is.Labels = labels
		notes++
	} else if !closeIt {
		return
	}
	rounds := 1 + rnd.Intn(2)
	if !closeIt && ending < 2 {
		return
	}
	for r := 0; r < rounds && notes < budget; r++ {
		if rnd.Intn(10) < 3 && notes < budget-1 && next(10*time.Minute, 5*time.Hour) {
			w.addNoteLocked(is, agent.ID, v.fill(pick(rnd, sc.internals)), false, true, t)
			notes++
		}
		if notes >= budget || !next(15*time.Minute, 20*time.Hour) {
			return
		}
		v["agent"], v["agentFirst"] = agent.Name, strings.Fields(agent.Name)[0]
		w.addNoteLocked(is, agent.ID, v.fill(sc.replies[r%len(sc.replies)]), false, false, t)
		notes++
		customerTurn := r < rounds-1 || (!closeIt && ending >= 6) || (closeIt && rnd.Intn(2) == 0)
		if customerTurn && notes < budget {
			if !next(30*time.Minute, 30*time.Hour) {
				return
			}
			w.addNoteLocked(is, w.bot.ID, v.fill(pick(rnd, sc.followups)), false, false, t)
			notes++
		}
	}
	if !closeIt {
		return
	}
	if rnd.Intn(10) < 6 && notes < budget && next(20*time.Minute, 10*time.Hour) {
		v["agent"] = agent.Name
		w.addNoteLocked(is, agent.ID, v.fill(pick(rnd, sc.closing)), false, false, t)
	}
	if next(time.Minute, 3*time.Hour) {
		w.closeLocked(is, agent.ID, t)
	}
}

func (w *World) closeLocked(is *Issue, by int64, at time.Time) {
	w.addNoteLocked(is, by, "closed", true, false, at)
	is.State = "closed"
	ca := at
	is.ClosedAt = &ca
	is.ClosedByID = by
}

// labelNote is GitLab's system note for a label change.
func labelNote(verb string, labels []string) string {
	refs := make([]string, len(labels))
	for i, l := range labels {
		refs[i] = fmt.Sprintf("~%q", l)
	}
	s := verb + " " + strings.Join(refs, " ") + " label"
	if len(labels) > 1 {
		s += "s"
	}
	return s
}

// generateMails writes the mailbox behind the tickets: the customers'
// original mails and follow-ups in INBOX, the agents' replies in Sent, and a
// few mails GitLab never made into tickets.
func (w *World) generateMails(rnd *rand.Rand) {
	for _, is := range w.issues {
		w.mails = append(w.mails, originalMail(rnd, is))
		w.mails = append(w.mails, w.threadMails(is)...)
	}
	w.mails = append(w.mails, w.extraMails(rnd)...)
	sort.SliceStable(w.mails, func(i, j int) bool { return w.mails[i].Date.Before(w.mails[j].Date) })
	for i := range w.mails {
		m := &w.mails[i]
		m.Seen = m.Folder == FolderSent || w.now.Sub(m.Date) > 36*time.Hour || rnd.Intn(3) == 0
	}
}

// threadMails are the mails behind an issue's notes: public agent replies as
// sent by GitLab's custom email, customer follow-ups as received.
func (w *World) threadMails(is *Issue) []Mail {
	var out []Mail
	lastOurs := ""
	for _, n := range w.notes[is.IID] {
		switch {
		case n.System || n.Internal:
		case n.AuthorID == w.bot.ID:
			m := followupMail(is, n, lastOurs)
			n.MessageID = m.MessageID
			out = append(out, m)
		default:
			a, _ := w.userByID(n.AuthorID)
			m := replyMail(is, n, a, lastOurs)
			n.MessageID = m.MessageID
			lastOurs = m.MessageID
			out = append(out, m)
		}
	}
	return out
}
