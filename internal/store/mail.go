package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"servicedesk/internal/model"
)

// Folder is a synced mailbox folder with its IMAP cursor.
type Folder struct {
	ID            int64
	AccountID     int64
	Name          string
	SpecialUse    string
	UIDValidity   uint32
	UIDNext       uint32
	HighestModSeq uint64
}

// Folder returns a mailbox folder, creating it on first use.
func (s *Store) Folder(ctx context.Context, accountID int64, name, specialUse string) (Folder, error) {
	f := Folder{AccountID: accountID, Name: name, SpecialUse: specialUse}
	err := s.db.QueryRowContext(ctx, `
		INSERT INTO mail_folders (account_id, name, special_use) VALUES (?, ?, ?)
		ON CONFLICT (account_id, name) DO UPDATE SET special_use = excluded.special_use
		RETURNING id, uidvalidity, uidnext, highestmodseq`, accountID, name, specialUse).
		Scan(&f.ID, &f.UIDValidity, &f.UIDNext, &f.HighestModSeq)
	if err != nil {
		return f, fmt.Errorf("folder %s: %w", name, err)
	}
	return f, nil
}

// SetFolderCursor stores a folder's cursor after its changes are stored.
func (s *Store) SetFolderCursor(ctx context.Context, f Folder) error {
	_, err := s.db.ExecContext(ctx, `UPDATE mail_folders SET uidvalidity = ?, uidnext = ?, highestmodseq = ? WHERE id = ?`,
		f.UIDValidity, f.UIDNext, f.HighestModSeq, f.ID)
	return err
}

// ResetFolder drops a folder's messages when its UIDVALIDITY changed and
// returns how many; links are keyed by Message-ID and stay.
func (s *Store) ResetFolder(ctx context.Context, folderID int64) (int, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM messages WHERE folder_id = ?`, folderID)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// FolderUIDs returns the stored UIDs of a folder with their flags as
// stored (FlagsKey); comparing keys spares decoding every message's flags.
func (s *Store) FolderUIDs(ctx context.Context, folderID int64) (map[uint32]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT uid, flags FROM messages WHERE folder_id = ?`, folderID)
	if err != nil {
		return nil, fmt.Errorf("list stored UIDs: %w", err)
	}
	defer rows.Close()
	out := map[uint32]string{}
	for rows.Next() {
		var uid uint32
		var flags string
		if err := rows.Scan(&uid, &flags); err != nil {
			return nil, err
		}
		out[uid] = flags
	}
	return out, rows.Err()
}

// FlagsKey is how a message's flags (sorted) are stored.
func FlagsKey(flags []string) string {
	b, _ := json.Marshal(nonNil(flags))
	return string(b)
}

// DeleteMessages removes expunged messages of a folder.
func (s *Store) DeleteMessages(ctx context.Context, folderID int64, uids []uint32) error {
	if len(uids) == 0 {
		return nil
	}
	list, _ := json.Marshal(uids)
	_, err := s.db.ExecContext(ctx, `DELETE FROM messages WHERE folder_id = ? AND uid IN (SELECT value FROM json_each(?))`, folderID, string(list))
	return err
}

// SetFlags stores the changed flags of messages of a folder, by UID, in
// one transaction.
func (s *Store) SetFlags(ctx context.Context, folderID int64, flags map[uint32][]string) error {
	if len(flags) == 0 {
		return nil
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `UPDATE messages SET flags = ? WHERE folder_id = ? AND uid = ?`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for uid, fs := range flags {
			if _, err := stmt.ExecContext(ctx, FlagsKey(fs), folderID, uid); err != nil {
				return fmt.Errorf("store flags of UID %d: %w", uid, err)
			}
		}
		return nil
	})
}

// SaveMessage stores one parsed message; see SaveMessages.
func (s *Store) SaveMessage(ctx context.Context, folderID int64, m model.Message) (int64, error) {
	ids, err := s.SaveMessages(ctx, folderID, []model.Message{m})
	if err != nil {
		return 0, err
	}
	return ids[0], nil
}

// SaveMessages stores a batch of parsed messages of a folder, their
// attachments, their links (a message without a ticket leaves an existing
// link alone) and the reply keys they taught, and indexes them for search,
// in one transaction. It returns the messages' row ids.
func (s *Store) SaveMessages(ctx context.Context, folderID int64, batch []model.Message) ([]int64, error) {
	ids := make([]int64, 0, len(batch))
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		w, err := newMessageWriter(ctx, tx)
		if err != nil {
			return err
		}
		defer w.close()
		stored, err := storedUIDs(ctx, tx, folderID, batch)
		if err != nil {
			return err
		}
		for _, m := range batch {
			id, err := w.save(ctx, folderID, m, !stored[[2]uint32{m.UIDValidity, m.UID}])
			if err != nil {
				return fmt.Errorf("save message %s: %w", m.MessageID, err)
			}
			ids = append(ids, id)
		}
		return w.fts.flush(ctx, w.insFTS)
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// messageWriter holds a batch's prepared statements.
type messageWriter struct {
	upsert, delAtts, insAtt, insLink, insKey, delDoc, insDoc, insFTS, insRaw *sql.Stmt
	fts                                                                      ftsBatch
}

func newMessageWriter(ctx context.Context, tx *sql.Tx) (*messageWriter, error) {
	w := &messageWriter{}
	err := prepare(ctx, tx, []stmtSpec{
		{&w.upsert, `INSERT INTO messages (folder_id, uidvalidity, uid, message_id, flags, size, raw_sha256, subject, from_name,
			from_addr, to_addrs, cc_addrs, date, in_reply_to, refs, reply_keys, auto_submitted, body_text, stripped, has_html,
			broken, problem)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (folder_id, uidvalidity, uid) DO UPDATE SET flags = excluded.flags
			RETURNING id`},
		{&w.delAtts, `DELETE FROM attachments WHERE message_row = ?`},
		{&w.insAtt, `INSERT INTO attachments (message_row, name, content_type, content_id, inline, size, sha256) VALUES (?, ?, ?, ?, ?, ?, ?)`},
		{&w.insLink, `INSERT INTO message_links (message_id, project_id, iid, rule, linked_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (message_id) DO NOTHING`},
		{&w.insKey, `INSERT INTO reply_keys (key, project_id, iid) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING`},
		{&w.delDoc, `DELETE FROM search_docs WHERE kind = 'mail' AND ref = ?`},
		{&w.insDoc, `INSERT INTO search_docs (id, kind, ref, ticket_id) VALUES (` + docIDAt + `, 'mail', ?, NULL) RETURNING id`},
		{&w.insFTS, insertFTS},
		{&w.insRaw, `INSERT INTO raw_messages (sha256, data) VALUES (?, ?) ON CONFLICT (sha256) DO NOTHING`},
	})
	return w, err
}

func (w *messageWriter) close() {
	closeStmts(w.upsert, w.delAtts, w.insAtt, w.insLink, w.insKey, w.delDoc, w.insDoc, w.insFTS, w.insRaw)
}

// storedUIDs tells which messages of a batch are stored already (a sync
// re-saving them); the others are new and have no attachments or search
// document to replace.
func storedUIDs(ctx context.Context, tx *sql.Tx, folderID int64, batch []model.Message) (map[[2]uint32]bool, error) {
	uids := make([]uint32, len(batch))
	for i, m := range batch {
		uids[i] = m.UID
	}
	list, _ := json.Marshal(uids)
	rows, err := tx.QueryContext(ctx, `SELECT uidvalidity, uid FROM messages WHERE folder_id = ? AND uid IN (SELECT value FROM json_each(?))`,
		folderID, string(list))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[[2]uint32]bool{}
	for rows.Next() {
		var k [2]uint32
		if err := rows.Scan(&k[0], &k[1]); err != nil {
			return nil, err
		}
		out[k] = true
	}
	return out, rows.Err()
}

func (w *messageWriter) save(ctx context.Context, folderID int64, m model.Message, fresh bool) (int64, error) {
	js := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	stripped := m.Stripped
	if stripped == m.Text {
		stripped = "" // most mail quotes nothing: its text is not stored twice
	}
	var id int64
	err := w.upsert.QueryRowContext(ctx,
		folderID, m.UIDValidity, m.UID, m.MessageID, FlagsKey(m.Flags), m.Size, m.RawSHA256, m.Subject, m.From.Name, m.From.Email,
		js(nonNilAddrs(m.To)), js(nonNilAddrs(m.Cc)), ms(m.Date), js(nonNil(m.InReplyTo)), js(nonNil(m.References)), js(nonNil(m.ReplyKeys)),
		m.AutoSubmitted, m.Text, stripped, m.HasHTML, m.Broken, m.Problem).Scan(&id)
	if err != nil {
		return 0, err
	}
	if len(m.Raw) > 0 {
		if _, err := w.insRaw.ExecContext(ctx, m.RawSHA256, m.Raw); err != nil {
			return 0, err
		}
	}
	if !fresh {
		if _, err := w.delAtts.ExecContext(ctx, id); err != nil {
			return 0, err
		}
	}
	var names []string
	for _, a := range m.Attachments {
		if _, err := w.insAtt.ExecContext(ctx, id, a.Name, a.ContentType, a.ContentID, a.Inline, a.Size, a.SHA256); err != nil {
			return 0, err
		}
		names = append(names, a.Name)
	}
	if m.Ticket != nil && m.LinkRule != "" && m.LinkRule != model.LinkNone {
		if _, err := w.insLink.ExecContext(ctx, m.MessageID, m.ProjectID, *m.Ticket, m.LinkRule, ms(time.Now())); err != nil {
			return 0, err
		}
		for _, k := range m.ReplyKeys {
			if _, err := w.insKey.ExecContext(ctx, k, m.ProjectID, *m.Ticket); err != nil {
				return 0, err
			}
		}
	}
	if !fresh {
		if _, err := w.delDoc.ExecContext(ctx, id); err != nil {
			return 0, err
		}
	}
	addrs := []string{m.From.Name, m.From.Email}
	for _, a := range append(append([]model.MailAddress{}, m.To...), m.Cc...) {
		addrs = append(addrs, a.Name, a.Email)
	}
	var docID int64
	if err := w.insDoc.QueryRowContext(ctx, docBase(m.Date), id).Scan(&docID); err != nil {
		return 0, err
	}
	w.fts.add(docID, m.Subject+" "+strings.Join(addrs, " ")+" "+strings.Join(names, " "), m.Text)
	return id, nil
}

func nonNilAddrs(a []model.MailAddress) []model.MailAddress {
	if a == nil {
		return []model.MailAddress{}
	}
	return a
}

// SmallRaw is the size up to which a raw message is kept in the database
// (with SaveMessages) instead of a file of its own.
const SmallRaw = 128 << 10

// ReadRaw reads back a raw message SaveMessages or WriteBlob stored, from
// the database or the blob folder.
func (s *Store) ReadRaw(ctx context.Context, sum string) (io.ReadCloser, error) {
	var data []byte
	err := s.db.QueryRowContext(ctx, `SELECT data FROM raw_messages WHERE sha256 = ?`, sum).Scan(&data)
	if err == nil {
		return io.NopCloser(bytes.NewReader(data)), nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	return os.Open(s.BlobPath(sum))
}

// ErrCutShort reports a message that ended before the size its server
// announced: the connection dropped while it was being read.
var ErrCutShort = errors.New("the message was cut short")

// ReadSmallOrWriteBlob reads r: a message of at most SmallRaw bytes comes
// back whole (for SaveMessages to keep in the database); a larger one is
// streamed to the blob folder (WriteBlob) and only its digest and size come
// back. want is the size the server announced (-1: unknown); a message
// that ends short of it is ErrCutShort and nothing is kept.
func (s *Store) ReadSmallOrWriteBlob(r io.Reader, want int64) (sum string, size int64, small []byte, err error) {
	bp := smallBuffers.Get().(*[]byte)
	defer smallBuffers.Put(bp)
	n, err := io.ReadFull(r, *bp)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return "", 0, nil, fmt.Errorf("read message: %w", err)
	}
	if n <= SmallRaw {
		if want >= 0 && int64(n) != want {
			return "", 0, nil, fmt.Errorf("%w: %d of %d bytes", ErrCutShort, n, want)
		}
		buf := bytes.Clone((*bp)[:n])
		h := sha256.Sum256(buf)
		return hex.EncodeToString(h[:]), int64(n), buf, nil
	}
	sum, size, err = s.writeBlob(io.MultiReader(bytes.NewReader((*bp)[:n]), r), want)
	return sum, size, nil, err
}

// WriteBlob stores r in the content-addressed folder beside the database:
// written to a temporary file, synced, then renamed to its SHA-256, so a
// crash never leaves a half-written blob under a valid name. It returns the
// hex digest and the size.
func (s *Store) WriteBlob(r io.Reader) (string, int64, error) { return s.writeBlob(r, -1) }

func (s *Store) writeBlob(r io.Reader, want int64) (string, int64, error) {
	dir := filepath.Join(s.dir, "blobs")
	if err := s.mkdirOnce(dir); err != nil {
		return "", 0, err
	}
	tmp, err := os.CreateTemp(dir, incomingPrefix+strconv.Itoa(os.Getpid())+"-*")
	if err != nil {
		return "", 0, err
	}
	h := sha256.New()
	buf := blobBuffers.Get().(*[]byte)
	n, err := io.CopyBuffer(io.MultiWriter(tmp, h), r, *buf)
	blobBuffers.Put(buf)
	if err == nil && want >= 0 && n != want {
		err = fmt.Errorf("%w: %d of %d bytes", ErrCutShort, n, want)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	sum := hex.EncodeToString(h.Sum(nil))
	path := s.BlobPath(sum)
	if err == nil {
		err = s.mkdirOnce(filepath.Dir(path))
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", 0, fmt.Errorf("write blob: %w", err)
	}
	return sum, n, nil
}

// incomingPrefix starts the name of a blob being written, followed by the
// writer's process id: a process killed mid-write leaves it behind, and
// sweepIncoming removes it once that process is gone.
const incomingPrefix = ".incoming-"

// sweepIncoming removes the unfinished blobs of processes that are no
// longer running (killed, or crashed, while writing one).
func (s *Store) sweepIncoming() error {
	dir := filepath.Join(s.dir, "blobs")
	names, err := filepath.Glob(filepath.Join(dir, incomingPrefix+"*"))
	if err != nil {
		return err
	}
	for _, name := range names {
		pid, _, _ := strings.Cut(strings.TrimPrefix(filepath.Base(name), incomingPrefix), "-")
		n, err := strconv.Atoi(pid)
		if err == nil && n == os.Getpid() {
			continue
		}
		if err == nil && processAlive(n) {
			continue
		}
		if err := os.Remove(name); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

// smallBuffers hold a message while it is told small from large: one
// byte more than SmallRaw.
var smallBuffers = sync.Pool{New: func() any { b := make([]byte, SmallRaw+1); return &b }}

// blobBuffers are copy buffers large enough that a message is written in
// a few system calls.
var blobBuffers = sync.Pool{New: func() any { b := make([]byte, 256<<10); return &b }}

// mkdirOnce creates a folder of the blob tree the first time it is needed.
func (s *Store) mkdirOnce(dir string) error {
	if _, ok := s.dirs.Load(dir); ok {
		return nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	s.dirs.Store(dir, true)
	return nil
}

// BlobPath is where a blob with this digest lives.
func (s *Store) BlobPath(sum string) string {
	if len(sum) < 2 {
		return filepath.Join(s.dir, "blobs", "_", sum)
	}
	return filepath.Join(s.dir, "blobs", sum[:2], sum)
}

// LinkOf returns the ticket a message (by Message-ID) is linked to, or, for
// a reply the app mailed, the ticket it answered.
func (s *Store) LinkOf(ctx context.Context, messageID string) (projectID, iid int64, ok bool, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT project_id, iid FROM message_links WHERE message_id = ?1
		UNION ALL SELECT project_id, iid FROM outbox_ops WHERE message_id = ?1 AND message_id <> '' LIMIT 1`, messageID).Scan(&projectID, &iid)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, false, nil
	}
	return projectID, iid, err == nil, err
}

// TicketByReplyKey returns the ticket a GitLab reply key was learned for.
func (s *Store) TicketByReplyKey(ctx context.Context, key string) (projectID, iid int64, ok bool, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT project_id, iid FROM reply_keys WHERE key = ?`, key).Scan(&projectID, &iid)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, false, nil
	}
	return projectID, iid, err == nil, err
}

// TicketBrief is what the linker needs of a ticket.
type TicketBrief struct {
	IID       int64
	Customer  string
	CreatedAt time.Time
}

// TicketsOfCustomer lists a project's tickets from a customer created in
// [from, to], by creation time.
func (s *Store) TicketsOfCustomer(ctx context.Context, projectID int64, customer string, from, to time.Time) ([]TicketBrief, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT iid, customer, created_at FROM tickets
		WHERE project_id = ? AND lower(customer) = lower(?) AND created_at BETWEEN ? AND ? ORDER BY created_at`,
		projectID, customer, ms(from), ms(to))
	if err != nil {
		return nil, fmt.Errorf("tickets of %s: %w", customer, err)
	}
	defer rows.Close()
	var out []TicketBrief
	for rows.Next() {
		var b TicketBrief
		var created int64
		if err := rows.Scan(&b.IID, &b.Customer, &created); err != nil {
			return nil, err
		}
		b.CreatedAt = fromMS(created)
		out = append(out, b)
	}
	return out, rows.Err()
}

// MessageFilter selects messages.
type MessageFilter struct {
	Unlinked bool // only mail without a ticket
	// Inbound: only mail customers sent: not in Sent, Drafts or Trash, not
	// set aside by the agent (DismissMail).
	Inbound   bool
	Offset    int
	ProjectID int64  // with IID: only mail linked to that ticket
	IID       int64  //
	MessageID string // only the copies of one message
	Limit     int    // 0: all
}

// Messages lists messages, newest first, with their attachments and links.
func (s *Store) Messages(ctx context.Context, f MessageFilter) ([]model.Message, error) {
	q := `SELECT m.id, f.name, m.uidvalidity, m.uid, m.message_id, m.flags, m.size, m.raw_sha256, m.subject, m.from_name,
		m.from_addr, m.to_addrs, m.cc_addrs, m.date, m.in_reply_to, m.refs, m.reply_keys, m.auto_submitted, m.body_text,
		iif(m.stripped = '', m.body_text, m.stripped), m.has_html, m.broken, m.problem, l.project_id, l.iid, l.rule
		FROM messages m JOIN mail_folders f ON f.id = m.folder_id
		LEFT JOIN message_links l ON l.message_id = m.message_id`
	var where []string
	var args []any
	if f.Unlinked {
		where = append(where, `l.message_id IS NULL`)
	}
	if f.Inbound {
		where = append(where, inboundMail)
	}
	if f.IID != 0 {
		where = append(where, `l.project_id = ? AND l.iid = ?`)
		args = append(args, f.ProjectID, f.IID)
	}
	if f.MessageID != "" {
		where = append(where, `m.message_id = ?`)
		args = append(args, f.MessageID)
	}
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	q += ` ORDER BY m.date DESC, m.id DESC`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d OFFSET %d`, f.Limit, max(f.Offset, 0))
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list messages: %w", err)
	}
	defer rows.Close()
	var out []model.Message
	for rows.Next() {
		var m model.Message
		var flags, to, cc, irt, refs, keys string
		var date int64
		var project, iid sql.NullInt64
		var rule sql.NullString
		if err := rows.Scan(&m.ID, &m.Folder, &m.UIDValidity, &m.UID, &m.MessageID, &flags, &m.Size, &m.RawSHA256, &m.Subject,
			&m.From.Name, &m.From.Email, &to, &cc, &date, &irt, &refs, &keys, &m.AutoSubmitted, &m.Text, &m.Stripped,
			&m.HasHTML, &m.Broken, &m.Problem, &project, &iid, &rule); err != nil {
			return nil, err
		}
		for _, x := range []struct {
			src string
			dst any
		}{{flags, &m.Flags}, {to, &m.To}, {cc, &m.Cc}, {irt, &m.InReplyTo}, {refs, &m.References}, {keys, &m.ReplyKeys}} {
			if err := json.Unmarshal([]byte(x.src), x.dst); err != nil {
				return nil, fmt.Errorf("message %d: %w", m.ID, err)
			}
		}
		m.Date = fromMS(date)
		m.LinkRule = model.LinkNone
		if iid.Valid {
			v := iid.Int64
			m.ProjectID, m.Ticket, m.LinkRule = project.Int64, &v, rule.String
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, s.attachmentsOf(ctx, out)
}

// attachmentsOf fills in the attachments of listed messages with one query.
func (s *Store) attachmentsOf(ctx context.Context, ms []model.Message) error {
	if len(ms) == 0 {
		return nil
	}
	at := make(map[int64]int, len(ms)) // message row → index in ms
	ids := make([]int64, len(ms))
	for i := range ms {
		ms[i].Attachments = []model.Attachment{}
		at[ms[i].ID], ids[i] = i, ms[i].ID
	}
	list, _ := json.Marshal(ids)
	rows, err := s.db.QueryContext(ctx, `SELECT message_row, name, content_type, content_id, inline, size, sha256 FROM attachments
		WHERE message_row IN (SELECT value FROM json_each(?)) ORDER BY rowid`, string(list))
	if err != nil {
		return fmt.Errorf("list attachments: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var row int64
		var a model.Attachment
		if err := rows.Scan(&row, &a.Name, &a.ContentType, &a.ContentID, &a.Inline, &a.Size, &a.SHA256); err != nil {
			return err
		}
		i := at[row]
		ms[i].Attachments = append(ms[i].Attachments, a)
	}
	return rows.Err()
}

// MessageLink ties a message (by Message-ID) to a ticket, with the rule
// that decided it and the reply keys the message teaches.
type MessageLink struct {
	MessageID string
	ProjectID int64
	IID       int64
	Rule      string
	ReplyKeys []string
}

// LinkMessages records links in one transaction; a message that already has
// a link keeps it, and a key already learned keeps its ticket. The messages
// named in checked (every one the linker tried, linked or not) are marked
// as tried in the same transaction.
func (s *Store) LinkMessages(ctx context.Context, links []MessageLink, checked []string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if len(checked) > 0 {
			ids, _ := json.Marshal(checked)
			if _, err := tx.ExecContext(ctx, `UPDATE messages SET link_checked = 1
				WHERE link_checked = 0 AND message_id IN (SELECT value FROM json_each(?))`, string(ids)); err != nil {
				return err
			}
		}
		link, err := tx.PrepareContext(ctx, `INSERT INTO message_links (message_id, project_id, iid, rule, linked_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (message_id) DO NOTHING`)
		if err != nil {
			return err
		}
		defer link.Close()
		key, err := tx.PrepareContext(ctx, `INSERT INTO reply_keys (key, project_id, iid) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING`)
		if err != nil {
			return err
		}
		defer key.Close()
		now := ms(time.Now())
		for _, l := range links {
			if _, err := link.ExecContext(ctx, l.MessageID, l.ProjectID, l.IID, l.Rule, now); err != nil {
				return err
			}
			for _, k := range l.ReplyKeys {
				if _, err := key.ExecContext(ctx, k, l.ProjectID, l.IID); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// TicketsAddedAfter reports the tickets of a project stored after ticket
// row afterRow: how many, the newest row id, and the earliest creation
// time among them.
func (s *Store) TicketsAddedAfter(ctx context.Context, projectID, afterRow int64) (n int, lastRow int64, earliest time.Time, err error) {
	var first sql.NullInt64
	err = s.db.QueryRowContext(ctx, `SELECT count(*), coalesce(max(id), ?), min(created_at) FROM tickets WHERE project_id = ? AND id > ?`,
		afterRow, projectID, afterRow).Scan(&n, &lastRow, &first)
	if first.Valid {
		earliest = fromMS(first.Int64)
	}
	return n, lastRow, earliest, err
}

// LinkCandidate is what the linker needs of a message without a ticket.
type LinkCandidate struct {
	MessageID     string
	InReplyTo     []string
	References    []string
	ReplyKeys     []string
	Subject       string
	From          string
	Date          time.Time
	AutoSubmitted bool
}

// Unlinked lists the messages without a ticket that may have gained one,
// oldest first, with only what the linker reads (a large mailbox's bodies
// stay on disk): those the linker has not tried since they were stored
// (LinkMessages marks them), and those dated from since on. A zero since
// means none by date.
func (s *Store) Unlinked(ctx context.Context, since time.Time) ([]LinkCandidate, error) {
	sinceMS := int64(math.MaxInt64)
	if !since.IsZero() {
		sinceMS = ms(since)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT m.message_id, m.in_reply_to, m.refs, m.reply_keys, m.subject, m.from_addr,
		m.date, m.auto_submitted FROM messages m
		WHERE (m.link_checked = 0 OR m.date >= ?) AND NOT EXISTS (SELECT 1 FROM message_links l WHERE l.message_id = m.message_id)
		GROUP BY m.message_id ORDER BY m.date, m.id`, sinceMS)
	if err != nil {
		return nil, fmt.Errorf("list unlinked mail: %w", err)
	}
	defer rows.Close()
	var out []LinkCandidate
	for rows.Next() {
		var c LinkCandidate
		var irt, refs, keys string
		var date int64
		if err := rows.Scan(&c.MessageID, &irt, &refs, &keys, &c.Subject, &c.From, &date, &c.AutoSubmitted); err != nil {
			return nil, err
		}
		for _, x := range []struct {
			src string
			dst *[]string
		}{{irt, &c.InReplyTo}, {refs, &c.References}, {keys, &c.ReplyKeys}} {
			if err := json.Unmarshal([]byte(x.src), x.dst); err != nil {
				return nil, fmt.Errorf("message %s: %w", c.MessageID, err)
			}
		}
		c.Date = fromMS(date)
		out = append(out, c)
	}
	return out, rows.Err()
}

// blobGrace is how old an unreferenced blob must be before CollectGarbage
// removes it: a sync (of this process or another) writes a message's blob
// before the batch that refers to it commits.
const blobGrace = time.Hour

// CollectGarbage removes the raw messages that no stored message refers to
// any more (expunged, or their folder re-read), from the database and, if
// older than blobGrace, from the blob folder; files attached to replies in
// the outbox stay. It returns how many it removed.
func (s *Store) CollectGarbage(ctx context.Context) (int, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM raw_messages
		WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.raw_sha256 = raw_messages.sha256)`)
	if err != nil {
		return 0, fmt.Errorf("remove unused raw messages: %w", err)
	}
	n64, _ := res.RowsAffected()
	n := int(n64)
	dir := filepath.Join(s.dir, "blobs")
	subs, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return n, nil
	}
	if err != nil {
		return n, err
	}
	used, err := s.db.PrepareContext(ctx, `SELECT EXISTS (SELECT 1 FROM messages WHERE raw_sha256 = ?1)
		OR EXISTS (SELECT 1 FROM outbox_ops WHERE instr(payload, ?1) > 0)`) // a reply's attachment
	if err != nil {
		return n, err
	}
	defer used.Close()
	for _, sub := range subs {
		if !sub.IsDir() {
			continue
		}
		files, err := os.ReadDir(filepath.Join(dir, sub.Name()))
		if err != nil {
			return n, err
		}
		for _, f := range files {
			info, err := f.Info()
			if err != nil || time.Since(info.ModTime()) < blobGrace {
				continue
			}
			var inUse bool
			if err := used.QueryRowContext(ctx, f.Name()).Scan(&inUse); err != nil {
				return n, err
			}
			if inUse {
				continue
			}
			if err := os.Remove(filepath.Join(dir, sub.Name(), f.Name())); err != nil && !errors.Is(err, os.ErrNotExist) {
				return n, err
			}
			n++
		}
	}
	return n, nil
}
