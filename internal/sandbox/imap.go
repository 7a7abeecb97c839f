package sandbox

import (
	"bytes"
	"sort"
	"sync"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

// mailStore is the brand's mailbox on go-imap's in-memory server. The memory
// server of go-imap v2.0.0-beta.8 does not report special-use attributes, so
// sessions answer LIST themselves from the folder table below.
type mailStore struct {
	user *imapmemserver.User

	mu      sync.Mutex
	folders map[string][]imap.MailboxAttr
}

func newMailStore(username, password string) (*mailStore, error) {
	s := &mailStore{user: imapmemserver.NewUser(username, password), folders: map[string][]imap.MailboxAttr{}}
	for _, f := range []struct {
		name string
		attr imap.MailboxAttr
	}{{FolderInbox, ""}, {FolderSent, imap.MailboxAttrSent}, {"Drafts", imap.MailboxAttrDrafts},
		{"Trash", imap.MailboxAttrTrash}, {"Archive", imap.MailboxAttrArchive}} {
		if err := s.user.Create(f.name, nil); err != nil {
			return nil, err
		}
		s.folders[f.name] = nil
		if f.attr != "" {
			s.folders[f.name] = []imap.MailboxAttr{f.attr}
		}
	}
	return s, nil
}

type literal struct{ *bytes.Reader }

// appendMail stores one mail in its folder.
func (s *mailStore) appendMail(m Mail) error {
	var flags []imap.Flag
	if m.Seen {
		flags = append(flags, imap.FlagSeen)
	}
	_, err := s.user.Append(m.Folder, literal{bytes.NewReader(m.Raw)}, &imap.AppendOptions{Time: m.Date, Flags: flags})
	return err
}

// session is one IMAP connection: the memory server's session plus our LIST.
type session struct {
	*imapmemserver.UserSession
	store *mailStore
}

var (
	_ imapserver.Session     = (*session)(nil)
	_ imapserver.SessionMove = (*session)(nil)
)

// Login checks the mailbox's credentials.
func (s *session) Login(username, password string) error {
	if err := s.store.user.Login(username, password); err != nil {
		return err
	}
	s.UserSession = imapmemserver.NewUserSession(s.store.user)
	return nil
}

// Close ends the session.
func (s *session) Close() error {
	if s.UserSession == nil {
		return nil
	}
	return s.UserSession.Close()
}

// Create makes a folder and remembers it for LIST.
func (s *session) Create(name string, options *imap.CreateOptions) error {
	if err := s.UserSession.Create(name, options); err != nil {
		return err
	}
	s.store.mu.Lock()
	s.store.folders[name] = nil
	if options != nil {
		s.store.folders[name] = options.SpecialUse
	}
	s.store.mu.Unlock()
	return nil
}

// Delete removes a folder.
func (s *session) Delete(name string) error {
	if err := s.UserSession.Delete(name); err != nil {
		return err
	}
	s.store.mu.Lock()
	delete(s.store.folders, name)
	s.store.mu.Unlock()
	return nil
}

// Rename renames a folder.
func (s *session) Rename(name, newName string, options *imap.RenameOptions) error {
	if err := s.UserSession.Rename(name, newName, options); err != nil {
		return err
	}
	s.store.mu.Lock()
	s.store.folders[newName] = s.store.folders[name]
	delete(s.store.folders, name)
	s.store.mu.Unlock()
	return nil
}

// List answers LIST with special-use attributes (RFC 6154) on every reply,
// as Dovecot does.
func (s *session) List(w *imapserver.ListWriter, ref string, patterns []string, options *imap.ListOptions) error {
	if len(patterns) == 0 {
		return w.WriteList(&imap.ListData{Attrs: []imap.MailboxAttr{imap.MailboxAttrNoSelect}, Delim: '/'})
	}
	s.store.mu.Lock()
	names := make([]string, 0, len(s.store.folders))
	attrs := map[string][]imap.MailboxAttr{}
	for name, a := range s.store.folders {
		names = append(names, name)
		attrs[name] = append([]imap.MailboxAttr(nil), a...)
	}
	s.store.mu.Unlock()
	sort.Strings(names)
	for _, name := range names {
		match := false
		for _, p := range patterns {
			if imapserver.MatchList(name, '/', ref, p) {
				match = true
				break
			}
		}
		if !match || options.SelectSpecialUse && len(attrs[name]) == 0 {
			continue
		}
		data := imap.ListData{Mailbox: name, Delim: '/', Attrs: append([]imap.MailboxAttr{imap.MailboxAttrHasNoChildren}, attrs[name]...)}
		if options.SelectSubscribed || options.ReturnSubscribed {
			data.Attrs = append(data.Attrs, imap.MailboxAttrSubscribed)
		}
		if options.ReturnStatus != nil {
			st, err := s.UserSession.Status(name, options.ReturnStatus)
			if err != nil {
				return err
			}
			data.Status = st
		}
		if err := w.WriteList(&data); err != nil {
			return err
		}
	}
	return nil
}

func newIMAPServer(store *mailStore) *imapserver.Server {
	return imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return &session{store: store}, nil, nil
		},
		InsecureAuth: true, // loopback only
		Caps: imap.CapSet{
			imap.CapIMAP4rev1: {}, imap.CapUIDPlus: {}, imap.CapMove: {}, imap.CapSpecialUse: {},
			imap.CapListExtended: {}, imap.CapListStatus: {},
		},
		Logger: discardLogger{},
	})
}

type discardLogger struct{}

func (discardLogger) Printf(string, ...any) {}
