package cli

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// Version and Commit name the build. A release sets them with
//
//	go build -ldflags "-X github.com/paylink/paylink/internal/cli.Version=v1.2.3 -X github.com/paylink/paylink/internal/cli.Commit=abc1234"
//
// (the Dockerfile does); otherwise they come from the module version and the VCS
// stamp Go records in the binary (go install …@v1.2.3, go build in a checkout).
var Version, Commit string

// BuildVersion returns the version, the commit ("" when unknown; with
// "-modified" when built from a changed checkout) and the commit's time.
func BuildVersion() (version, commit, when string) {
	version, commit = Version, Commit
	if bi, ok := debug.ReadBuildInfo(); ok {
		if version == "" {
			version = bi.Main.Version
		}
		modified := false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if commit == "" {
					commit = s.Value
				}
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if modified && Commit == "" && commit != "" {
			commit += "-modified"
		}
	}
	if version == "" {
		version = "(devel)"
	}
	return version, commit, when
}

// versionCmd prints `paylink VERSION (commit COMMIT, TIME) GOVERSION OS/ARCH`.
func versionCmd(_ context.Context, args []string, _ func(string) string, stdout, stderr io.Writer) error {
	if err := parse(newFlags("version", stderr), args); err != nil {
		return err
	}
	version, commit, when := BuildVersion()
	fmt.Fprintf(stdout, "paylink %s", version)
	if commit != "" {
		fmt.Fprintf(stdout, " (commit %s", commit)
		if when != "" {
			fmt.Fprintf(stdout, ", %s", when)
		}
		fmt.Fprint(stdout, ")")
	}
	fmt.Fprintf(stdout, " %s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return nil
}
