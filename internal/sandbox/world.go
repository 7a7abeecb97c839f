// Package sandbox owns the demo world of Service Desk Desktop: a realistic,
// deterministic support queue for the brand "Acme" served on loopback by a
// fake GitLab REST API (net/http), an IMAP mailbox (go-imap's in-memory
// server) and an SMTP server (go-smtp), all in-process. It lets a new user see
// a working queue without an account, and it is the fake GitLab the app's
// tests run against. It leaves syncing, storing and linking to the app's
// packages: it only plays GitLab and the brand's mail provider.
package sandbox

import (
	"math/rand"
	"sort"
	"sync"
	"time"
)

// Figures of the demo world.
const (
	BrandAddress  = "support@acme.com"
	BrandName     = "Acme Support"
	brandDomain   = "acme.com"
	gitlabHost    = "gitlab.example"
	defaultTicket = 240
	historyDays   = 60
)

// User is a GitLab user of the world: an agent or the support bot.
type User struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
	Name     string `json:"name"`
	Email    string `json:"email"`
	Bot      bool   `json:"bot"`
}

// Project is a GitLab project with Service Desk enabled.
type Project struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Path      string `json:"path"`
	Namespace string `json:"namespace"`
}

// PathWithNamespace is the project's full path, e.g. "acme/support".
func (p Project) PathWithNamespace() string { return p.Namespace + "/" + p.Path }

// Label is a project label.
type Label struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Color       string `json:"color"`
	Description string `json:"description"`
}

// Customer is a person who writes to the brand's support address.
type Customer struct {
	Name    string `json:"name"`
	Email   string `json:"email"`
	Company string `json:"company"`
}

// Issue is a Service Desk ticket: a GitLab issue authored by support-bot.
type Issue struct {
	ID           int64      `json:"id"`
	IID          int64      `json:"iid"`
	ProjectID    int64      `json:"project_id"`
	Title        string     `json:"title"`
	Description  string     `json:"description"`
	State        string     `json:"state"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
	ClosedAt     *time.Time `json:"closed_at"`
	ClosedByID   int64      `json:"closed_by_id"`
	Labels       []string   `json:"labels"`
	AssigneeIDs  []int64    `json:"assignee_ids"`
	Confidential bool       `json:"confidential"`
	Customer     Customer   `json:"customer"`
	ReplyKey     string     `json:"reply_key"`    // 32 hex, GitLab's incoming e-mail key
	MessageID    string     `json:"message_id"`   // the customer's original mail, without <>
	InReplyTo    string     `json:"-"`            // the mail the original mail answers (without <>), when it answered one
	Participants []string   `json:"participants"` // external participants (CC), by /add_email
	MovedToID    int64      `json:"moved_to_id"`
	Deleted      bool       `json:"deleted"`
	scenario     int
}

// Note is a comment or a system note on an issue.
type Note struct {
	ID        int64     `json:"id"`
	IssueIID  int64     `json:"issue_iid"`
	ProjectID int64     `json:"project_id"`
	Body      string    `json:"body"`
	AuthorID  int64     `json:"author_id"`
	System    bool      `json:"system"`
	Internal  bool      `json:"internal"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	MessageID string    `json:"message_id,omitempty"` // mail behind the note (reply sent or follow-up received)
}

// Folder names of the brand's mailbox.
const (
	FolderInbox = "INBOX"
	FolderSent  = "Sent"
)

// Mail is one message of the brand's mailbox.
type Mail struct {
	Folder    string    `json:"folder"`
	MessageID string    `json:"message_id"`
	Date      time.Time `json:"date"`
	IssueIID  int64     `json:"issue_iid"` // 0 when GitLab never made it a ticket
	Kind      string    `json:"kind"`      // original, followup, reply, unticketed, autoreply, received
	Seen      bool      `json:"seen"`
	Raw       []byte    `json:"raw"`
}

// World is the generated data of the sandbox, deterministic from a seed.
// All methods are safe for concurrent use.
type World struct {
	mu        sync.Mutex
	now       time.Time
	rnd       *rand.Rand // live activity, after generation
	project   Project
	bot       User
	agents    []User
	labels    []Label
	customers []Customer
	issues    []*Issue // by iid-1
	notes     map[int64][]*Note
	mails     []Mail
	nextNote  int64
	nextIssue int64
	token     string
	imapPass  string
	smtpPass  string
	listeners []func(Mail)
	repo      map[string]string // the project's repository: path → content
}

// Project returns the Service Desk project.
func (w *World) Project() Project { return w.project }

// Agents returns the project's agents; the first is the token's user.
func (w *World) Agents() []User { return append([]User(nil), w.agents...) }

// Bot returns the support-bot user.
func (w *World) Bot() User { return w.bot }

// Token returns the personal access token of the first agent.
func (w *World) Token() string { return w.token }

// Labels returns the project's labels.
func (w *World) Labels() []Label { return append([]Label(nil), w.labels...) }

// Now is the anchor time of the world.
func (w *World) Now() time.Time { return w.now }

// Issues returns copies of all issues that are not deleted, by iid.
func (w *World) Issues() []Issue {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]Issue, 0, len(w.issues))
	for _, is := range w.issues {
		if !is.Deleted {
			out = append(out, copyIssue(is))
		}
	}
	return out
}

// Issue returns a copy of the issue with the given iid; false when absent or deleted.
func (w *World) Issue(iid int64) (Issue, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	is := w.issueLocked(iid)
	if is == nil {
		return Issue{}, false
	}
	return copyIssue(is), true
}

// Notes returns copies of the notes of an issue, oldest first.
func (w *World) Notes(iid int64) []Note {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]Note, 0, len(w.notes[iid]))
	for _, n := range w.notes[iid] {
		out = append(out, *n)
	}
	return out
}

// Mails returns the mails of a folder ("" for all), in the order they arrived.
func (w *World) Mails(folder string) []Mail {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []Mail
	for _, m := range w.mails {
		if folder == "" || m.Folder == folder {
			out = append(out, m)
		}
	}
	return out
}

// onMail registers f to be called, without the lock, for every mail added later.
func (w *World) onMail(f func(Mail)) {
	w.mu.Lock()
	w.listeners = append(w.listeners, f)
	w.mu.Unlock()
}

func (w *World) addMailLocked(m Mail) []func(Mail) {
	w.mails = append(w.mails, m)
	ls := make([]func(Mail), len(w.listeners))
	copy(ls, w.listeners)
	return ls
}

func notify(ls []func(Mail), m Mail) {
	for _, f := range ls {
		f(m)
	}
}

func (w *World) issueLocked(iid int64) *Issue {
	if iid < 1 || iid > int64(len(w.issues)) {
		return nil
	}
	is := w.issues[iid-1]
	if is.Deleted {
		return nil
	}
	return is
}

func (w *World) userByID(id int64) (User, bool) {
	if id == w.bot.ID {
		return w.bot, true
	}
	for _, a := range w.agents {
		if a.ID == id {
			return a, true
		}
	}
	return User{}, false
}

func (w *World) userByName(name string) (User, bool) {
	if name == w.bot.Username {
		return w.bot, true
	}
	for _, a := range w.agents {
		if a.Username == name {
			return a, true
		}
	}
	return User{}, false
}

func copyIssue(is *Issue) Issue {
	c := *is
	c.Labels = append([]string(nil), is.Labels...)
	c.AssigneeIDs = append([]int64(nil), is.AssigneeIDs...)
	if is.ClosedAt != nil {
		t := *is.ClosedAt
		c.ClosedAt = &t
	}
	return c
}

// userNotesCount counts the non-system notes, as GitLab's user_notes_count does.
func (w *World) userNotesCountLocked(iid int64) int {
	n := 0
	for _, note := range w.notes[iid] {
		if !note.System {
			n++
		}
	}
	return n
}

// addNoteLocked appends a note and bumps the issue's updated_at.
func (w *World) addNoteLocked(is *Issue, author int64, body string, system, internal bool, at time.Time) *Note {
	w.nextNote++
	n := &Note{ID: w.nextNote, IssueIID: is.IID, ProjectID: is.ProjectID, Body: body, AuthorID: author,
		System: system, Internal: internal, CreatedAt: at, UpdatedAt: at}
	w.notes[is.IID] = append(w.notes[is.IID], n)
	if at.After(is.UpdatedAt) {
		is.UpdatedAt = at
	}
	return n
}

// renumberNotes gives notes global ids in creation order, as GitLab's
// sequence would, so ids grow with time across all issues.
func (w *World) renumberNotes() {
	var all []*Note
	for _, ns := range w.notes {
		all = append(all, ns...)
	}
	sort.SliceStable(all, func(i, j int) bool {
		if !all[i].CreatedAt.Equal(all[j].CreatedAt) {
			return all[i].CreatedAt.Before(all[j].CreatedAt)
		}
		if all[i].IssueIID != all[j].IssueIID {
			return all[i].IssueIID < all[j].IssueIID
		}
		return all[i].ID < all[j].ID
	})
	for i, n := range all {
		n.ID = 3000000 + int64(i) + 1
	}
	w.nextNote = 3000000 + int64(len(all))
}
