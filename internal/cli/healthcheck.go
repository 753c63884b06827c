package cli

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// healthcheck asks a running paylink's /readyz (the database answers) and fails
// unless it says ok: the container's HEALTHCHECK, where no curl is at hand.
// --url defaults to the local address of PAYLINK_ADDR (0.0.0.0 and :: become
// loopback).
func healthcheck(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("healthcheck", stderr)
	def := "http://" + localAddr(envOr(getenv, "PAYLINK_ADDR", "127.0.0.1:8080")) + "/readyz"
	u := fs.String("url", def, "the URL to ask")
	if err := parse(fs, args); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", *u, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s answered %s", *u, resp.Status)
	}
	fmt.Fprintln(stdout, "ok")
	return nil
}

// localAddr turns a listen address into one to dial on this host.
func localAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}
