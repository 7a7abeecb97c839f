package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// RemoteImages is what the agent allowed for a message's remote images.
type RemoteImages struct {
	Message bool // allowed for this message
	Sender  bool // allowed for every mail from its sender
}

// Allowed reports whether the message's remote images may load.
func (r RemoteImages) Allowed() bool { return r.Message || r.Sender }

// senderKey is how a sender address is stored: trimmed, lower-case.
func senderKey(address string) string {
	return strings.ToLower(strings.TrimSpace(address))
}

// RemoteImagesAllowed tells whether the agent allowed remote images for a
// message (by Message-ID) or for its sender's address ("" for none).
func (s *Store) RemoteImagesAllowed(ctx context.Context, messageID, sender string) (RemoteImages, error) {
	var r RemoteImages
	err := s.db.QueryRowContext(ctx, `
		SELECT EXISTS (SELECT 1 FROM remote_images_messages WHERE message_id = ?),
		       EXISTS (SELECT 1 FROM remote_images_senders WHERE address = ? AND address != '')`,
		messageID, senderKey(sender)).Scan(&r.Message, &r.Sender)
	if err != nil {
		return RemoteImages{}, fmt.Errorf("read the remote images choice of %s: %w", messageID, err)
	}
	return r, nil
}

// AllowRemoteImages records that a message's remote images may load.
func (s *Store) AllowRemoteImages(ctx context.Context, messageID string) error {
	if messageID == "" {
		return errors.New("allow remote images: no message id")
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO remote_images_messages (message_id, allowed_at) VALUES (?, ?)
		ON CONFLICT (message_id) DO NOTHING`, messageID, ms(time.Now()))
	if err != nil {
		return fmt.Errorf("allow remote images of %s: %w", messageID, err)
	}
	return nil
}

// AllowRemoteImagesFrom records that remote images of every mail from a
// sender address may load.
func (s *Store) AllowRemoteImagesFrom(ctx context.Context, sender string) error {
	key := senderKey(sender)
	if key == "" {
		return errors.New("allow remote images: no sender address")
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO remote_images_senders (address, allowed_at) VALUES (?, ?)
		ON CONFLICT (address) DO NOTHING`, key, ms(time.Now()))
	if err != nil {
		return fmt.Errorf("allow remote images from %s: %w", key, err)
	}
	return nil
}
