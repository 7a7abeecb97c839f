package app

// The DTOs below are what the page sees. Times are RFC 3339 strings in UTC so
// the generated TypeScript types stay plain.

// ProjectDTO is a synced Service Desk project.
type ProjectDTO struct {
	ID      int64       `json:"id"`
	Path    string      `json:"path"`
	Name    string      `json:"name"`
	Labels  []LabelDTO  `json:"labels"`  // the project's labels, for the label picker
	Members []MemberDTO `json:"members"` // who tickets can be assigned to
}

// LabelDTO is one of a project's labels.
type LabelDTO struct {
	Name  string `json:"name"`
	Color string `json:"color"`
}

// MemberDTO is one of a project's members.
type MemberDTO struct {
	Username string `json:"username"`
	Name     string `json:"name"`
}

// ViewDTO is one entry in the left pane, with its live count.
type ViewDTO struct {
	// needs_reply, waiting, unassigned, mine, open, closed, all, unlinked
	// (mail without a ticket, listed by UnlinkedMail), or view:ID for a
	// saved view.
	ID     string `json:"id"`
	Name   string `json:"name"`
	Count  int    `json:"count"`
	Query  string `json:"query"`  // a saved view's query; "" for the built-in views
	Capped bool   `json:"capped"` // a saved view's search stopped counting at Count: there may be more
	Error  string `json:"error"`  // a saved view whose query no longer reads: why
}

// StatusDTO is the sync and connection state for the status bar.
type StatusDTO struct {
	Syncing    bool   `json:"syncing"`
	Online     bool   `json:"online"`
	LastSyncAt string `json:"last_sync_at"` // "" before the first sync
	LastError  string `json:"last_error"`   // a sentence for the agent; "" when fine
	Demo       bool   `json:"demo"`
	HasAccount bool   `json:"has_account"`
	// DemoAvailable says whether TryDemo can switch this window to the demo.
	DemoAvailable bool `json:"demo_available"`
	// ErrorKind sorts LastError for the banner's action: "auth" (replace
	// the token in Accounts), "forbidden", "offline" (retry), "not-found",
	// "other"; "" when there is no error.
	ErrorKind string `json:"error_kind"`
	// Progress is the number of tickets stored so far by the running sync.
	Progress int `json:"progress"`
	// LastSummary says what the last finished sync changed, e.g. "3 new,
	// 12 updated, 1 gone"; "" when it changed nothing.
	LastSummary string `json:"last_summary"`
}

// OverviewDTO is everything the left pane and status bar need.
type OverviewDTO struct {
	Projects []ProjectDTO `json:"projects"`
	Views    []ViewDTO    `json:"views"`
	Status   StatusDTO    `json:"status"`
	SLA      SLAInfoDTO   `json:"sla"`
}

// TicketRowDTO is one row of the ticket list.
type TicketRowDTO struct {
	ProjectID      int64    `json:"project_id"`
	Project        string   `json:"project"`
	IID            int64    `json:"iid"`
	Title          string   `json:"title"`
	State          string   `json:"state"`
	Customer       string   `json:"customer"`
	Labels         []string `json:"labels"`
	Assignees      []string `json:"assignees"`
	Snippet        string   `json:"snippet"`
	NeedsReply     bool     `json:"needs_reply"`
	CreatedAt      string   `json:"created_at"`
	UpdatedAt      string   `json:"updated_at"`
	LastActivityAt string   `json:"last_activity_at"`
	// WaitingSince is when the customer's unanswered message came, for an
	// open ticket where the customer had the last word; "" otherwise.
	WaitingSince string `json:"waiting_since"`
	Unread       bool   `json:"unread"` // the customer wrote since the agent last opened it
	Match        string `json:"match"`  // a search's matching passage, the words between [ and ]
	// SLA is the open ticket's service-level clock due first, under its
	// project's policy; null without one running.
	SLA *SLADueDTO `json:"sla"`
}

// SLADueDTO says when a ticket turns soon and falls due; the window judges
// it against its own clock, so a row goes amber and red without a reload.
type SLADueDTO struct {
	Clock  string `json:"clock"`   // first_response or resolution
	SoonAt string `json:"soon_at"` // "" when the policy gives no warning
	DueAt  string `json:"due_at"`
}

// SLADTO is a ticket's standing under its project's service-level policy.
type SLADTO struct {
	State         string      `json:"state"` // the ticket's: none, met, paused, ok, soon, breached
	FirstResponse SLAClockDTO `json:"first_response"`
	Resolution    SLAClockDTO `json:"resolution"`
	// Calendar is the business hours the clocks count, in short.
	Calendar string `json:"calendar"`
}

// SLAClockDTO is one clock; durations are business time in seconds.
type SLAClockDTO struct {
	State      string  `json:"state"` // none (no target), met, paused, ok, soon, breached
	Target     float64 `json:"target_s"`
	Elapsed    float64 `json:"elapsed_s"`
	Left       float64 `json:"left_s"`
	Late       float64 `json:"late_s"`
	SoonAt     string  `json:"soon_at"`     // when it turns (turned) soon; "" without a warning
	DueAt      string  `json:"due_at"`      // "" without a target, or while paused
	AchievedAt string  `json:"achieved_at"` // when it stopped; "" while it runs
}

// SLAInfoDTO is the service-level setting of the projects shown.
type SLAInfoDTO struct {
	// Active: a project shown has a policy that reads, so the Breach soon
	// and Breached views and the timers are on.
	Active bool `json:"active"`
	// Problems are the policy files that do not read, each with its
	// project, path, line and mistake.
	Problems []string `json:"problems"`
	// NextChangeAt is when an open ticket's clock next turns soon or falls
	// due (RFC 3339; "" when none will): the window counts the views again
	// then.
	NextChangeAt string `json:"next_change_at"`
}

// TicketPageDTO is one page of the ticket list.
type TicketPageDTO struct {
	Rows   []TicketRowDTO `json:"rows"`
	Offset int            `json:"offset"`
	Total  int            `json:"total"`  // rows matching in all
	Capped bool           `json:"capped"` // a search stopped counting at Total: there may be more
}

// ThreadEntryDTO is one message of a ticket's thread.
type ThreadEntryDTO struct {
	Kind       string `json:"kind"` // customer, reply, internal, system, mail
	Author     string `json:"author"`
	AuthorName string `json:"author_name"`
	Body       string `json:"body"`   // for mail: its text with the quoted history stripped
	Quoted     string `json:"quoted"` // for mail: the whole text when Body left quoted history out
	CreatedAt  string `json:"created_at"`

	// For mail: the message in the brand's mailbox. Its HTML comes from
	// MessageHTML, sanitized; attachments are saved with SaveAttachment.
	MessageID   string          `json:"message_id"`
	Folder      string          `json:"folder"`
	Subject     string          `json:"subject"`
	HasHTML     bool            `json:"has_html"`
	Attachments []AttachmentDTO `json:"attachments"`
}

// AttachmentDTO is one attachment of a mail, by its position.
type AttachmentDTO struct {
	Index       int    `json:"index"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	Inline      bool   `json:"inline"`
}

// MailHTMLDTO is a mail's HTML, sanitized, for an iframe whose sandbox
// allows neither scripts nor same-origin.
type MailHTMLDTO struct {
	HTML         string `json:"html"`
	RemoteImages int    `json:"remote_images"` // remote images of the mail; removed unless remote_allowed
	// RemoteAllowed: the agent allowed the mail's remote images (http(s)
	// images on public hosts stay in html); SenderAllowed: for every mail
	// from its sender.
	RemoteAllowed bool `json:"remote_allowed"`
	SenderAllowed bool `json:"sender_allowed"`
}

// TicketDTO is a ticket with its whole thread, oldest first.
type TicketDTO struct {
	TicketRowDTO
	Description  string           `json:"description"`
	WebURL       string           `json:"web_url"`
	Confidential bool             `json:"confidential"`
	ClosedAt     string           `json:"closed_at"`
	Thread       []ThreadEntryDTO `json:"thread"`
	// MergeInto, when not 0, is the ticket this one seems to continue (the
	// customer's answer to a mailed reply opened as a new ticket): offer
	// Merge.
	MergeInto int64 `json:"merge_into"`

	Customer        CustomerDTO `json:"customer_card"`
	FirstResponseAt string      `json:"first_response_at"` // our first public answer; "" before it
	// TicketSLA is the ticket's service-level clocks; null when its project
	// has no policy.
	TicketSLA *SLADTO `json:"ticket_sla"`
}

// CustomerDTO is the ticket sidebar's customer.
type CustomerDTO struct {
	Name         string         `json:"name"`
	Email        string         `json:"email"`
	Organisation string         `json:"organisation"` // "" for personal mail providers
	Domain       string         `json:"domain"`
	Tickets      []TicketRowDTO `json:"tickets"`       // their other tickets, newest first (at most 10)
	TicketsTotal int            `json:"tickets_total"` // how many other tickets in all
}

// TicketQuery selects a page of the ticket list.
type TicketQuery struct {
	View      string `json:"view"`       // a ViewDTO id
	ProjectID int64  `json:"project_id"` // 0 for all projects
	// Search is what the agent typed: words searched in full, and filters
	// (from:, label:, -label:, assignee:, is:, before:, after:).
	Search string `json:"search"`
	Sort   string `json:"sort"`   // updated (default), created, oldest, waiting, due
	Offset int    `json:"offset"` // first row
	Limit  int    `json:"limit"`  // rows; 0 is 200, at most 1000
}

// SavedViewDTO is a view the agent saved: a name and a search.
type SavedViewDTO struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Query string `json:"query"`
}

// MailRowDTO is one mail without a ticket.
type MailRowDTO struct {
	MessageID   string          `json:"message_id"`
	Subject     string          `json:"subject"`
	FromName    string          `json:"from_name"`
	FromEmail   string          `json:"from_email"`
	Date        string          `json:"date"`
	Snippet     string          `json:"snippet"`
	Body        string          `json:"body"`
	Quoted      string          `json:"quoted"`
	Folder      string          `json:"folder"`
	HasHTML     bool            `json:"has_html"`
	Attachments []AttachmentDTO `json:"attachments"`
}

// MailPageDTO is one page of the mail without a ticket.
type MailPageDTO struct {
	Rows   []MailRowDTO `json:"rows"`
	Offset int          `json:"offset"`
	Total  int          `json:"total"`
}

// TicketKeyDTO names one ticket.
type TicketKeyDTO struct {
	ProjectID int64 `json:"project_id"`
	IID       int64 `json:"iid"`
}

// BulkTriageDTO is one change made to several tickets.
type BulkTriageDTO struct {
	Tickets      []TicketKeyDTO `json:"tickets"`
	AddLabels    []string       `json:"add_labels"`
	RemoveLabels []string       `json:"remove_labels"`
	Assignees    *[]string      `json:"assignees"` // null: unchanged; []: unassign
	State        string         `json:"state"`     // close, reopen or ""
}

// PrefsDTO are the window's remembered preferences.
type PrefsDTO struct {
	SidebarWidth int  `json:"sidebar_width"` // pixels; 0 for the default
	ListWidth    int  `json:"list_width"`
	Notify       bool `json:"notify"` // a desktop notification for each new ticket that needs a reply
	WindowWidth  int  `json:"window_width"`
	WindowHeight int  `json:"window_height"`
}

// Event names and payloads sent to the page. The page subscribes through
// frontend/src/api only.
const (
	EventSyncState      = "sync:state"      // payload StatusDTO
	EventTicketsChanged = "tickets:changed" // payload TicketsChangedDTO
	EventOutboxChanged  = "outbox:changed"  // payload []OutboxOpDTO: ops that moved (state "undone": gone)
)

// TicketsChangedDTO says which tickets a sync changed, so the page can reload
// the list and, when it is shown, the open ticket.
type TicketsChangedDTO struct {
	ProjectIDs []int64 `json:"project_ids"`
	Count      int     `json:"count"`
}
