package sandbox

import (
	"net"
	"net/http"
	"sync"
)

// gate sits between the sandbox's servers and their listeners: while the
// sandbox is down (an outage, as when the agent's network or the servers
// fail) every connection, open or new, is cut at once, so the app sees
// servers that drop the connection. Up again, they serve as before, with
// the same world.
type gate struct {
	mu    sync.Mutex
	down  bool
	conns map[net.Conn]struct{}
}

func newGate() *gate { return &gate{conns: map[net.Conn]struct{}{}} }

// setDown starts (true) or ends an outage; starting one cuts every open
// connection.
func (g *gate) setDown(down bool) {
	g.mu.Lock()
	g.down = down
	var open []net.Conn
	if down {
		for c := range g.conns {
			open = append(open, c)
		}
	}
	g.mu.Unlock()
	for _, c := range open {
		_ = c.Close() // takes g.mu to leave the set
	}
}

func (g *gate) isDown() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.down
}

// listen wraps a listener so its connections pass the gate.
func (g *gate) listen(ln net.Listener) net.Listener { return gatedListener{Listener: ln, g: g} }

type gatedListener struct {
	net.Listener
	g *gate
}

func (l gatedListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		l.g.mu.Lock()
		if l.g.down {
			l.g.mu.Unlock()
			_ = c.Close()
			continue
		}
		gc := &gatedConn{Conn: c, g: l.g}
		l.g.conns[gc] = struct{}{}
		l.g.mu.Unlock()
		return gc, nil
	}
}

type gatedConn struct {
	net.Conn
	g    *gate
	once sync.Once
}

func (c *gatedConn) Close() error {
	c.once.Do(func() {
		c.g.mu.Lock()
		delete(c.g.conns, c)
		c.g.mu.Unlock()
	})
	return c.Conn.Close()
}

// SetDown starts or ends an outage of all three servers.
func (s *Sandbox) SetDown(down bool) { s.gate.setDown(down) }

// Down reports whether an outage is on.
func (s *Sandbox) Down() bool { return s.gate.isDown() }

// controlHandler serves the sandbox's control page (Info.ControlURL), for
// tests that take the servers away and back: POST /down, POST /up.
func (s *Sandbox) controlHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /down", func(w http.ResponseWriter, r *http.Request) {
		s.SetDown(true)
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("POST /up", func(w http.ResponseWriter, r *http.Request) {
		s.SetDown(false)
		w.WriteHeader(http.StatusNoContent)
	})
	return mux
}
