package browsertest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// Download clicks the element css (a download link) in the tab of ctx, as a
// person would, lets Chromium save the file into a folder of the test's own,
// waits for the download to complete within Timeout and returns its bytes. A
// download that Chromium cancels (the server refused it, say) fails the test.
func Download(t testing.TB, ctx context.Context, css string) []byte {
	t.Helper()
	dir := t.TempDir()
	tctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	progress := chromedp.Events(tctx, browser.DownloadProgress)
	allow := true
	Do(t, ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
			Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: &allow})
		return err
	}), chromedp.Click(chromedp.CSS(css)))
	for ev, err := range progress {
		if err != nil {
			t.Fatalf("browsertest: download from %s on %s: %v", css, location(ctx), err)
		}
		switch ev.State {
		case browser.DownloadProgressStateCompleted:
			b, err := os.ReadFile(filepath.Join(dir, ev.GUID))
			if err != nil {
				t.Fatalf("browsertest: the downloaded file: %v", err)
			}
			return b
		case browser.DownloadProgressStateCanceled:
			t.Fatalf("browsertest: Chromium canceled the download from %s on %s", css, location(ctx))
		}
	}
	t.Fatalf("browsertest: no completed download from %s within %s", css, Timeout)
	return nil
}
