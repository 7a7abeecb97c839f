package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"servicedesk/internal/sandbox"
	"servicedesk/internal/secrets"
)

// TestSecretsNeverLeak sets up all three kinds of account with distinctive
// secrets, tests, syncs, edits with a wrong password and lists, then looks
// for every secret in everything the app wrote or printed: the data folder
// (database, WAL, anything else), stdout and stderr (where the logs go).
func TestSecretsNeverLeak(t *testing.T) {
	keys := keychainForTest(t)
	sb, err := sandbox.Start(context.Background(), sandbox.Options{Seed: 11, Tickets: 30})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	info := sb.Info()
	dir := t.TempDir()
	wrong := "imap-wrong-Zq8rT5"
	var printed bytes.Buffer
	run := func(stdin string, wantCode int, args ...string) {
		t.Helper()
		code, out, errOut := runCLI(t, keys, stdin, append([]string{"--data-dir", dir}, args...)...)
		printed.WriteString(out + errOut)
		if code != wantCode {
			t.Fatalf("%v: exit %d, want %d: %s%s", args, code, wantCode, out, errOut)
		}
	}
	imapHost, imapPort := splitAddr(t, info.IMAPAddr)
	smtpHost, smtpPort := splitAddr(t, info.SMTPAddr)
	run(info.GitLabToken+"\n", 0, "account", "add", "gitlab", "--url", info.GitLabURL, "--project", info.Project, "--token-stdin")
	run(info.IMAPPassword+"\n", 0, "account", "add", "imap", "--host", imapHost, "--port", imapPort, "--security", "none",
		"--user", info.IMAPUser, "--password-stdin", "--project", info.Project)
	run(info.SMTPPassword+"\n", 0, "account", "add", "smtp", "--project", info.Project, "--from", info.BrandAddress,
		"--from-name", "Acme Support", "--host", smtpHost, "--port", smtpPort, "--security", "none", "--user", info.SMTPUser,
		"--password-stdin", "--delivery", "smtp")
	for _, id := range []string{"1", "2", "3"} {
		run("", 0, "account", "test", id)
		run("", 0, "account", "test", id, "--json")
	}
	run(wrong+"\n", 1, "account", "edit", "2", "--password-stdin")
	run("", 0, "account", "test", "2") // the refused edit kept the right password
	run("", 0, "sync", "--json")
	run("", 0, "account", "list")
	run("", 0, "account", "list", "--json")
	run("", 0, "tickets", "--json")
	code, out, errOut := runCLI(t, keys, "", "--data-dir", dir, "mail", "--json")
	printed.WriteString(out + errOut)
	var mails []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &mails) != nil || len(mails) == 0 {
		t.Fatalf("mail --json: exit %d, %d messages, %s", code, len(mails), errOut)
	}
	for _, k := range []string{"message_id", "folder", "subject", "from", "to", "cc", "date", "ticket", "link_rule", "attachments", "text", "broken"} {
		if _, ok := mails[0][k]; !ok {
			t.Errorf("mail --json lacks key %q", k)
		}
	}
	linked := 0
	for _, m := range mails {
		if m["ticket"] != nil {
			linked++
		}
	}
	if linked == 0 {
		t.Error("no synced mail is linked to a ticket")
	}
	run("", 0, "mail", "--unlinked")
	code, out, _ = runCLI(t, keys, "", "--data-dir", dir, "search", "invoice", "--json")
	printed.WriteString(out)
	var hits []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &hits) != nil || len(hits) == 0 {
		t.Fatalf("search --json: exit %d: %s", code, out)
	}
	kinds := map[any]bool{}
	for _, h := range hits {
		kinds[h["kind"]] = true
	}
	if !kinds["mail"] || !kinds["ticket"] {
		t.Errorf("search found kinds %v, want tickets and mail", kinds)
	}
	run("", 0, "show", "3", "--json")

	secretsToFind := []string{info.GitLabToken, info.IMAPPassword, info.SMTPPassword, wrong}
	for _, s := range secretsToFind {
		if bytes.Contains(printed.Bytes(), []byte(s)) {
			t.Errorf("a command printed the secret %.6s…", s)
		}
	}
	files := 0
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		for _, s := range secretsToFind {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%s holds the secret %.6s…", filepath.Base(path), s)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Each command checkpoints the WAL into the database when it closes it;
	// the scan reads whole files, free pages included.
	if _, err := os.Stat(filepath.Join(dir, "servicedesk.db")); err != nil || files == 0 {
		t.Fatalf("no database in the data folder (%d files): %v", files, err)
	}
	// Removing the accounts removes their keychain items.
	for _, id := range []string{"3", "2", "1"} {
		run("", 0, "account", "remove", id)
	}
	for i, kind := range []string{secrets.GitLabToken, secrets.IMAPPassword, secrets.SMTPPassword} {
		if _, err := keys.Get(int64(i+1), kind); err == nil {
			t.Errorf("account %d's %s is still in the keychain after removal", i+1, kind)
		}
	}
}

// keychainForTest is the real keychain when make test provides one, else an
// in-memory one.
func keychainForTest(t *testing.T) secrets.Keychain {
	if os.Getenv("SERVICEDESK_KEYCHAIN_TESTS") == "required" {
		if err := secrets.Reachable(secrets.OS{}); err != nil {
			t.Fatalf("the Secret Service is required here: %v", err)
		}
		return secrets.OS{Profile: "leak-test"}
	}
	return secrets.NewMemory()
}

func splitAddr(t *testing.T, addr string) (string, string) {
	t.Helper()
	i := strings.LastIndexByte(addr, ':')
	if _, err := strconv.Atoi(addr[i+1:]); i < 0 || err != nil {
		t.Fatalf("address %q", addr)
	}
	return addr[:i], addr[i+1:]
}
