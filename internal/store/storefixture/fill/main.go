// Command fill creates a profile with a large queue for benchmarks of the
// window (.ci/bench-ui.sh): go run ./internal/store/storefixture/fill -dir D.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"servicedesk/internal/store"
	"servicedesk/internal/store/storefixture"
)

func main() {
	dir := flag.String("dir", "", "the profile's data folder (created)")
	n := flag.Int("tickets", 50_000, "how many tickets")
	flag.Parse()
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "fill: -dir is required")
		os.Exit(2)
	}
	ctx := context.Background()
	start := time.Now()
	s, err := store.Open(ctx, *dir)
	if err == nil {
		_, err = storefixture.Fill(ctx, s, storefixture.Options{Tickets: *n, Seed: 1})
		if cerr := s.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "fill:", err)
		os.Exit(1)
	}
	fmt.Printf("fill: %d tickets in %s\n", *n, time.Since(start).Round(time.Millisecond))
}
