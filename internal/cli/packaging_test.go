package cli_test

import (
	"bytes"
	"context"
	"io"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/cli"
	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
)

// The container's HEALTHCHECK: ok from a running paylink (found through
// PAYLINK_ADDR, 0.0.0.0 meaning this host), an error when nothing answers.
func TestHealthcheckCommand(t *testing.T) {
	in := paylinktest.Start(t, storetest.SQLiteURL(t), nil)
	u, _ := url.Parse(in.URL)
	addr := "0.0.0.0:" + u.Port()
	var out bytes.Buffer
	err := cli.Run(context.Background(), []string{"healthcheck"}, func(k string) string {
		if k == "PAYLINK_ADDR" {
			return addr
		}
		return ""
	}, &out, io.Discard)
	if err != nil || out.String() != "ok\n" {
		t.Fatalf("healthcheck of a running paylink: %v, %q", err, out.String())
	}
	in.Stop(t)
	if err := cli.Run(context.Background(), []string{"healthcheck", "--url", in.URL + "/readyz"}, func(string) string { return "" },
		io.Discard, io.Discard); err == nil {
		t.Fatal("healthcheck of a stopped paylink passed")
	}
}

// The Dockerfile and the systemd unit are built from what paylink has: the
// ldflags name the real version variables, the healthcheck is a real command,
// every setting they pass is one README documents, and both run as a user
// without privileges.
func TestPackagingFiles(t *testing.T) {
	readme := read(t, "../../README.md")
	docker := read(t, "../../Dockerfile")
	unit := read(t, "../../deploy/paylink.service")
	for _, want := range []string{"-X github.com/paylink/paylink/internal/cli.Version=", "-X github.com/paylink/paylink/internal/cli.Commit=",
		"CGO_ENABLED=0", "USER 65532", "VOLUME /data", `"/usr/local/bin/paylink", "healthcheck"`, "PAYLINK_DATABASE_URL=sqlite:/data/"} {
		if !strings.Contains(docker, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	for _, want := range []string{"DynamicUser=yes", "ProtectSystem=strict", "StateDirectory=paylink", "NoNewPrivileges=yes",
		"ExecStart=/usr/local/bin/paylink serve"} {
		if !strings.Contains(unit, want) {
			t.Errorf("paylink.service lacks %q", want)
		}
	}
	for _, name := range regexp.MustCompile(`PAYLINK_[A-Z_]+`).FindAllString(docker+unit, -1) {
		if !strings.Contains(readme, name) {
			t.Errorf("%s is set by the packaging but not documented in README.md", name)
		}
	}
	if !strings.Contains(readme, "## Deploying") {
		t.Error("README.md has no Deploying section")
	}
	// systemd's own judgement of the unit's exposure (0 best, 10 worst), where
	// systemd-analyze is at hand: the unit must stay below 2.0 ("OK").
	if analyze, err := exec.LookPath("systemd-analyze"); err == nil {
		out, err := exec.Command(analyze, "security", "--offline=true", "--threshold=20", "../../deploy/paylink.service").CombinedOutput()
		if err != nil {
			t.Errorf("systemd-analyze security: %v\n%s", err, out)
		}
	}
}

func read(t *testing.T, path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
