// Package compose turns an agent's reply into the e-mail the app sends as the
// brand when a project's delivery mode is smtp, and expands reply templates.
//
// It owns:
//
//   - the message (Build): From the brand name and address; To the customer;
//     Cc the ticket's external participants; Reply-To the brand address with
//     the ticket's GitLab reply key when one is known (ReplyTo); the subject
//     GitLab gives a ticket's mail (Subject); Date and Message-ID as the
//     caller fixed them when the reply was queued (NewMessageID);
//     In-Reply-To and References from the thread; a multipart/alternative
//     body with a text/plain part (the Markdown itself, tidied) and a
//     text/html part (the Markdown rendered, raw HTML shown as text, in a
//     small inline-styled wrapper); the signature under the body ("-- " in
//     the text part); attachments read from the caller's Open functions.
//     No Auto-Submitted header: this is a human reply, and GitLab ignores
//     automatic mail. The one header naming the program is
//     "User-Agent: Service Desk Desktop".
//   - reply templates (Expand, Check, Variables): {{customer.name}} and the
//     other names Variables lists, spaces allowed inside the braces.
//
// It leaves to others: when and how a reply is queued, stored and sent
// (internal/outbox, internal/sender), where attachments live, finding the
// reply key and the thread's ids (internal/mailparse, internal/linker), and
// the GitLab note that records a sent reply. It does no I/O beyond the
// io.Writer and the attachment readers it is handed, and no network.
//
// # The API
//
//	type Address    struct{ Name, Email string }
//	type Identity   struct{ Address, Name, Signature string }
//	type Attachment struct{ Name, ContentType string; Open func() (io.ReadCloser, error); Size int64 }
//	type Reply      struct{ From Identity; To, Cc []Address; Title string; IID int64;
//	                        ReplyKey, InReplyTo string; References []string;
//	                        MessageID string; Date time.Time; Body string; Attachments []Attachment }
//	func NewMessageID(brandAddress string) string
//	func Subject(title string, iid int64) string
//	func ReplyTo(brandAddress, key string) string
//	func Build(r Reply, w io.Writer) error
//
//	type Vars struct{ CustomerName, CustomerEmail string; TicketIID int64; TicketTitle,
//	                  AgentName, AgentEmail, BrandName, BrandAddress string }
//	func Expand(tpl string, v Vars) (string, error)
//	func Check(tpl string) error
//	func Variables() []string
//	type TemplateError struct{ Problems []Problem }   // every refused placeholder
//	type Problem struct{ Line int; Text, Name, Reason string }
//
// # Rules a caller can rely on
//
// Build checks the whole reply before it writes a byte and returns an error
// naming what is wrong: no recipient, an address that is not a plain
// ASCII addr-spec, a Message-ID that is not one, a zero Date, a reply key
// that is not 32 lower-case hex digits, an attachment without a name or an
// Open function, an empty reply. In-Reply-To and References ids that could
// not be written as msg-ids (spaces, angle brackets, non-ASCII) are left out
// rather than refusing a reply because a customer's mail had a broken id.
// In-Reply-To is appended to References when the caller left it out, and
// duplicates are dropped, so References always ends with the message
// answered. Cc addresses that repeat a To address or the brand address are
// dropped. When writing fails (an attachment's Open or Read, or w) part of
// the message may already be in w: the caller discards it.
//
// Attachments: go-mail v0.8.1 reads each attachment only while the message
// is written (Open is called once, during Build, and the reader closed),
// but it encodes every MIME part into a buffer before copying the part to
// w, so Build holds the base64 form of the largest attachment (about 4/3 of
// its size) in memory for a moment. It cannot stream a part straight to w.
// A positive Attachment.Size is checked against the bytes read: a file that
// changed after it was attached fails the build instead of sending
// something else.
//
// # Templates
//
// A placeholder is "{{" name "}}", spaces allowed inside the braces; names
// are case-sensitive. Outside Markdown code (`spans` and code blocks), every
// "{{" must open a known placeholder: an unknown name, a "{{" never closed
// on its line and a "{{ … }}" that is not a name are all refused, each
// reported with its line in one TemplateError, so a customer never receives
// a half-expanded template. Inside code, braces are left as typed: that is
// how an agent sends "{{" to a customer. Values are inserted once, as
// given (a value containing "{{" is not expanded again, nor escaped for
// Markdown: the HTML part escapes raw HTML anyway).
//
// An empty value takes one adjoining space with it, so a greeting written
// "Hi {{customer.first_name}}," reads "Hi," when the customer's name is not
// known, rather than inventing a name ("there", the address's local part).
// customer.first_name is the first word of the name, skipping a title
// ("Dr.", "Mr", "Frau" …; "Frau Müller" stays whole, a surname alone is no
// first name), and the word after the comma in "Müller, Zoë"; a name that
// is an e-mail address counts as no name.
//
// # Subjects
//
// Subject gives "Re: <title> (#<iid>)" as GitLab does, with the title's
// white space collapsed, its leading reply prefixes (Re:, RE:, Aw:, Sv:,
// Antw:, Re[2]:) and trailing "(#<iid>)" of the same ticket removed first, so
// a title taken from a customer's "Re: Card declined (#5)" gives one "Re:"
// and one "(#5)". An iid of 0 or less gives no "(#iid)".
package compose
