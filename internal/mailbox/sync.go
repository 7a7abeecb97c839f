package mailbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"golang.org/x/sync/errgroup"

	"servicedesk/internal/linker"
	"servicedesk/internal/mailparse"
	"servicedesk/internal/model"
	"servicedesk/internal/store"
)

// fetchBatch is how many messages one FETCH asks for; new mail is fetched
// newest first, a batch at a time, so recent mail is usable at once.
const fetchBatch = 100

// Syncer copies one mailbox account's folders into the store.
type Syncer struct {
	Config    Config
	Account   model.Account
	Store     *store.Store
	ProjectID int64 // the project whose tickets the mail belongs to; 0: link by Message-ID and reply key only
	// Backoff is the wait before the first reconnect when the connection
	// drops mid-sync; it doubles for each further try. 0 means one second.
	Backoff time.Duration
}

// Result says what one sync of a mailbox changed.
type Result struct {
	Folders    int `json:"folders"`
	New        int `json:"messages_new"`
	Gone       int `json:"messages_gone"`
	Flags      int `json:"flags_changed"`
	Linked     int `json:"messages_linked"`
	Unlinked   int `json:"messages_unlinked"`
	Reconnects int `json:"reconnects"` // connections dropped mid-sync and made again
}

// reconnects is how many times a sync connects again after a drop before
// it gives up and reports the drop.
const reconnects = 3

// Sync brings every folder of the account up to date: the folders it
// names, or INBOX and the \Sent folder. When the connection drops (the
// network went, the server closed it) it connects again, with a growing
// wait, and goes on from what it had stored.
func (s *Syncer) Sync(ctx context.Context) (Result, error) {
	var res Result
	wait := s.Backoff
	if wait <= 0 {
		wait = time.Second
	}
	for try := 0; ; try++ {
		lost, err := s.syncOnce(ctx, &res)
		if err == nil {
			break
		}
		if !lost || try == reconnects || ctx.Err() != nil {
			return res, err
		}
		res.Reconnects++
		t := time.NewTimer(wait + time.Duration(rand.Int64N(int64(wait)/2+1))) // jitter: many clients do not come back at once
		select {
		case <-ctx.Done():
			t.Stop()
			return res, err
		case <-t.C:
		}
		wait *= 2
	}
	linked, unlinked, err := s.relink(ctx)
	res.Linked, res.Unlinked = linked, unlinked
	if err == nil && res.Gone > 0 {
		_, err = s.Store.CollectGarbage(ctx) // the raw bytes of mail gone from the server
	}
	return res, err
}

// syncOnce syncs every folder over one connection, adding to res. lost
// reports that the connection, once made, ended under it (dropped, reset,
// closed by the server): what was stored is kept and trying again goes on
// from there. A failed connect is not lost: the caller reports it at once.
func (s *Syncer) syncOnce(ctx context.Context, res *Result) (lost bool, err error) {
	client, err := Dial(ctx, s.Config)
	if err != nil {
		return false, err
	}
	defer client.Close()
	defer func() { _ = client.Logout().Wait() }() // best effort, after the folders
	stop := closeOnDone(ctx, client)
	defer stop()
	defer func() { // first of the deferred calls: before this side closes it
		select {
		case <-client.Closed():
			lost = err != nil
		default:
		}
	}()

	folders, sent, err := listFolders(client, client.Caps())
	if err != nil {
		return false, fail(ctx, s.Config, "listing folders", err)
	}
	names := s.Account.Folders
	if len(names) == 0 {
		names = []string{"INBOX"}
		if sent != "" {
			names = append(names, sent)
		}
	}
	condstore := client.Caps().Has(imap.CapCondStore)
	res.Folders = 0
	for _, name := range names {
		special := ""
		for _, f := range folders {
			if f.Name == name && slices.ContainsFunc(f.Attrs, func(a string) bool { return strings.EqualFold(a, string(imap.MailboxAttrSent)) }) {
				special = `\Sent`
			}
		}
		if err := s.syncFolder(ctx, client, name, special, condstore, res); err != nil {
			return false, fmt.Errorf("folder %s: %w", name, err)
		}
		res.Folders++
	}
	return false, nil
}

func closeOnDone(ctx context.Context, c *imapclient.Client) func() {
	stop := context.AfterFunc(ctx, func() { _ = c.Close() })
	return func() { stop() }
}

// syncFolder reconciles one folder: a UIDVALIDITY change drops it and reads
// it anew (links are kept by Message-ID), expunged messages go, new ones are
// fetched newest first, and changed flags are stored; then the cursor.
func (s *Syncer) syncFolder(ctx context.Context, c *imapclient.Client, name, special string, condstore bool, res *Result) error {
	f, err := s.Store.Folder(ctx, s.Account.ID, name, special)
	if err != nil {
		return err
	}
	sel, err := c.Select(name, &imap.SelectOptions{ReadOnly: true, CondStore: condstore}).Wait()
	if err != nil {
		return fail(ctx, s.Config, "opening "+name, err)
	}
	if f.UIDValidity != 0 && f.UIDValidity != sel.UIDValidity {
		n, err := s.Store.ResetFolder(ctx, f.ID)
		if err != nil {
			return err
		}
		res.Gone += n // read anew below; their links stay, keyed by Message-ID
		f.HighestModSeq = 0
	}
	stored, err := s.Store.FolderUIDs(ctx, f.ID)
	if err != nil {
		return err
	}
	onServer, err := c.UIDSearch(&imap.SearchCriteria{}, nil).Wait()
	if err != nil {
		return fail(ctx, s.Config, "listing "+name, err)
	}
	server := map[uint32]bool{}
	var fresh []imap.UID
	for _, uid := range onServer.AllUIDs() {
		server[uint32(uid)] = true
		if _, ok := stored[uint32(uid)]; !ok {
			fresh = append(fresh, uid)
		}
	}
	var gone []uint32
	for uid := range stored {
		if !server[uid] {
			gone = append(gone, uid)
		}
	}
	if err := s.Store.DeleteMessages(ctx, f.ID, gone); err != nil {
		return err
	}
	res.Gone += len(gone)
	slices.SortFunc(fresh, func(a, b imap.UID) int { return int(b) - int(a) }) // newest first
	n, err := s.fetchNew(ctx, c, f.ID, sel.UIDValidity, fresh)
	res.New += n
	if err != nil {
		return err
	}
	changed, err := s.syncFlags(ctx, c, f, stored, condstore && f.HighestModSeq > 0)
	if err != nil {
		return err
	}
	res.Flags += changed
	f.UIDValidity, f.UIDNext, f.HighestModSeq = sel.UIDValidity, uint32(sel.UIDNext), sel.HighestModSeq
	return s.Store.SetFolderCursor(ctx, f)
}

// fetched is a message whose raw bytes are safe in the blob folder.
type fetched struct {
	uid   imap.UID
	flags []string
	sum   string
	size  int64
	raw   []byte // a small message, kept in the database with its parsed form; nil when in the blob folder
}

// parsers is how many messages are parsed at once while the next ones are
// fetched.
const parsers = 2

// fetchNew fetches new messages (given newest first) in three overlapping
// stages: this goroutine streams each message's raw bytes from the server
// to the blob folder, parsers read them back into the model, and a writer
// stores them a batch at a time, so no message is ever whole in memory and
// the newest mail is searchable first. It returns how many were stored.
func (s *Syncer) fetchNew(ctx context.Context, c *imapclient.Client, folderID int64, validity uint32, uids []imap.UID) (int, error) {
	if len(uids) == 0 {
		return 0, nil
	}
	g, gctx := errgroup.WithContext(ctx)
	jobs := make(chan fetched, 2*fetchBatch)
	done := make(chan model.Message, 2*fetchBatch)
	var parsing sync.WaitGroup
	for range parsers {
		parsing.Add(1)
		g.Go(func() error {
			defer parsing.Done()
			for f := range jobs {
				m, err := s.parse(f)
				if err != nil {
					return err
				}
				m.UIDValidity, m.UID, m.Flags, m.Raw = validity, uint32(f.uid), f.flags, f.raw
				select {
				case done <- m:
				case <-gctx.Done():
					return gctx.Err()
				}
			}
			return nil
		})
	}
	g.Go(func() error { parsing.Wait(); close(done); return nil })
	stored := 0
	g.Go(func() error {
		// One transaction a batch: the raw messages are already in the blob
		// folder, and a crash before a commit only fetches them again.
		batch := make([]model.Message, 0, fetchBatch)
		for m := range done {
			if batch = append(batch, m); len(batch) == fetchBatch {
				if _, err := s.Store.SaveMessages(gctx, folderID, batch); err != nil {
					return err
				}
				stored, batch = stored+len(batch), batch[:0]
			}
		}
		if _, err := s.Store.SaveMessages(gctx, folderID, batch); err != nil {
			return err
		}
		stored += len(batch)
		return nil
	})
	fetchErr := s.fetchBlobs(gctx, c, uids, jobs)
	close(jobs)
	if err := g.Wait(); err != nil {
		return stored, err
	}
	return stored, fetchErr
}

// fetchBlobs streams the raw messages of uids, a batch per FETCH, into the
// blob folder and hands each to jobs.
func (s *Syncer) fetchBlobs(ctx context.Context, c *imapclient.Client, uids []imap.UID, jobs chan<- fetched) error {
	section := &imap.FetchItemBodySection{Peek: true}
	opt := &imap.FetchOptions{UID: true, Flags: true, RFC822Size: true, BodySection: []*imap.FetchItemBodySection{section}}
	for len(uids) > 0 {
		n := min(len(uids), fetchBatch)
		cmd := c.Fetch(imap.UIDSetNum(uids[:n]...), opt)
		uids = uids[n:]
		for msg := cmd.Next(); msg != nil; msg = cmd.Next() {
			var f fetched
			for item := msg.Next(); item != nil; item = msg.Next() {
				switch it := item.(type) {
				case imapclient.FetchItemDataUID:
					f.uid = it.UID
				case imapclient.FetchItemDataFlags:
					f.flags = flagStrings(it.Flags)
				case imapclient.FetchItemDataBodySection:
					var err error
					if f.sum, f.size, f.raw, err = s.Store.ReadSmallOrWriteBlob(it.Literal, it.Literal.Size()); err != nil {
						if errors.Is(err, store.ErrCutShort) {
							_ = c.Close() // the connection broke mid-message: nothing more comes on it
							return fail(ctx, s.Config, "fetching mail", err)
						}
						_ = cmd.Close()
						return err
					}
				}
			}
			if f.uid == 0 || f.sum == "" {
				continue // the server sent no body for it: it is fetched at the next sync
			}
			select {
			case jobs <- f:
			case <-ctx.Done():
				_ = cmd.Close()
				return ctx.Err()
			}
		}
		if err := cmd.Close(); err != nil {
			return fail(ctx, s.Config, "fetching mail", err)
		}
	}
	return nil
}

// parse reads a fetched raw message into the model. Attachments are only
// measured; their bytes stay inside the raw message until saved.
func (s *Syncer) parse(fm fetched) (model.Message, error) {
	var r io.Reader = bytes.NewReader(fm.raw)
	if fm.raw == nil {
		f, err := os.Open(s.Store.BlobPath(fm.sum))
		if err != nil {
			return model.Message{}, err
		}
		defer f.Close()
		r = f
	}
	sum, size := fm.sum, fm.size
	p, err := mailparse.Parse(r, mailparse.Options{SizesOnly: true})
	if err != nil {
		return model.Message{}, fmt.Errorf("read stored message %s: %w", sum, err)
	}
	m := model.Message{MessageID: p.MessageID, Size: size, RawSHA256: sum, Subject: p.Subject,
		From: addr(p.From), Date: p.Date, InReplyTo: p.InReplyTo, References: p.References, ReplyKeys: p.ReplyKeys,
		AutoSubmitted: p.AutoSubmitted, Text: p.Text, Stripped: p.Stripped, HasHTML: p.HTML != "", Broken: p.Broken, Problem: p.Problem}
	if m.MessageID == "" {
		m.MessageID = sum + "@servicedesk.invalid" // the same mail always gets the same id
	}
	for _, a := range p.To {
		m.To = append(m.To, addr(a))
	}
	for _, a := range p.Cc {
		m.Cc = append(m.Cc, addr(a))
	}
	// A reply the brand sent carries the ticket's key in Reply-To.
	for _, a := range p.ReplyTo {
		m.ReplyKeys = appendNew(m.ReplyKeys, linker.ReplyKeysIn(a.Email)...)
	}
	for _, a := range p.Attachments {
		m.Attachments = append(m.Attachments, model.Attachment{Name: a.Filename, ContentType: a.ContentType,
			ContentID: a.ContentID, Inline: a.Inline, Size: a.Size, SHA256: a.SHA256})
	}
	return m, nil
}

// flagStrings is a message's flags as stored: sorted, without the
// session-only \Recent.
func flagStrings(fs []imap.Flag) []string {
	out := make([]string, 0, len(fs))
	for _, f := range fs {
		if !strings.EqualFold(string(f), `\Recent`) {
			out = append(out, string(f))
		}
	}
	slices.Sort(out)
	return out
}

func addr(a mailparse.Address) model.MailAddress {
	return model.MailAddress{Name: a.Name, Email: a.Email}
}

func appendNew(list []string, more ...string) []string {
	for _, v := range more {
		if !slices.Contains(list, v) {
			list = append(list, v)
		}
	}
	return list
}

// syncFlags stores flag changes: with CONDSTORE only those since the stored
// HIGHESTMODSEQ, otherwise by comparing every message's flags.
func (s *Syncer) syncFlags(ctx context.Context, c *imapclient.Client, f store.Folder, stored map[uint32]string, changedSince bool) (int, error) {
	if len(stored) == 0 {
		return 0, nil
	}
	opt := &imap.FetchOptions{UID: true, Flags: true}
	if changedSince {
		opt.ChangedSince = f.HighestModSeq
	}
	msgs, err := c.Fetch(imap.UIDSet{imap.UIDRange{Start: 1, Stop: 0}}, opt).Collect()
	if err != nil {
		return 0, fail(ctx, s.Config, "reading flags", err)
	}
	changed := map[uint32][]string{}
	for _, m := range msgs {
		old, ok := stored[uint32(m.UID)]
		if !ok {
			continue // new: stored with its flags by fetchNew
		}
		if flags := flagStrings(m.Flags); store.FlagsKey(flags) != old {
			changed[uint32(m.UID)] = flags
		}
	}
	if err := s.Store.SetFlags(ctx, f.ID, changed); err != nil {
		return 0, err
	}
	return len(changed), nil
}

// relink tries the linker on the messages without a ticket that may have
// gained one: those it has not tried since they were stored, and,
// when tickets were added since the last relink, those dated from two
// hours before the earliest of them on (rules 3 and 4 look at tickets).
// Oldest first (a ticket's first mail before the replies that point at
// it): links made earlier in the pass count for later messages at once,
// and a second pass catches a reply that arrived before the mail it
// answers. Links are written in one transaction per pass. unlinked counts
// the messages tried that stay without a ticket.
func (s *Syncer) relink(ctx context.Context) (linked, unlinked int, err error) {
	var since time.Time
	var ticketRow int64
	cursor := fmt.Sprintf("mail-relink-tickets:%d", s.Account.ID)
	if s.ProjectID != 0 {
		v, err := s.Store.Cursor(ctx, s.ProjectID, cursor)
		if err != nil {
			return 0, 0, err
		}
		seen, _ := strconv.ParseInt(v, 10, 64)
		n, last, earliest, err := s.Store.TicketsAddedAfter(ctx, s.ProjectID, seen)
		if err != nil {
			return 0, 0, err
		}
		if n > 0 {
			since, ticketRow = earliest.Add(-linker.DefaultBefore), last
		}
	}
	lk := &lookup{ctx: ctx, st: s.Store, byID: map[string]linker.TicketRef{}, byKey: map[string]linker.TicketRef{}}
	l := &linker.Linker{Lookup: lk, ProjectID: s.ProjectID}
	defer func() {
		if err == nil && ticketRow > 0 {
			err = s.Store.SetCursor(ctx, s.ProjectID, cursor, strconv.FormatInt(ticketRow, 10))
		}
	}()
	var tried []string
	for pass := 0; pass < 2; pass++ {
		msgs, err := s.Store.Unlinked(ctx, since)
		if err != nil {
			return linked, unlinked, err
		}
		if pass == 0 {
			for _, m := range msgs {
				// A reply stays untried: the mail it answers may be linked
				// by a later sync (it arrives later, or its ticket does),
				// and then so must the reply.
				if len(m.InReplyTo)+len(m.References) == 0 {
					tried = append(tried, m.MessageID)
				}
			}
		}
		var links []store.MessageLink
		unlinked = 0
		for _, m := range msgs { // oldest first
			link, err := l.Link(linker.Mail{MessageID: m.MessageID, InReplyTo: m.InReplyTo, References: m.References,
				Subject: m.Subject, From: m.From, Date: m.Date, ReplyKeys: m.ReplyKeys, AutoSubmitted: m.AutoSubmitted})
			if err != nil {
				return linked, unlinked, err
			}
			if link.Rule == linker.RuleNone {
				unlinked++
				continue
			}
			lk.byID[m.MessageID] = link.Ticket
			for _, k := range m.ReplyKeys {
				if _, ok := lk.byKey[k]; !ok {
					lk.byKey[k] = link.Ticket
				}
			}
			links = append(links, store.MessageLink{MessageID: m.MessageID, ProjectID: link.Ticket.ProjectID, IID: link.Ticket.IID,
				Rule: string(link.Rule), ReplyKeys: m.ReplyKeys})
		}
		if len(links) == 0 {
			break
		}
		if err := s.Store.LinkMessages(ctx, links, nil); err != nil {
			return linked, unlinked, err
		}
		linked += len(links)
	}
	// Only now are they tried: a sync that stops before this line leaves
	// them for the next one.
	return linked, unlinked, s.Store.LinkMessages(ctx, nil, tried)
}

// NewLookup answers the linker from the store.
func NewLookup(ctx context.Context, st *store.Store) linker.Lookup { return &lookup{ctx: ctx, st: st} }

// lookup answers the linker from the store and from the links decided in
// this pass but not written yet.
type lookup struct {
	ctx   context.Context
	st    *store.Store
	byID  map[string]linker.TicketRef
	byKey map[string]linker.TicketRef
}

var _ linker.Lookup = (*lookup)(nil)

func (l *lookup) TicketByMessageID(id string) (linker.TicketRef, bool, error) {
	if t, ok := l.byID[id]; ok {
		return t, true, nil
	}
	p, iid, ok, err := l.st.LinkOf(l.ctx, id)
	return linker.TicketRef{ProjectID: p, IID: iid}, ok, err
}

func (l *lookup) TicketByReplyKey(key string) (linker.TicketRef, bool, error) {
	if t, ok := l.byKey[key]; ok {
		return t, true, nil
	}
	p, iid, ok, err := l.st.TicketByReplyKey(l.ctx, key)
	return linker.TicketRef{ProjectID: p, IID: iid}, ok, err
}

func (l *lookup) Ticket(projectID, iid int64) (linker.Ticket, bool, error) {
	t, err := l.st.Ticket(l.ctx, projectID, iid)
	if errors.Is(err, model.ErrNotFound) {
		return linker.Ticket{}, false, nil
	}
	if err != nil {
		return linker.Ticket{}, false, err
	}
	return linker.Ticket{Ref: linker.TicketRef{ProjectID: projectID, IID: iid}, Customer: t.Customer, CreatedAt: t.CreatedAt}, true, nil
}

func (l *lookup) TicketsOfCustomer(projectID int64, customer string, from, to time.Time) ([]linker.Ticket, error) {
	bs, err := l.st.TicketsOfCustomer(l.ctx, projectID, customer, from, to)
	if err != nil {
		return nil, err
	}
	out := make([]linker.Ticket, len(bs))
	for i, b := range bs {
		out[i] = linker.Ticket{Ref: linker.TicketRef{ProjectID: projectID, IID: b.IID}, Customer: b.Customer, CreatedAt: b.CreatedAt}
	}
	return out, nil
}
