package mailbox

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// Folder is one mailbox folder as LIST shows it.
type Folder struct {
	Name  string   `json:"name"`
	Attrs []string `json:"attrs,omitempty"` // e.g. `\Sent`, `\HasNoChildren`
}

// Report is what "Test connection" found in a mailbox.
type Report struct {
	User         string   `json:"user"`
	Folders      []Folder `json:"folders"`
	Capabilities []string `json:"capabilities"` // sorted, as the server announced them after sign-in
	CondStore    bool     `json:"condstore"`
	IDLE         bool     `json:"idle"`
	Move         bool     `json:"move"`
	Inbox        uint32   `json:"inbox"` // messages in INBOX
	Sent         string   `json:"sent"`  // name of the \Sent folder, "" if none
}

// Check connects and signs in, lists the folders (with special-use
// attributes), counts the messages in INBOX, reads the capabilities and signs
// out; the whole check is bounded by c.Timeout. Errors are *neterr.Problem.
// A mailbox without a \Sent folder is not an error: Report.Sent is "".
func Check(ctx context.Context, c Config) (Report, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout())
	defer cancel()
	client, stop, err := open(ctx, c)
	if err != nil {
		return Report{}, err
	}
	defer stop()
	defer func() { _ = client.Close() }() // after Logout; an error here changes nothing

	r := Report{User: c.User}
	caps := client.Caps()
	if caps == nil {
		return Report{}, fail(ctx, c, "reading the capabilities", errors.New("no CAPABILITY answer"))
	}
	for cp := range caps {
		r.Capabilities = append(r.Capabilities, string(cp))
	}
	sort.Strings(r.Capabilities)
	r.CondStore, r.IDLE, r.Move = caps.Has(imap.CapCondStore), caps.Has(imap.CapIdle), caps.Has(imap.CapMove)

	if r.Folders, r.Sent, err = listFolders(client, caps); err != nil {
		return Report{}, fail(ctx, c, "listing the folders", err)
	}
	st, err := client.Status("INBOX", &imap.StatusOptions{NumMessages: true}).Wait()
	if err != nil {
		return Report{}, fail(ctx, c, "counting the messages in INBOX", err)
	}
	if st.NumMessages != nil {
		r.Inbox = *st.NumMessages
	}
	if err := client.Logout().Wait(); err != nil {
		return Report{}, fail(ctx, c, "signing out", err)
	}
	return r, nil
}

// listFolders runs LIST "" "*", asking for special-use attributes when the
// server can return them, and finds the \Sent folder.
func listFolders(client *imapclient.Client, caps imap.CapSet) ([]Folder, string, error) {
	var opts *imap.ListOptions
	if caps.Has(imap.CapSpecialUse) && (caps.Has(imap.CapListExtended) || caps.Has(imap.CapIMAP4rev2)) {
		opts = &imap.ListOptions{ReturnSpecialUse: true}
	}
	list, err := client.List("", "*", opts).Collect()
	if err != nil {
		return nil, "", err
	}
	folders := make([]Folder, 0, len(list))
	sent := ""
	for _, d := range list {
		f := Folder{Name: d.Mailbox}
		for _, a := range d.Attrs {
			f.Attrs = append(f.Attrs, string(a))
			if strings.EqualFold(string(a), string(imap.MailboxAttrSent)) && sent == "" {
				sent = d.Mailbox
			}
		}
		folders = append(folders, f)
	}
	sort.Slice(folders, func(i, j int) bool { return folders[i].Name < folders[j].Name })
	return folders, sent, nil
}

// Summary says in one sentence what the check found, e.g. `Signed in as
// support@acme.com: 5 folders, 463 messages in INBOX, sent mail in "Sent";
// CONDSTORE and IDLE supported.`
func (r Report) Summary() string {
	sent := "no folder is marked for sent mail"
	if r.Sent != "" {
		sent = fmt.Sprintf("sent mail in %q", r.Sent)
	}
	var support string
	switch {
	case r.CondStore && r.IDLE:
		support = "CONDSTORE and IDLE supported"
	case r.CondStore:
		support = "CONDSTORE supported, IDLE not"
	case r.IDLE:
		support = "IDLE supported, CONDSTORE not"
	default:
		support = "neither CONDSTORE nor IDLE supported"
	}
	return fmt.Sprintf("Signed in as %s: %s, %s in INBOX, %s; %s.",
		r.User, plural(len(r.Folders), "folder"), plural(int(r.Inbox), "message"), sent, support)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
