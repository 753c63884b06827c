// Package browsertest drives a real Chromium (Debian's /usr/bin/chromium) through
// chromedp for end-to-end tests of paylink's pages.
//
// A test calls New for a fresh headless browser, then drives it with chromedp
// actions through Do, reads the page with Eval, waits for a navigation with
// WaitURL and saves what it sees with Screenshot:
//
//	ctx := browsertest.New(t)
//	browsertest.Do(t, ctx, chromedp.Navigate(url), chromedp.SendKeys(chromedp.CSS("#email"), "a@b.co"))
//	browsertest.Screenshot(t, ctx, "checkout")
//
// Without Chromium the test is skipped, unless the environment has CI=true: CI
// must run the browser tests, so there a missing browser fails the test.
package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// ChromiumPath is where Debian's chromium package installs the browser.
const ChromiumPath = "/usr/bin/chromium"

// Timeout bounds one call of Do, Eval or WaitURL.
const Timeout = 30 * time.Second

// Default window size of New, in CSS pixels.
const (
	Width  = 1280
	Height = 900
)

// New starts a headless Chromium for the test in a temporary profile and returns
// a chromedp context on its first tab, with a Width×Height window. The browser
// stops when the test ends. Chromium missing: the test is skipped (failed when
// CI=true).
func New(t testing.TB) context.Context {
	t.Helper()
	path := chromium()
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("browsertest: no Chromium at %s and CI=true: install the chromium package", ChromiumPath)
		}
		t.Skipf("browsertest: no Chromium at %s (install Debian's chromium to run the browser tests)", ChromiumPath)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(Width, Height),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints"),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("use-mock-keychain", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc() // waits for the browser process to exit, before TempDir is removed
	})
	// The first Run starts the browser; it must not carry a timeout (chromedp
	// ties the browser's life to that call's context).
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("browsertest: start %s: %v", path, err)
	}
	return ctx
}

// NewTab opens another tab of the browser of ctx (a context from New) and
// returns its context; the tab closes when the test ends. Tabs have their own
// viewport and JavaScript settings, so one browser can serve several subtests.
func NewTab(t testing.TB, ctx context.Context) context.Context {
	t.Helper()
	tab, cancel := chromedp.NewContext(ctx)
	t.Cleanup(cancel)
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("browsertest: open a tab: %v", err)
	}
	return tab
}

// chromium returns the browser to use: ChromiumPath, else "chromium" on PATH.
func chromium() string {
	if _, err := os.Stat(ChromiumPath); err == nil {
		return ChromiumPath
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	return ""
}

// Do runs the actions in order within Timeout and fails the test at the first
// error, saying which action failed and on which page.
func Do(t testing.TB, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	for i, a := range actions {
		tctx, cancel := context.WithTimeout(ctx, Timeout)
		_, err := chromedp.Run(tctx, a)
		cancel()
		if err != nil {
			t.Fatalf("browsertest: action %d of %d on %s: %v", i+1, len(actions), location(ctx), err)
		}
	}
}

// Eval evaluates a JavaScript expression in the page (it works with the page's
// scripts disabled too) and returns its value decoded into T.
func Eval[T any](t testing.TB, ctx context.Context, expr string) T {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	v, err := chromedp.Run(tctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("browsertest: evaluate %q on %s: %v", expr, location(ctx), err)
	}
	return v
}

// WaitURL waits until the tab's address satisfies ok and its document has
// loaded, and returns the address. It fails the test after Timeout.
func WaitURL(t testing.TB, ctx context.Context, ok func(url string) bool) string {
	t.Helper()
	deadline := time.Now().Add(Timeout)
	last := ""
	for time.Now().Before(deadline) {
		last = location(ctx)
		if ok(last) {
			tctx, cancel := context.WithTimeout(ctx, time.Second)
			state, err := chromedp.Run(tctx, chromedp.Evaluate[string](`document.readyState`))
			cancel()
			if err == nil && state == "complete" {
				return last
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("browsertest: the page stayed at %s", last)
	return ""
}

// Until waits until the JavaScript expression is true in the page, polling it
// (it works with the page's scripts disabled and across navigations), and fails
// the test after Timeout.
func Until(t testing.TB, ctx context.Context, expr string) {
	t.Helper()
	deadline := time.Now().Add(Timeout)
	for time.Now().Before(deadline) {
		tctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		ok, err := chromedp.Run(tctx, chromedp.Evaluate[bool](`!!(`+expr+`)`))
		cancel()
		if err == nil && ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("browsertest: still false after %s on %s: %s", Timeout, location(ctx), expr)
}

// location returns the tab's address, or a note when it cannot be read.
func location(ctx context.Context) string {
	tctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	u, err := chromedp.Run(tctx, chromedp.Location())
	if err != nil {
		return "(address unknown: " + err.Error() + ")"
	}
	return u
}

// Viewport resizes the tab's viewport to width×height CSS pixels; mobile also
// emulates a phone (touch, mobile layout rules).
func Viewport(t testing.TB, ctx context.Context, width, height int64, mobile bool) {
	t.Helper()
	var opts []chromedp.EmulateViewportOption
	if mobile {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)
	}
	Do(t, ctx, chromedp.EmulateViewport(width, height, opts...))
}

// DisableJavaScript turns the page's scripts off in the tab, for the paths that
// must work without JavaScript. It applies to the pages loaded afterwards.
func DisableJavaScript(t testing.TB, ctx context.Context) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	if _, err := chromedp.Call(tctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatalf("browsertest: disable JavaScript: %v", err)
	}
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// Screenshot scrolls to the top and saves a PNG of the whole page (beyond the viewport) as
// <module root>/screenshots/<name>.png, a git-ignored folder, and returns its
// path. A failure to save is reported but does not stop the test.
func Screenshot(t testing.TB, ctx context.Context, name string) string {
	t.Helper()
	dir, err := Dir()
	if err != nil {
		t.Errorf("browsertest: screenshot %s: %v", name, err)
		return ""
	}
	tctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	// From the top, so that sticky elements sit where a visitor first sees them.
	_, _ = chromedp.Run(tctx, chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
	png, err := chromedp.Run(tctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Errorf("browsertest: screenshot %s: %v", name, err)
		return ""
	}
	path := filepath.Join(dir, unsafeName.ReplaceAllString(name, "_")+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Errorf("browsertest: screenshot %s: %v", name, err)
		return ""
	}
	t.Logf("screenshot %s", path)
	return path
}

// Dir returns the screenshots folder at the module root (found by walking up from
// the working directory to go.mod), creating it when needed.
func Dir() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			dir := filepath.Join(d, "screenshots")
			return dir, os.MkdirAll(dir, 0o755)
		}
		if filepath.Dir(d) == d {
			return "", errors.New("no go.mod above " + wd)
		}
	}
}

// Text returns the visible text of the first element matching the CSS selector,
// or "" when there is none.
func Text(t testing.TB, ctx context.Context, css string) string {
	t.Helper()
	return Eval[string](t, ctx, fmt.Sprintf(`(function(){var e=document.querySelector(%s);return e?e.innerText:""})()`, jsString(css)))
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`, "\u2028", `\u2028`, "\u2029", `\u2029`)
	return `"` + r.Replace(s) + `"`
}
