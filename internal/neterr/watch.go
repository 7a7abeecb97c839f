package neterr

import (
	"context"
	"crypto/tls"
	"net"
)

// CloseOnDone closes conn when ctx ends, so that a deadline or a cancel
// unblocks every read and write of a protocol client that takes no context.
// The returned func stops watching and waits for a close already under way.
// (The one helper here that touches a connection: both mail packages need
// it, and a closed connection is what Explain then reads as a timeout.)
func CloseOnDone(ctx context.Context, conn net.Conn) func() {
	done := make(chan struct{})
	stopAfter := context.AfterFunc(ctx, func() {
		defer close(done)
		_ = conn.Close()
	})
	return func() {
		if !stopAfter() {
			<-done
		}
	}
}

// TLSConfig is base (or an empty config) for a connection to host: the
// server name is the host unless base names one. base is not changed.
func TLSConfig(base *tls.Config, host string) *tls.Config {
	cfg := &tls.Config{}
	if base != nil {
		cfg = base.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = host
	}
	return cfg
}
