package store

import (
	"context"
	"testing"
)

// The agent's choice to load a mail's remote images is kept per message and
// per sender, and survives closing and opening the profile again.
func TestRemoteImagesChoice(t *testing.T) {
	t.Parallel()
	s, dir := openTest(t)
	ctx := context.Background()
	check := func(s *Store, messageID, sender string, want RemoteImages) {
		t.Helper()
		got, err := s.RemoteImagesAllowed(ctx, messageID, sender)
		if err != nil {
			t.Fatal(err)
		}
		if got != want || got.Allowed() != (want.Message || want.Sender) {
			t.Errorf("RemoteImagesAllowed(%q, %q) = %+v, want %+v", messageID, sender, got, want)
		}
	}
	check(s, "m1@x", "ann@example.com", RemoteImages{})
	if err := s.AllowRemoteImages(ctx, "m1@x"); err != nil {
		t.Fatal(err)
	}
	if err := s.AllowRemoteImages(ctx, "m1@x"); err != nil { // again: no error
		t.Fatal(err)
	}
	check(s, "m1@x", "ann@example.com", RemoteImages{Message: true})
	check(s, "m2@x", "ann@example.com", RemoteImages{}) // another mail of the same sender
	check(s, "M1@x", "", RemoteImages{})                // Message-IDs are compared as stored

	if err := s.AllowRemoteImagesFrom(ctx, " Ann@Example.COM "); err != nil {
		t.Fatal(err)
	}
	check(s, "m2@x", "ann@example.com", RemoteImages{Sender: true})
	check(s, "m1@x", "ANN@example.com", RemoteImages{Message: true, Sender: true})
	check(s, "m3@x", "bob@example.com", RemoteImages{})
	check(s, "m3@x", "", RemoteImages{})

	for _, err := range []error{s.AllowRemoteImages(ctx, ""), s.AllowRemoteImagesFrom(ctx, "  ")} {
		if err == nil {
			t.Error("an empty message id or sender was accepted")
		}
	}
	check(s, "", "", RemoteImages{})

	s.Close()
	s2, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	check(s2, "m1@x", "", RemoteImages{Message: true})
	check(s2, "m9@x", "ann@example.com", RemoteImages{Sender: true})
}
