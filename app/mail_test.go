package app

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"servicedesk/internal/model"
	"servicedesk/internal/secrets"
	"servicedesk/internal/service"
	"servicedesk/internal/store"
)

// The page may call AllowRemoteImages with anything: a malformed id is
// refused before the store sees it, an unknown one is reported, and a real
// one makes MessageHTML return the mail with its images and says so.
func TestAllowRemoteImages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	raw := "From: News <news@news.example>\r\nSubject: hi\r\nMessage-ID: <n1@news.example>\r\nContent-Type: text/html\r\n\r\n" +
		`<p>Hi <img src="https://img.example/a.png"><script>alert(1)</script></p>` + "\r\n"
	sum, size, err := st.WriteBlob(strings.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	mb, _ := st.CreateAccount(ctx, model.Account{Kind: model.AccountIMAP, Name: "inbox"})
	folder, _ := st.Folder(ctx, mb.ID, "INBOX", "")
	if _, err := st.SaveMessage(ctx, folder.ID, model.Message{UIDValidity: 1, UID: 1, MessageID: "n1@news.example",
		From: model.MailAddress{Email: "news@news.example"}, RawSHA256: sum, Size: size, HasHTML: true, LinkRule: model.LinkNone}); err != nil {
		t.Fatal(err)
	}
	a := New(Config{Service: service.New(st, secrets.NewMemory(), service.Options{}), Log: slog.New(slog.DiscardHandler)})

	for _, id := range []string{"", "a\r\nb", "<n1@news.example>", strings.Repeat("x", 999)} {
		if err := a.AllowRemoteImages(id, true); err == nil || !strings.Contains(err.Error(), "is not a message id") {
			t.Errorf("AllowRemoteImages(%.20q) = %v, want a refusal of the id", id, err)
		}
	}
	if err := a.AllowRemoteImages("other@news.example", false); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("AllowRemoteImages of an unknown message = %v, want ErrNotFound", err)
	}

	h, err := a.MessageHTML("n1@news.example")
	if err != nil || h.RemoteAllowed || h.SenderAllowed || h.RemoteImages != 1 || strings.Contains(h.HTML, "img.example") {
		t.Fatalf("before: %+v %v", h, err)
	}
	if err := a.AllowRemoteImages("n1@news.example", true); err != nil {
		t.Fatal(err)
	}
	h, err = a.MessageHTML("n1@news.example")
	if err != nil || !h.RemoteAllowed || !h.SenderAllowed || !strings.Contains(h.HTML, `src="https://img.example/a.png"`) || strings.Contains(h.HTML, "script") {
		t.Fatalf("after: %+v %v", h, err)
	}
}
