// Package heapwatch samples the Go heap for benchmarks that report their
// peak memory. It is used only by tests and benchmarks.
package heapwatch

import (
	"runtime"
	"sync"
	"time"
)

// Start samples HeapAlloc every 20 ms until the returned function is
// called, which gives the highest value seen.
func Start() (peak func() uint64) {
	var mu sync.Mutex
	var high uint64
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			mu.Lock()
			high = max(high, m.HeapAlloc)
			mu.Unlock()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		mu.Lock()
		defer mu.Unlock()
		return high
	}
}
