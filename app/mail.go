package app

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// checkMessageID validates a Message-ID sent by the page.
func checkMessageID(id string) error {
	if id == "" || len(id) > 998 || strings.ContainsAny(id, "\r\n<>") {
		return fmt.Errorf("%q is not a message id", id)
	}
	return nil
}

// MessageHTML returns a mail's HTML, sanitized. The page shows it in an
// iframe whose sandbox has neither allow-scripts nor allow-same-origin,
// with a CSP that loads nothing remote, or, once the agent allowed the
// mail's remote images (RemoteAllowed), images only.
func (a *App) MessageHTML(messageID string) (MailHTMLDTO, error) {
	if err := checkMessageID(messageID); err != nil {
		return MailHTMLDTO{}, err
	}
	h, err := a.current().MessageHTML(context.Background(), messageID)
	if err != nil {
		return MailHTMLDTO{}, err
	}
	return MailHTMLDTO{HTML: h.HTML, RemoteImages: h.RemoteImages, RemoteAllowed: h.RemoteAllowed, SenderAllowed: h.SenderAllowed}, nil
}

// AllowRemoteImages records the agent's choice to load a mail's remote
// images; with sender, those of every mail from its sender too. The page
// asks MessageHTML again afterwards.
func (a *App) AllowRemoteImages(messageID string, sender bool) error {
	if err := checkMessageID(messageID); err != nil {
		return err
	}
	return a.current().AllowRemoteImages(context.Background(), messageID, sender)
}

// SaveAttachment asks where to save an attachment and writes it there. It
// is never opened. It returns the saved path, or "" when the agent cancelled.
func (a *App) SaveAttachment(messageID string, index int) (string, error) {
	if err := checkMessageID(messageID); err != nil {
		return "", err
	}
	ctx, err := a.windowContext()
	if err != nil {
		return "", err
	}
	svc := a.current()
	name, err := svc.AttachmentName(context.Background(), messageID, index)
	if err != nil {
		return "", err
	}
	path, err := runtime.SaveFileDialog(ctx, runtime.SaveDialogOptions{Title: "Save attachment", DefaultFilename: name})
	if err != nil || path == "" {
		return "", err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return "", fmt.Errorf("save the attachment: %w", err)
	}
	if _, err := svc.WriteAttachment(context.Background(), messageID, index, f); err != nil {
		f.Close()
		os.Remove(path)
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("save the attachment: %w", err)
	}
	return filepath.Clean(path), nil
}

// OpenLink opens a link from a mail in the system browser after checking
// it: only http, https and mailto, without user names or passwords. The
// app's own page never navigates.
func (a *App) OpenLink(raw string) error {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || len(raw) > 4096 {
		return fmt.Errorf("%.80q is not a link that can be opened", raw)
	}
	switch u.Scheme {
	case "http", "https":
		if u.Host == "" || u.User != nil {
			return fmt.Errorf("%.80q is not a link that can be opened", raw)
		}
	case "mailto":
	default:
		return fmt.Errorf("links of the kind %q are not opened", u.Scheme)
	}
	ctx, err := a.windowContext()
	if err != nil {
		return err
	}
	runtime.BrowserOpenURL(ctx, u.String())
	return nil
}

// windowContext is Wails' context, needed for dialogs and the browser.
func (a *App) windowContext() (context.Context, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.ctx == nil {
		return nil, errors.New("the window is not ready")
	}
	return a.ctx, nil
}
