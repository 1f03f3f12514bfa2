package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"registre/overlay"
	"registre/review"
)

// overlayPath is the review store in a data dir.
func overlayPath(data string) string { return filepath.Join(data, "overlay.db") }

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var ixf indexFlags
	ixf.register(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address (loopback unless told otherwise)")
	publicRead := fs.Bool("public-read", false, "let anonymous visitors read (search, records, exports); writes still need a reviewer token")
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 {
		fmt.Fprintln(stderr, "usage: registre serve [--data DIR] [--es-url URL] [--addr 127.0.0.1:8080] [--public-read]")
		return exitUsage
	}
	if err := os.MkdirAll(ixf.data, 0o755); err != nil {
		fmt.Fprintf(stderr, "registre serve: %v\n", err)
		return exitFailed
	}
	store, err := overlay.Open(overlayPath(ixf.data))
	if err != nil {
		fmt.Fprintf(stderr, "registre serve: %v\n", err)
		return exitFailed
	}
	defer store.Close()
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	handler := review.New(review.Config{Open: ixf.open, Overlay: store, PublicRead: *publicRead, Logger: logger})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "registre serve: %v\n", err)
		return exitFailed
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute}
	fmt.Fprintf(stdout, "registre serve: http://%s (data %s)\n", ln.Addr(), ixf.data)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(shut)
		return exitOK
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return exitOK
		}
		fmt.Fprintf(stderr, "registre serve: %v\n", err)
		return exitFailed
	}
}

// runUsers manages API users: `registre users add --role reviewer NAME`
// prints the new token as its last line (only its hash is stored).
func runUsers(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprintln(stderr, "usage: registre users add [--data DIR] --role reviewer|analyst NAME")
		return exitUsage
	}
	fs := flag.NewFlagSet("users add", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var ixf indexFlags
	ixf.register(fs)
	role := fs.String("role", "", "reviewer (reads and writes) or analyst (reads)")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() != 1 || (*role != overlay.RoleReviewer && *role != overlay.RoleAnalyst) {
		fmt.Fprintln(stderr, "usage: registre users add [--data DIR] --role reviewer|analyst NAME")
		return exitUsage
	}
	if err := os.MkdirAll(ixf.data, 0o755); err != nil {
		fmt.Fprintf(stderr, "registre users: %v\n", err)
		return exitFailed
	}
	store, err := overlay.Open(overlayPath(ixf.data))
	if err != nil {
		fmt.Fprintf(stderr, "registre users: %v (is `registre serve` running on this data dir? stop it first)\n", err)
		return exitFailed
	}
	defer store.Close()
	tok, err := store.AddUser(fs.Arg(0), *role)
	if err != nil {
		fmt.Fprintf(stderr, "registre users: %v\n", err)
		return exitFailed
	}
	fmt.Fprintf(stdout, "user %s (%s) added; token (shown once):\n%s\n", fs.Arg(0), *role, tok)
	return exitOK
}
