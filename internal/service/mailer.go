package service

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"servicedesk/internal/compose"
	"servicedesk/internal/model"
	"servicedesk/internal/outbox"
	"servicedesk/internal/secrets"
	"servicedesk/internal/sender"
	"servicedesk/internal/store"
)

// mailer sends a project's replies as the brand (delivery smtp): composed
// from the ticket and its mail (compose), sent through the identity's SMTP
// server with the password from the keychain (sender).
type mailer struct {
	svc      *Service
	identity model.Account
	project  model.Project
}

var _ outbox.Mail = (*mailer)(nil)

func newMessageID(brand string) string { return compose.NewMessageID(brand) }

// maxReferences bounds the References header: the thread's first message
// and its newest ones are what mail clients thread by.
const maxReferences = 20

// Compose builds the mail of a reply: to the customer, Reply-To the brand
// address with the ticket's reply key when one was learned, In-Reply-To
// the thread's newest mail, References the thread's Message-IDs (GitLab's
// reply-KEY@ ids among them when seen).
func (m *mailer) Compose(ctx context.Context, op model.OutboxOp) ([]byte, error) {
	st := m.svc.store
	t, err := st.Ticket(ctx, op.ProjectID, op.IID)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(t.Customer) == "" {
		return nil, outbox.Permanent(fmt.Errorf("#%d has no customer address to reply to", op.IID))
	}
	sig, err := m.svc.expand(ctx, m.identity.Signature, t, m.identity)
	if err != nil {
		return nil, outbox.Permanent(fmt.Errorf("the identity's signature: %w", err))
	}
	msgs, err := st.Messages(ctx, store.MessageFilter{ProjectID: op.ProjectID, IID: op.IID})
	if err != nil {
		return nil, err
	}
	r := compose.Reply{
		From:  compose.Identity{Address: m.identity.FromAddress, Name: m.identity.FromName, Signature: sig},
		To:    []compose.Address{{Name: customerName(msgs, t.Customer), Email: t.Customer}},
		Title: t.Title, IID: op.IID, MessageID: op.MessageID, Date: time.Now(), Body: op.Payload.Body,
	}
	for _, f := range op.Payload.Attachments {
		r.Attachments = append(r.Attachments, compose.Attachment{Name: f.Name, ContentType: f.ContentType, Size: f.Size,
			Open: func() (io.ReadCloser, error) { return st.ReadRaw(ctx, f.SHA256) }})
	}
	if keys, err := st.ReplyKeysOf(ctx, op.ProjectID, op.IID); err != nil {
		return nil, err
	} else if len(keys) > 0 {
		r.ReplyKey = keys[len(keys)-1]
	}
	slices.SortStableFunc(msgs, func(a, b model.Message) int { return a.Date.Compare(b.Date) }) // oldest first
	var refs []string
	for _, msg := range msgs {
		for _, id := range append(slices.Clone(msg.References), msg.MessageID) {
			if id != "" && id != op.MessageID && !slices.Contains(refs, id) {
				refs = append(refs, id)
			}
		}
		r.InReplyTo = msg.MessageID // the newest message of the thread, whoever sent it
	}
	if i := slices.Index(refs, r.InReplyTo); i >= 0 {
		refs = append(slices.Delete(refs, i, i+1), r.InReplyTo) // the parent comes last
	}
	if len(refs) > maxReferences {
		refs = append(refs[:1], refs[len(refs)-maxReferences+1:]...)
	}
	r.References = refs
	var buf bytes.Buffer
	if err := compose.Build(r, &buf); err != nil {
		return nil, outbox.Permanent(err)
	}
	return buf.Bytes(), nil
}

// customerName is the customer's display name from their mail, if any.
func customerName(msgs []model.Message, customer string) string {
	for _, msg := range msgs {
		if strings.EqualFold(msg.From.Email, customer) && msg.From.Name != "" {
			return msg.From.Name
		}
	}
	return ""
}

// Send hands the composed mail to the identity's SMTP server and says
// what happened in the outbox's terms.
func (m *mailer) Send(ctx context.Context, op model.OutboxOp, raw []byte, beforeData func() error) error {
	password, err := m.svc.keys.Get(m.identity.ID, secrets.SMTPPassword)
	if errors.Is(err, secrets.ErrNotFound) {
		return outbox.Permanent(fmt.Errorf("the keychain has no password for %s: enter it again in Accounts", m.identity.FromAddress))
	}
	if err != nil {
		return outbox.Temporary(err) // a locked keychain opens again
	}
	t, err := m.svc.store.Ticket(ctx, op.ProjectID, op.IID)
	if err != nil {
		return err
	}
	cfg := sender.Config{Host: m.identity.Host, Port: m.identity.Port, Security: m.identity.Security, User: m.identity.Login,
		Password: password, TLSConfig: m.svc.tls}
	err = sender.Send(ctx, cfg, sender.Envelope{From: m.identity.FromAddress, To: []string{t.Customer}}, bytes.NewReader(raw), beforeData)
	var se *sender.SendError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &se) && se.Unknown():
		return outbox.Unknown(err)
	case errors.As(err, &se) && se.Temporary:
		return outbox.Temporary(err)
	case se != nil:
		return outbox.Permanent(err)
	default:
		return outbox.Temporary(err) // the store could not mark DATA: nothing left
	}
}
