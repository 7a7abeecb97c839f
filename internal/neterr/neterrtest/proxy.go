package neterrtest

import (
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
)

// Proxy is a TCP proxy in front of a real server that can drop its
// connections the way a flaky network does: all at once, after a number of
// bytes from the server, or by refusing new ones (the network is gone).
// Close it with the test.
type Proxy struct {
	t      testing.TB
	ln     net.Listener
	target string

	refuse atomic.Bool
	mu     sync.Mutex
	conns  map[net.Conn]bool
	// cutAfter, when > 0, drops the first connection on which that many
	// bytes flowed from the server to the client; then it resets.
	cutAfter int64
	accepted atomic.Int64
	cuts     atomic.Int64
}

// NewProxy listens on a free loopback port and forwards to target.
func NewProxy(t testing.TB, target string) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{t: t, ln: ln, target: target, conns: map[net.Conn]bool{}}
	go p.serve()
	t.Cleanup(p.Close)
	return p
}

// Addr is where clients connect instead of the server.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Accepted is how many connections the proxy forwarded so far.
func (p *Proxy) Accepted() int64 { return p.accepted.Load() }

// Cuts is how many connections the proxy dropped so far.
func (p *Proxy) Cuts() int64 { return p.cuts.Load() }

// CutAll drops every open connection now.
func (p *Proxy) CutAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		_ = c.Close()
		delete(p.conns, c)
		p.cuts.Add(1)
	}
}

// CutAfter drops, once, the first connection on which the server has sent
// n bytes (counted from the connection's start): the client gets exactly
// n bytes, then the connection is gone.
func (p *Proxy) CutAfter(n int64) {
	p.mu.Lock()
	p.cutAfter = n
	p.mu.Unlock()
}

// Refuse makes the proxy close new connections at once (true) or forward
// them again (false); open connections are not touched.
func (p *Proxy) Refuse(on bool) { p.refuse.Store(on) }

// Close stops listening and drops every connection.
func (p *Proxy) Close() {
	_ = p.ln.Close()
	p.CutAll()
}

func (p *Proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		if p.refuse.Load() {
			_ = c.Close()
			continue
		}
		go p.forward(c)
	}
}

func (p *Proxy) forward(client net.Conn) {
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		_ = client.Close()
		return
	}
	p.accepted.Add(1)
	p.mu.Lock()
	p.conns[client], p.conns[server] = true, true
	p.mu.Unlock()
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(server, client); done <- struct{}{} }()
	go func() { _ = p.copyCounting(client, server); done <- struct{}{} }()
	<-done
	_ = client.Close()
	_ = server.Close()
	p.mu.Lock()
	delete(p.conns, client)
	delete(p.conns, server)
	p.mu.Unlock()
}

// copyCounting copies server to client and drops both when a CutAfter
// budget runs out on this connection.
func (p *Proxy) copyCounting(client, server net.Conn) error {
	var seen int64
	buf := make([]byte, 32*1024)
	for {
		n, err := server.Read(buf)
		if n > 0 {
			p.mu.Lock()
			budget := p.cutAfter
			if budget > 0 && seen+int64(n) >= budget {
				p.cutAfter = 0
				p.mu.Unlock()
				_, _ = client.Write(buf[:budget-seen])
				p.cuts.Add(1)
				return errors.New("cut")
			}
			p.mu.Unlock()
			seen += int64(n)
			if _, werr := client.Write(buf[:n]); werr != nil {
				return werr
			}
		}
		if err != nil {
			return err
		}
	}
}
