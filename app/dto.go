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
	ID    string `json:"id"` // needs_reply, waiting, unassigned, mine, open, closed, all
	Name  string `json:"name"`
	Count int    `json:"count"`
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
}

// ThreadEntryDTO is one message of a ticket's thread.
type ThreadEntryDTO struct {
	Kind       string `json:"kind"` // customer, reply, internal, system, mail
	Author     string `json:"author"`
	AuthorName string `json:"author_name"`
	Body       string `json:"body"` // for mail: its text with the quoted history stripped
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
}

// TicketQuery selects the rows of the ticket list.
type TicketQuery struct {
	View      string `json:"view"`       // a ViewDTO id
	ProjectID int64  `json:"project_id"` // 0 for all projects
	Search    string `json:"search"`     // full-text query, "" for none
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
