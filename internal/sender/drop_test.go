package sender_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"slices"
	"strconv"
	"sync"
	"testing"

	"servicedesk/internal/neterr/neterrtest"
	"servicedesk/internal/sender"
)

// bigMessage is a message far larger than what the kernel buffers on a
// loopback connection (net.ipv4.tcp_wmem tops out at 4 MB by default), so a
// client whose connection ends part-way must fail while writing it, before
// its end.
func bigMessage() []byte {
	head := testMessage("big")
	body := bytes.Repeat([]byte("0123456789 the quick brown fox jumps over the lazy dog 0123456\r\n"), 8<<20/64)
	return append(head, body...)
}

// pausingReader yields the first n bytes of b, calls at once, then the rest.
type pausingReader struct {
	b    []byte
	n    int
	at   func()
	once sync.Once
	off  int
}

func (r *pausingReader) Read(p []byte) (int, error) {
	if r.off >= r.n {
		r.once.Do(r.at)
	}
	if r.off >= len(r.b) {
		return 0, io.EOF
	}
	end := len(r.b)
	if r.off < r.n {
		end = r.n
	}
	k := copy(p, r.b[r.off:end])
	r.off += k
	return k, nil
}

// readUntilCut is a data hook that reads until the connection ends under it
// and then closes cut.
func readUntilCut(cut chan struct{}) func(*mailServer, net.Conn, io.Reader) error {
	return func(m *mailServer, _ net.Conn, r io.Reader) error {
		_, err := m.readToEnd(r)
		close(cut)
		if err == nil {
			return errors.New("the message was read to its end: the test wanted it cut")
		}
		return err
	}
}

// A connection that ends while the message is written is not "unknown":
// the server cannot take a message whose end it never got.
func TestSendDropMidMessage(t *testing.T) {
	t.Parallel()
	const first = 64 << 10
	t.Run("server closes", func(t *testing.T) {
		t.Parallel()
		closed := make(chan struct{})
		m := &mailServer{data: func(m *mailServer, c net.Conn, r io.Reader) error {
			_, _ = io.CopyN(io.Discard, r, 1024)
			m.note("closed")
			_ = c.Close()
			close(closed)
			return errors.New("closed mid-message")
		}}
		port := serve(t, m, plainAuth, nil)
		raw := &pausingReader{b: bigMessage(), n: first, at: func() { <-closed }}
		err := sender.Send(context.Background(), plainConfig(port), envelope, raw, nil)
		checkSendError(t, err, wantSend{stage: sender.StageData, temporary: true,
			words: []string{"ended before the whole message was sent", "it was not delivered", "try again later"}})
		if _, received, _, _ := m.seen(); len(received) != 0 {
			t.Errorf("the server read %d messages to their end", len(received))
		}
	})
	t.Run("network drops", func(t *testing.T) {
		t.Parallel()
		cut := make(chan struct{})
		m := &mailServer{data: readUntilCut(cut)}
		port := serve(t, m, plainAuth, nil)
		p := neterrtest.NewProxy(t, net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		raw := &pausingReader{b: bigMessage(), n: first, at: p.CutAll}
		err := sender.Send(context.Background(), proxyConfig(p), envelope, raw, nil)
		checkSendError(t, err, wantSend{stage: sender.StageData, temporary: true, words: []string{"ended before the whole message was sent"}})
		<-cut
		if _, received, _, _ := m.seen(); len(received) != 0 {
			t.Errorf("the server read %d messages to their end", len(received))
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		t.Parallel()
		cut := make(chan struct{})
		m := &mailServer{data: readUntilCut(cut)}
		port := serve(t, m, plainAuth, nil)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		// Cancel, then go on only once the server saw the connection end.
		raw := &pausingReader{b: bigMessage(), n: first, at: func() { cancel(); <-cut }}
		err := sender.Send(ctx, plainConfig(port), envelope, raw, nil)
		checkSendError(t, err, wantSend{stage: sender.StageData, temporary: true, words: []string{"sending was cancelled", "it was not delivered"}})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want it to wrap context.Canceled", err)
		}
		if _, received, _, _ := m.seen(); len(received) != 0 {
			t.Errorf("the server read %d messages to their end", len(received))
		}
	})
	t.Run("message cannot be read", func(t *testing.T) {
		t.Parallel()
		cut := make(chan struct{})
		m := &mailServer{data: readUntilCut(cut)}
		port := serve(t, m, plainAuth, nil)
		broken := errors.New("blob 3f2a… is gone")
		raw := io.MultiReader(bytes.NewReader(testMessage("unreadable")), &failingReader{broken})
		err := sender.Send(context.Background(), plainConfig(port), envelope, raw, nil)
		checkSendError(t, err, wantSend{stage: sender.StageData, words: []string{"could not be read on this computer", "it was not sent"}})
		if !errors.Is(err, broken) {
			t.Errorf("err = %v, want it to wrap the reader's error", err)
		}
		<-cut
		if _, received, _, _ := m.seen(); len(received) != 0 {
			t.Errorf("the server read a message cut short to its end: a client must not end a message it could not read")
		}
	})
}

type failingReader struct{ err error }

func (r *failingReader) Read([]byte) (int, error) { return 0, r.err }

func proxyConfig(p *neterrtest.Proxy) sender.Config {
	_, port, _ := net.SplitHostPort(p.Addr())
	n, _ := strconv.Atoi(port)
	return plainConfig(n)
}

// Once the end of the message is written, a connection that ends before
// the server's answer leaves it unknown whether the server took it.
func TestSendUnknown(t *testing.T) {
	t.Parallel()
	t.Run("server drops after the end", func(t *testing.T) {
		t.Parallel()
		m := &mailServer{data: dropAfterEnd}
		port := serve(t, m, plainAuth, nil)
		msg := testMessage("unknown-drop")
		err := sender.Send(context.Background(), plainConfig(port), envelope, bytes.NewReader(msg), nil)
		checkSendError(t, err, wantSend{stage: sender.StageAfterData, unknown: true,
			words: []string{"The whole message was sent", "never confirmed or refused it", "may have been delivered", "Sent folder"}})
		if _, received, _, _ := m.seen(); len(received) != 1 || !bytes.Equal(received[0], msg) {
			t.Errorf("the server read %d messages; it should have read the whole one before dropping", len(received))
		}
	})
	t.Run("cancelled before the answer, which is 250", func(t *testing.T) {
		t.Parallel()
		got, release := make(chan struct{}), make(chan struct{})
		m := &mailServer{data: func(m *mailServer, _ net.Conn, r io.Reader) error {
			if _, err := m.readToEnd(r); err != nil {
				return err
			}
			close(got)
			<-release
			return nil // taken: the 250 goes to a connection the client closed
		}}
		port := serve(t, m, plainAuth, nil)
		ctx, cancel := context.WithCancel(context.Background())
		go func() { <-got; cancel() }()
		err := sender.Send(ctx, plainConfig(port), envelope, bytes.NewReader(testMessage("unknown-cancel")), nil)
		close(release)
		checkSendError(t, err, wantSend{stage: sender.StageAfterData, unknown: true, words: []string{"sending was cancelled", "may have been delivered"}})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want it to wrap context.Canceled", err)
		}
		if _, _, taken, _ := m.seen(); len(taken) != 1 {
			t.Errorf("the server took %d messages, want 1: this is why the outcome must be unknown", len(taken))
		}
	})
}

// After the server's 250, nothing that fails makes Send report a failure
// (go-mail v0.8.1 returns a SendError when RSET fails after a delivery).
func TestSendTakenThenDropped(t *testing.T) {
	t.Parallel()
	m := &mailServer{afterTaken: func(c net.Conn) { _ = c.Close() }}
	port := serve(t, m, plainAuth, nil)
	msg := testMessage("taken")
	if err := sender.Send(context.Background(), plainConfig(port), envelope, bytes.NewReader(msg), nil); err != nil {
		t.Fatalf("Send = %v after the server took the message", err)
	}
	if _, _, taken, _ := m.seen(); len(taken) != 1 || !bytes.Equal(taken[0], msg) {
		t.Errorf("the server took %d messages", len(taken))
	}
}

func TestSendBeforeData(t *testing.T) {
	t.Parallel()
	t.Run("its error stops the send before DATA", func(t *testing.T) {
		t.Parallel()
		m := &mailServer{}
		port := serve(t, m, plainAuth, nil)
		disk := errors.New("disk full")
		calls := 0
		err := sender.Send(context.Background(), plainConfig(port), envelope, bytes.NewReader(testMessage("hook")), func() error {
			calls++
			return disk
		})
		if err != disk {
			t.Errorf("err = %v (%T), want beforeData's own error", err, err)
		}
		events, _, _, _ := m.seen()
		if want := []string{"MAIL " + testUser, "RCPT " + customer, "RCPT " + cc}; calls != 1 || !slices.Equal(events, want) {
			t.Errorf("beforeData ran %d times; the server saw %q, want %q and no DATA", calls, events, want)
		}
	})
	t.Run("network drops right after it", func(t *testing.T) {
		t.Parallel()
		m := &mailServer{}
		port := serve(t, m, plainAuth, nil)
		p := neterrtest.NewProxy(t, net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		err := sender.Send(context.Background(), proxyConfig(p), envelope, bytes.NewReader(testMessage("hook-cut")), func() error {
			p.CutAll()
			return nil
		})
		checkSendError(t, err, wantSend{stage: sender.StageData, temporary: true, words: []string{"it was not delivered"}})
		if events, _, _, _ := m.seen(); slices.Contains(events, "DATA") {
			t.Errorf("the server saw DATA: %q", events)
		}
	})
}
