// Package model holds the plain types every other package speaks: accounts,
// projects, tickets, notes and thread entries. It owns no behaviour beyond
// small pure helpers and depends on nothing in this module.
package model

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"servicedesk/internal/sla"
)

// SupportBot is the GitLab user that authors every Service Desk ticket and
// every note that carries a customer's e-mail.
const SupportBot = "support-bot"

// Ticket states as GitLab names them.
const (
	StateOpened = "opened"
	StateClosed = "closed"
)

// Thread entry kinds, as the command line and the window show them.
const (
	KindCustomer = "customer" // the customer wrote (the ticket body or a support-bot note)
	KindReply    = "reply"    // a public note by an agent: GitLab e-mails it to the customer
	KindInternal = "internal" // an internal note: never e-mailed
	KindSystem   = "system"   // GitLab's record of a label, assignee or state change
	KindMail     = "mail"     // a message from the brand's mailbox
)

// ErrNotFound is returned when a looked-up row does not exist.
var ErrNotFound = errors.New("not found")

// ErrNoAccount is returned by a sync when there is nothing to sync yet.
var ErrNoAccount = errors.New("no GitLab account yet")

// Account kinds.
const (
	AccountGitLab = "gitlab" // a GitLab instance and the agent's token there
	AccountIMAP   = "imap"   // the brand's support mailbox
	AccountSMTP   = "smtp"   // a sending identity: the brand address of a project and its SMTP server
)

// Connection security of a mail server.
const (
	SecurityTLS      = "tls"      // TLS from the first byte (IMAPS 993, SMTPS 465)
	SecuritySTARTTLS = "starttls" // plain, then STARTTLS before anything else
	SecurityNone     = "none"     // plain text: allowed only to this computer
)

// Delivery modes of a sending identity.
const (
	DeliveryGitLab = "gitlab" // post a public note; GitLab's custom e-mail sends it
	DeliverySMTP   = "smtp"   // the app sends through the brand's SMTP server
)

// Account is one set of credentials the agent connects with: a GitLab
// account, a mailbox or a sending identity. Its secret (token or password)
// lives in the keychain under the account's id, never here.
type Account struct {
	ID        int64     `json:"id"`
	Kind      string    `json:"kind"` // AccountGitLab, AccountIMAP or AccountSMTP
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`

	// GitLab
	URL      string `json:"url,omitempty"`
	Username string `json:"username,omitempty"` // the token's user, as GitLab reported it

	// IMAP and SMTP
	Host      string `json:"host,omitempty"`
	Port      int    `json:"port,omitempty"`
	Security  string `json:"security,omitempty"`   // SecurityTLS, SecuritySTARTTLS or SecurityNone
	Login     string `json:"login,omitempty"`      // the user name the server knows
	ProjectID int64  `json:"project_id,omitempty"` // the project a mailbox feeds or an identity answers for

	// IMAP
	Folders []string `json:"folders,omitempty"` // folders to sync; empty means INBOX and the \Sent folder

	// SMTP identity
	FromAddress string `json:"from_address,omitempty"`
	FromName    string `json:"from_name,omitempty"`
	Delivery    string `json:"delivery,omitempty"`  // DeliveryGitLab or DeliverySMTP
	Signature   string `json:"signature,omitempty"` // Markdown, under every reply
}

// Project is a GitLab project whose Service Desk queue is synced.
type Project struct {
	ID                 int64  `json:"id"` // local id
	AccountID          int64  `json:"account_id"`
	GitLabID           int64  `json:"gitlab_id"`
	Path               string `json:"path"` // path with namespace, e.g. acme/support
	Name               string `json:"name"`
	WebURL             string `json:"web_url"`
	ServiceDeskEnabled bool   `json:"service_desk_enabled"`
	ServiceDeskAddress string `json:"service_desk_address"`
}

// Label is one of a project's labels.
type Label struct {
	Name        string `json:"name"`
	Color       string `json:"color"`
	Description string `json:"description"`
}

// Member is a project member an agent can assign tickets to.
type Member struct {
	UserID   int64  `json:"user_id"`
	Username string `json:"username"`
	Name     string `json:"name"`
}

// Ticket is a Service Desk issue.
type Ticket struct {
	ID             int64      `json:"-"` // local id
	ProjectID      int64      `json:"-"`
	Project        string     `json:"project"` // path with namespace
	GitLabID       int64      `json:"gitlab_id"`
	IID            int64      `json:"iid"`
	Title          string     `json:"title"`
	Description    string     `json:"description"`
	State          string     `json:"state"`
	Customer       string     `json:"customer"` // service_desk_reply_to
	Labels         []string   `json:"labels"`
	Assignees      []string   `json:"assignees"` // usernames
	Milestone      string     `json:"milestone"`
	Confidential   bool       `json:"confidential"`
	IssueType      string     `json:"issue_type"`
	WebURL         string     `json:"web_url"`
	UserNotesCount int        `json:"user_notes_count"`
	MovedToID      int64      `json:"moved_to_id,omitempty"` // moved to another project: this one is closed
	Gone           bool       `json:"gone,omitempty"`        // deleted on GitLab, or no longer visible to the token
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
	ClosedAt       *time.Time `json:"closed_at"`

	// Derived from the thread when it is stored; not GitLab fields.
	LastPublicKind string    `json:"-"` // kind of the newest customer or reply entry
	LastPublicAt   time.Time `json:"-"`
	Snippet        string    `json:"-"` // start of the newest customer or reply entry
}

// NeedsReply reports whether the customer had the last public word.
func (t Ticket) NeedsReply() bool {
	return t.State == StateOpened && t.LastPublicKind == KindCustomer
}

// Note is one note on a ticket's GitLab issue.
type Note struct {
	ID         int64     `json:"id"` // GitLab note id
	TicketID   int64     `json:"-"`
	Author     string    `json:"author"` // username
	AuthorName string    `json:"author_name"`
	Body       string    `json:"body"`
	System     bool      `json:"system"`
	Internal   bool      `json:"internal"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Kind says how a note shows in the thread.
func (n Note) Kind() string {
	switch {
	case n.System:
		return KindSystem
	case n.Internal:
		if _, ok := n.MailedReply(); ok {
			return KindReply // the customer got it by mail
		}
		return KindInternal
	case n.Author == SupportBot:
		return KindCustomer
	default:
		return KindReply
	}
}

// mailedReplyHead starts the internal note the outbox posts to record a
// reply it mailed itself (internal, so GitLab does not mail it again).
const mailedReplyHead = "Replied by e-mail (Message-ID `<"

// MailedReplyNote is the body of the note recording a mailed reply.
func MailedReplyNote(messageID, body string) string {
	return mailedReplyHead + messageID + ">`):\n\n" + body
}

// MailedReply returns the reply a note records when it is the record of a
// reply the app mailed (MailedReplyNote): the customer saw it, so it counts
// as a public reply.
func (n Note) MailedReply() (body string, ok bool) {
	if !n.Internal || !strings.HasPrefix(n.Body, mailedReplyHead) {
		return "", false
	}
	_, body, ok = strings.Cut(n.Body, ">`):\n\n")
	return body, ok
}

// mergedAnswerMid is in the internal note the outbox posts when it merges
// a customer's answer that GitLab opened as a new ticket into the ticket it
// continues (MergedAnswerNote).
const mergedAnswerMid = " answered by e-mail and GitLab opened the answer as #"

// MergedAnswerNote is the body of that note: who answered, the ticket
// GitLab opened, and their text (quoted).
func MergedAnswerNote(customer string, iid int64, quoted string) string {
	return fmt.Sprintf("%s%s%d; merged here:\n\n%s", customer, mergedAnswerMid, iid, quoted)
}

// MergedAnswer says whether a note is a customer's answer merged in from
// another ticket (MergedAnswerNote): the customer wrote, as if here.
func (n Note) MergedAnswer() bool {
	first, _, _ := strings.Cut(n.Body, "\n")
	return n.Internal && strings.Contains(first, mergedAnswerMid)
}

// Public is the public word a note is, for the queue and the clocks:
// KindCustomer for the customer's messages (support-bot's notes, and
// answers merged in from the ticket GitLab opened for them, which GitLab
// holds as internal notes), KindReply for our public replies (public
// notes, mailed replies), "" for the rest. The thread shows notes by Kind.
func (n Note) Public() string {
	switch k := n.Kind(); {
	case k == KindCustomer, k == KindReply:
		return k
	case n.MergedAnswer():
		return KindCustomer
	}
	return ""
}

// ThreadEntry is one message in a ticket's thread, in time order.
type ThreadEntry struct {
	Kind       string    `json:"kind"`
	Author     string    `json:"author"`
	AuthorName string    `json:"author_name"`
	Body       string    `json:"body"`
	CreatedAt  time.Time `json:"created_at"`

	// For KindMail: the message in the brand's mailbox.
	Quoted      string       `json:"quoted,omitempty"` // the whole text, quoted history included, when Body left some out
	MessageID   string       `json:"message_id,omitempty"`
	Folder      string       `json:"folder,omitempty"`
	Subject     string       `json:"subject,omitempty"`
	HasHTML     bool         `json:"has_html,omitempty"`
	Attachments []Attachment `json:"attachments,omitempty"`
}

// TicketDetail is a ticket with its thread.
type TicketDetail struct {
	Ticket
	Thread []ThreadEntry `json:"thread"`
	// MergeInto, when not 0, is the ticket this one seems to continue: the
	// customer answered a reply the app mailed without a reply key, and
	// GitLab opened that answer as this new ticket. The app offers to merge.
	MergeInto int64 `json:"merge_into,omitempty"`
	// SLA is the ticket's service-level standing now under its project's
	// policy (SLACalendar its business hours, in short); nil without a
	// policy that reads.
	SLA         *sla.Status `json:"sla,omitempty"`
	SLACalendar string      `json:"sla_calendar,omitempty"`
}

// TicketFilter selects tickets from the local store. Its fields narrow the
// list together (AND).
type TicketFilter struct {
	ProjectID  int64  // 0: all projects
	State      string // "", "opened", "closed"
	Unassigned bool
	NeedsReply bool   // open tickets where the customer had the last public word
	Waiting    bool   // open tickets where we had the last public word: waiting on the customer
	Assignee   string // only tickets assigned to this username; "" for any
	Unread     bool   // the customer wrote since the agent last opened the ticket

	Customer  []string // each a part of the customer's address (from:)
	Labels    []string // each must be on the ticket (label:)
	NotLabels []string // none may be on the ticket (-label:)
	// CreatedAfter and CreatedBefore bound the ticket's creation time
	// (after:, before:); zero for no bound.
	CreatedAfter, CreatedBefore time.Time

	// SLA narrows to open tickets by their service-level clocks, as of
	// Now: SLASoon (a clock within its warning, none due yet) or
	// SLABreached (a running clock past its due time).
	SLA string
	Now time.Time

	// Never matches: the filters contradict each other (is:open in the
	// Closed view).
	None bool

	Query  string // full-text words; empty for none
	Sort   string // one of the Sort constants; "" is SortUpdated
	Offset int
	Limit  int // 0: no limit
}

// The ticket list's orders.
const (
	SortUpdated = "updated" // latest activity first
	SortCreated = "created" // newest tickets first
	SortOldest  = "oldest"  // oldest tickets first
	SortWaiting = "waiting" // the customer waiting longest first (their newest message oldest)
	SortDue     = "due"     // the service-level clock due first first; tickets without one last
)

// The service-level filters (TicketFilter.SLA) and clocks.
const (
	SLASoon     = "soon"     // a running clock within its warning, none past due
	SLABreached = "breached" // a running clock past its due time

	ClockFirstResponse = "first_response"
	ClockResolution    = "resolution"
)

// SyncResult reports what one sync of one project changed.
type SyncResult struct {
	Project        string `json:"project,omitempty"`
	Mailbox        string `json:"mailbox,omitempty"` // set for a mailbox's result instead of Project
	ProjectID      int64  `json:"-"`
	TicketsChanged int    `json:"tickets_changed"` // added + updated
	Added          int    `json:"tickets_added"`
	Updated        int    `json:"tickets_updated"`
	Gone           int    `json:"tickets_gone"` // deleted on GitLab since the last check
	NotesRead      int    `json:"notes_read"`
	Requests       int    `json:"requests"`
	DurationMS     int64  `json:"duration_ms"`

	// A mailbox's changes.
	MessagesNew      int       `json:"messages_new,omitempty"`
	MessagesGone     int       `json:"messages_gone,omitempty"`
	FlagsChanged     int       `json:"flags_changed,omitempty"`
	MessagesLinked   int       `json:"messages_linked,omitempty"`
	MessagesUnlinked int       `json:"messages_unlinked,omitempty"`
	FinishedAt       time.Time `json:"finished_at"`
}

// Link rules: how a message was tied to its ticket (see package linker).
const (
	LinkNone   = "none"   // mail GitLab never made into a ticket
	LinkManual = "manual" // the agent linked it to a ticket
)

// MailAddress is one address of a message.
type MailAddress struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// Attachment is one attachment of a message; its bytes are read from the
// raw message when the agent saves it. SHA256 is the digest of the decoded
// bytes when they were decoded; sync lists attachments without decoding
// them, so it is "" for synced mail.
type Attachment struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	ContentID   string `json:"content_id,omitempty"`
	Inline      bool   `json:"inline"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
}

// Message is one message of the brand's mailbox, parsed.
type Message struct {
	ID            int64         `json:"-"`
	Folder        string        `json:"folder"`
	UIDValidity   uint32        `json:"-"`
	UID           uint32        `json:"uid"`
	MessageID     string        `json:"message_id"`
	Flags         []string      `json:"flags"`
	Size          int64         `json:"size"`
	RawSHA256     string        `json:"-"`
	Raw           []byte        `json:"-"` // a small raw message, stored with it; nil when it lives in the blob folder
	Subject       string        `json:"subject"`
	From          MailAddress   `json:"from"`
	To            []MailAddress `json:"to"`
	Cc            []MailAddress `json:"cc"`
	Date          time.Time     `json:"date"`
	InReplyTo     []string      `json:"in_reply_to"`
	References    []string      `json:"references"`
	ReplyKeys     []string      `json:"-"`
	AutoSubmitted bool          `json:"auto_submitted"`
	Text          string        `json:"text"`
	Stripped      string        `json:"-"`
	HasHTML       bool          `json:"has_html"`
	Broken        bool          `json:"broken"`
	Problem       string        `json:"problem,omitempty"`
	Attachments   []Attachment  `json:"attachments"`

	// The ticket the message belongs to, if linked.
	ProjectID int64  `json:"-"`
	Ticket    *int64 `json:"ticket"`    // iid, or null
	LinkRule  string `json:"link_rule"` // a linker rule, or "none"
}

// Kinds of outbox ops: every change the agent makes to a ticket or sends
// to a customer.
const (
	OpReply  = "reply"  // a public reply: a public note (delivery gitlab) or a mail (delivery smtp)
	OpNote   = "note"   // an internal note
	OpLabels = "labels" // add and remove labels
	OpAssign = "assign" // set the assignees
	OpState  = "state"  // close or reopen
	OpCC     = "cc"     // add and remove external participants
	OpMerge  = "merge"  // close the ticket as a duplicate of another, its content copied there as a note
	// OpRule applies a team rule: it claims the ticket with an internal
	// note (Body, marked with the rule), and only the app whose claim is the
	// oldest applies the labels and assignees; the others withdraw theirs.
	OpRule = "rule"
)

// States of an outbox op.
const (
	OpQueued   = "queued"           // waiting for its undo window or send-later time
	OpReady    = "ready"            // may leave
	OpSending  = "sending"          // leaving now
	OpSent     = "sent"             // the SMTP server took the mail; the note that records it is not posted yet
	OpDone     = "recorded"         // done: on GitLab (and, for a mail, recorded there)
	OpFailed   = "failed"           // stopped with a reason; Retryable ones are tried again at NextTryAt
	OpUnknown  = "delivery unknown" // the mail may have left: never resent without the agent
	OpConflict = "conflict"         // the ticket got a newer customer message or public note than the reply answers
)

// OpPayload is what an op changes; which fields count depends on the kind.
type OpPayload struct {
	Body         string   `json:"body,omitempty"` // Markdown of a reply or note, templates expanded
	Attachments  []OpFile `json:"attachments,omitempty"`
	AddLabels    []string `json:"add_labels,omitempty"`
	RemoveLabels []string `json:"remove_labels,omitempty"`
	Assignees    []string `json:"assignees,omitempty"` // usernames; empty: unassign
	State        string   `json:"state,omitempty"`     // "close" or "reopen"
	AddCC        []string `json:"add_cc,omitempty"`
	RemoveCC     []string `json:"remove_cc,omitempty"`
	MergeInto    int64    `json:"merge_into,omitempty"` // OpMerge: the ticket it goes into
	Rule         string   `json:"rule,omitempty"`       // OpRule: the rule's key (project-unique)
}

// OpFile is a file attached to a reply: copied into the outbox when queued,
// so moving or editing the original changes nothing.
type OpFile struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"` // the copy in the blob folder
}

// OutboxOp is one change waiting to leave, leaving, or done.
type OutboxOp struct {
	ID        string    `json:"id"` // random; the marker on the GitLab note
	Seq       int64     `json:"seq"`
	ProjectID int64     `json:"project_id"`
	IID       int64     `json:"iid"`
	Kind      string    `json:"kind"`
	Payload   OpPayload `json:"payload"`
	State     string    `json:"state"`
	Reason    string    `json:"reason,omitempty"` // why it failed, conflicted or is unknown; one sentence
	Retryable bool      `json:"retryable"`
	Attempts  int       `json:"attempts"`
	NotBefore time.Time `json:"not_before"`           // end of the undo window, or the send-later time
	NextTryAt time.Time `json:"next_try_at"`          // a retryable failure's next try
	Delivery  string    `json:"delivery,omitempty"`   // DeliveryGitLab or DeliverySMTP, for replies
	MessageID string    `json:"message_id,omitempty"` // the mail's Message-ID (smtp), fixed when queued
	AnswersAt time.Time `json:"answers_at"`           // the newest public word on the ticket when the reply was written
	NoteID    int64     `json:"note_id,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Draft is the reply or note an agent is writing on a ticket, saved as
// typed.
type Draft struct {
	ProjectID int64     `json:"project_id"`
	IID       int64     `json:"iid"`
	Body      string    `json:"body"`
	Internal  bool      `json:"internal"`
	AnswersAt time.Time `json:"answers_at"` // the newest public word on the ticket when the draft began
	SavedAt   time.Time `json:"saved_at"`
}

// Template is one of the agent's reply templates: Markdown with
// {{variables}} filled in when the reply is queued.
type Template struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Body      string    `json:"body"`
	UpdatedAt time.Time `json:"updated_at"`

	// Shared templates come from a project's repository (TeamDir); they are
	// edited there, not in the app.
	ProjectID int64  `json:"project_id,omitempty"` // 0 for the agent's own
	Path      string `json:"path,omitempty"`       // the file in the repository
	// Problem says what is wrong with a shared template's file ("line 3:
	// unknown variable {{customer.nmae}}"); such a template is listed but
	// cannot be used.
	Problem string `json:"problem,omitempty"`
}

// TeamDir is the folder of a project's repository where the team keeps the
// app's shared templates, macros, rules and SLA, beside GitLab's own
// .gitlab/service_desk_templates/.
const TeamDir = ".gitlab/service_desk_desktop"
