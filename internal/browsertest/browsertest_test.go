package browsertest_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/paylink/paylink/internal/browsertest"
)

const page = `<!doctype html><html><head><meta name="viewport" content="width=device-width"><title>t</title></head><body>
<p id="out">static</p><script src="/s.js"></script></body></html>`

func TestBrowser(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/s.js" {
			w.Header().Set("Content-Type", "text/javascript")
			w.Write([]byte(`document.getElementById("out").textContent = "scripted";`))
			return
		}
		w.Write([]byte(page))
	}))
	defer srv.Close()

	ctx := browsertest.New(t)
	browsertest.Do(t, ctx, chromedp.Navigate(srv.URL+"/a"))
	if got := browsertest.Text(t, ctx, "#out"); got != "scripted" {
		t.Errorf("with JavaScript: #out = %q, want scripted", got)
	}
	if w := browsertest.Eval[int](t, ctx, `window.innerWidth`); w != browsertest.Width {
		t.Errorf("window width %d, want %d", w, browsertest.Width)
	}
	path := browsertest.Screenshot(t, ctx, "browsertest-selftest")
	if b, err := os.ReadFile(path); err != nil || !strings.HasPrefix(string(b), "\x89PNG") {
		t.Errorf("screenshot %s is not a PNG (err %v)", path, err)
	}
	os.Remove(path)

	browsertest.Viewport(t, ctx, 375, 700, true)
	browsertest.DisableJavaScript(t, ctx)
	browsertest.Do(t, ctx, chromedp.Navigate(srv.URL+"/b"))
	browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "/b") })
	if got := browsertest.Text(t, ctx, "#out"); got != "static" {
		t.Errorf("without JavaScript: #out = %q, want static", got)
	}
	if w := browsertest.Eval[int](t, ctx, `document.documentElement.clientWidth`); w != 375 {
		t.Errorf("viewport width %d, want 375", w)
	}
}

func TestDownload(t *testing.T) {
	body := strings.Repeat("paylink\x00\xff", 100_000)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/file" {
			w.Header().Set("Content-Type", "application/zip")
			w.Header().Set("Content-Disposition", `attachment; filename="app.zip"`)
			w.Write([]byte(body))
			return
		}
		w.Write([]byte(`<!doctype html><title>d</title><a id="dl" href="/file">Download</a>`))
	}))
	defer srv.Close()
	ctx := browsertest.New(t)
	browsertest.Do(t, ctx, chromedp.Navigate(srv.URL))
	if got := browsertest.Download(t, ctx, "#dl"); string(got) != body {
		t.Fatalf("downloaded %d bytes, want the %d served", len(got), len(body))
	}
}
