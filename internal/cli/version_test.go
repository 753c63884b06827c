package cli_test

import (
	"bytes"
	"context"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/cli"
)

func TestVersionCommand(t *testing.T) {
	var out bytes.Buffer
	if err := cli.Run(context.Background(), []string{"version"}, func(string) string { return "" }, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); !strings.HasPrefix(got, "paylink ") || !strings.Contains(got, runtime.Version()) {
		t.Errorf("version printed %q", got)
	}
}

// What the release ldflags set (-X …/internal/cli.Version=… and .Commit=…) is
// what version prints.
func TestVersionFromLdflags(t *testing.T) {
	cli.Version, cli.Commit = "v9.8.7", "abc1234"
	defer func() { cli.Version, cli.Commit = "", "" }()
	var out bytes.Buffer
	if err := cli.Run(context.Background(), []string{"version"}, func(string) string { return "" }, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); !strings.HasPrefix(got, "paylink v9.8.7 (commit abc1234") {
		t.Errorf("version printed %q", got)
	}
}
