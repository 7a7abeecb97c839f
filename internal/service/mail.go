package service

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"

	"servicedesk/internal/mailparse"
	"servicedesk/internal/model"
	"servicedesk/internal/store"
)

// MailHTML is a message's HTML made safe to show in a sandboxed frame.
type MailHTML struct {
	// HTML is sanitized: no script, handlers, forms, frames or remote
	// content; with RemoteAllowed, http(s) images on public hosts stay.
	HTML string
	// RemoteImages counts the remote images (and CSS images) of the mail as
	// sent; without RemoteAllowed they are removed.
	RemoteImages int
	// RemoteAllowed: the agent allowed this mail's remote images, for the
	// mail itself or, with SenderAllowed, for every mail from its sender.
	RemoteAllowed bool
	SenderAllowed bool
}

// message finds a stored copy of a message by Message-ID.
func (s *Service) message(ctx context.Context, messageID string) (model.Message, error) {
	ms, err := s.store.Messages(ctx, store.MessageFilter{MessageID: messageID, Limit: 1})
	if err != nil {
		return model.Message{}, err
	}
	if len(ms) == 0 {
		return model.Message{}, fmt.Errorf("message %s is not in the local copy: %w", messageID, model.ErrNotFound)
	}
	return ms[0], nil
}

// parseRaw parses a stored message's raw bytes again, handing attachments
// to onAttachment.
func (s *Service) parseRaw(m model.Message, onAttachment func(mailparse.Attachment, io.Reader) error) (*mailparse.Message, error) {
	f, err := s.store.ReadRaw(context.Background(), m.RawSHA256)
	if err != nil {
		return nil, fmt.Errorf("the stored copy of %s is missing (sync again): %w", m.MessageID, err)
	}
	defer f.Close()
	return mailparse.Parse(f, mailparse.Options{Attachment: onAttachment})
}

// MessageHTML returns a message's HTML, sanitized for a frame that runs no
// script; mail without HTML gives "". Remote images stay out unless the
// agent allowed them (AllowRemoteImages).
func (s *Service) MessageHTML(ctx context.Context, messageID string) (MailHTML, error) {
	m, err := s.message(ctx, messageID)
	if err != nil {
		return MailHTML{}, err
	}
	if !m.HasHTML {
		return MailHTML{}, nil
	}
	allowed, err := s.store.RemoteImagesAllowed(ctx, m.MessageID, m.From.Email)
	if err != nil {
		return MailHTML{}, err
	}
	inline := map[string]string{} // Content-ID → data: URL of an inline image
	p, err := s.parseRaw(m, func(a mailparse.Attachment, body io.Reader) error {
		if a.ContentID == "" || !strings.HasPrefix(strings.ToLower(a.ContentType), "image/") {
			return nil
		}
		b, err := io.ReadAll(io.LimitReader(body, maxInlineImage+1))
		if err != nil || len(b) > maxInlineImage {
			return err // too large to inline: it stays a blocked cid: reference
		}
		inline[a.ContentID] = "data:" + strings.ToLower(a.ContentType) + ";base64," + base64.StdEncoding.EncodeToString(b)
		return nil
	})
	if err != nil {
		return MailHTML{}, err
	}
	sanitize := mailparse.SafeHTML
	if allowed.Allowed() {
		sanitize = mailparse.SafeHTMLWithImages
	}
	safe := cidSrc.ReplaceAllStringFunc(sanitize(p.HTML), func(attr string) string {
		id := cidSrc.FindStringSubmatch(attr)[1]
		if url, ok := inline[id]; ok {
			return `src="` + url + `"`
		}
		return attr
	})
	return MailHTML{HTML: safe, RemoteImages: mailparse.RemoteImages(p.HTML),
		RemoteAllowed: allowed.Allowed(), SenderAllowed: allowed.Sender}, nil
}

// AllowRemoteImages records that a message's remote images may load from
// now on; with sender, those of every mail from its sender's address too.
// A From address can be forged: trusting a sender lets whoever forges it
// learn that the mail was opened, which is all a remote image can tell.
func (s *Service) AllowRemoteImages(ctx context.Context, messageID string, sender bool) error {
	m, err := s.message(ctx, messageID)
	if err != nil {
		return err
	}
	if sender {
		if m.From.Email == "" {
			return fmt.Errorf("message %s has no sender address to trust", messageID)
		}
		if err := s.store.AllowRemoteImagesFrom(ctx, m.From.Email); err != nil {
			return err
		}
	}
	return s.store.AllowRemoteImages(ctx, m.MessageID)
}

// maxInlineImage is the largest cid: image shown inline (as a data: URL).
const maxInlineImage = 2 << 20

// cidSrc finds a cid: image source in sanitized HTML.
var cidSrc = regexp.MustCompile(`src="cid:([^"]+)"`)

// errFound stops a parse once the wanted attachment is written.
var errFound = errors.New("found")

// WriteAttachment copies attachment number index (0-based, as listed) of a
// message to w, streaming it out of the stored raw message.
func (s *Service) WriteAttachment(ctx context.Context, messageID string, index int, w io.Writer) (model.Attachment, error) {
	m, err := s.message(ctx, messageID)
	if err != nil {
		return model.Attachment{}, err
	}
	if index < 0 || index >= len(m.Attachments) {
		return model.Attachment{}, fmt.Errorf("message %s has no attachment %d", messageID, index)
	}
	n := 0
	_, err = s.parseRaw(m, func(_ mailparse.Attachment, body io.Reader) error {
		if n++; n-1 != index {
			return nil
		}
		if _, err := io.Copy(w, body); err != nil {
			return err
		}
		return errFound
	})
	if errors.Is(err, errFound) {
		return m.Attachments[index], nil
	}
	if err != nil {
		return model.Attachment{}, err
	}
	return model.Attachment{}, fmt.Errorf("attachment %d of %s was not found in the stored message", index, messageID)
}

// AttachmentName is the file name of attachment number index of a message,
// safe to propose in a save dialog.
func (s *Service) AttachmentName(ctx context.Context, messageID string, index int) (string, error) {
	m, err := s.message(ctx, messageID)
	if err != nil {
		return "", err
	}
	if index < 0 || index >= len(m.Attachments) {
		return "", fmt.Errorf("message %s has no attachment %d", messageID, index)
	}
	name := filepath.Base(strings.ReplaceAll(m.Attachments[index].Name, "\\", "/"))
	if name == "." || name == "/" || name == "" {
		name = "attachment"
	}
	return name, nil
}
