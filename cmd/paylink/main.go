// Command paylink is the self-hosted checkout-links server. See README.md.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/paylink/paylink/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := cli.Run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if cli.IsHelp(err) {
			return
		}
		fmt.Fprintln(os.Stderr, "paylink:", err)
		os.Exit(1)
	}
}
