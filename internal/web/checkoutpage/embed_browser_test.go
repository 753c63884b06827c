package checkoutpage_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/paylink/paylink/internal/browsertest"
	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/web/webtest"
)

// merchantShop serves a merchant's page that loads paylink's embed.js and
// links to the checkout with data-polar-checkout, and records every
// POLAR_CHECKOUT message it hears (with its origin) in sessionStorage, so the
// record survives the page the "success" message opens (/thanks). It is
// reached as http://localhost:port while paylink is http://127.0.0.1:port:
// another site, so the frame is cross-site as on the web (SameSite cookies
// are not sent from it).
func merchantShop(t *testing.T, in *paylinktest.Instance, link *string) string {
	t.Helper()
	record := `<script>
window.addEventListener("message", function (e) {
  if (!e.data || e.data.type !== "POLAR_CHECKOUT") return;
  var log = JSON.parse(sessionStorage.getItem("events") || "[]");
  log.push({event: e.data.event, origin: e.origin, successURL: e.data.successURL || "", redirect: !!e.data.redirect});
  sessionStorage.setItem("events", JSON.stringify(log));
});
</script>`
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/":
			fmt.Fprintf(w, `<!doctype html><html><head><script src="%s/embed.js" data-auto-init defer></script>%s</head>
<body><h1>Shop</h1><a id="buy" href="%s" data-polar-checkout data-polar-checkout-theme="dark">Buy</a></body></html>`, in.URL, record, *link)
		case "/thanks":
			fmt.Fprintf(w, `<!doctype html><html><head>%s</head><body><h1>Thanks</h1></body></html>`, record)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(shop.Close)
	_, port, _ := net.SplitHostPort(shop.Listener.Addr().String())
	return "http://localhost:" + port
}

// frameContext attaches to the checkout's frame (an out-of-process frame of
// the tab: it is another site) once it shows the checkout form.
func frameContext(t *testing.T, tab context.Context, path string) context.Context {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		infos, err := chromedp.Targets(tab)
		if err != nil {
			t.Fatal(err)
		}
		for _, ti := range infos {
			if ti.Type == "iframe" && strings.Contains(ti.URL, path) {
				fctx, cancel := chromedp.NewContext(tab, chromedp.WithTargetID(ti.TargetID))
				t.Cleanup(cancel)
				// The first run attaches, without a timeout: chromedp ties the
				// session to that call's context.
				if err := chromedp.Do(fctx); err != nil {
					t.Fatalf("attach to the checkout's frame: %v", err)
				}
				browsertest.Until(t, fctx, `document.getElementById("checkout-form") && document.readyState === "complete"`)
				return fctx
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no frame of %s among the targets %v", path, targetURLs(infos))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func targetURLs(infos []*target.Info) []string {
	var out []string
	for _, ti := range infos {
		out = append(out, string(ti.Type)+" "+ti.URL)
	}
	return out
}

type heard struct {
	Event, Origin, SuccessURL string
	Redirect                  bool
}

func events(t *testing.T, tab context.Context) []heard {
	t.Helper()
	return browsertest.Eval[[]heard](t, tab, `JSON.parse(sessionStorage.getItem("events") || "[]")`)
}

func eventNames(hs []heard) string {
	var out []string
	for _, h := range hs {
		out = append(out, h.Event)
	}
	return strings.Join(out, ",")
}

// TestEmbedInBrowser buys through the overlay: a merchant's page on another
// site loads embed.js, opens the checkout in its frame, pays with the sandbox
// card inside it, hears loaded, confirmed and success from paylink's origin,
// and opens the success_url itself (the frame never does). Then the close
// button of a second checkout closes its frame.
func TestEmbedInBrowser(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		in := paylinktest.Start(t, dbURL, nil)
		browser := browsertest.New(t)

		t.Run("Pay", func(t *testing.T) {
			// The link's success_url names the shop, known once it listens.
			var link string
			shopURL := merchantShop(t, in, &link)
			link = webtest.CreateLink(t, in, webtest.ProductID(t, in, "Starter Kit"), shopURL+"/thanks?checkout={CHECKOUT_ID}")
			allowEmbed(t, in, shopURL)

			tab := browsertest.NewTab(t, browser)
			browsertest.Do(t, tab, chromedp.Navigate(shopURL+"/"))
			browsertest.Until(t, tab, `window.Polar && window.Polar.EmbedCheckout && document.readyState === "complete"`)
			browsertest.Do(t, tab, chromedp.Click(chromedp.ID("buy")))
			frame := frameContext(t, tab, "/checkout/")
			browsertest.Until(t, tab, `JSON.parse(sessionStorage.getItem("events") || "[]").length >= 1`)
			if dark := browsertest.Eval[bool](t, frame, `document.querySelector(".co").classList.contains("co-dark")`); !dark {
				t.Errorf("data-polar-checkout-theme=dark: the checkout is not dark")
			}
			browsertest.Screenshot(t, tab, "embed-checkout")
			webtest.TypeInto(t, frame, "Email", "ada@example.com")
			webtest.PayInBrowser(t, frame, "4242 4242 4242 4242")

			browsertest.WaitURL(t, tab, func(u string) bool { return strings.HasPrefix(u, shopURL+"/thanks?checkout=") })
			got := events(t, tab)
			if names := eventNames(got); names != "loaded,confirmed,success" {
				t.Fatalf("the merchant's page heard %q, want loaded,confirmed,success", names)
			}
			for _, h := range got {
				if h.Origin != in.URL {
					t.Errorf("%s came from %q, want paylink's origin %s", h.Event, h.Origin, in.URL)
				}
			}
			if s := got[2]; !strings.HasPrefix(s.SuccessURL, shopURL+"/thanks?checkout=") || strings.Contains(s.SuccessURL, "{CHECKOUT_ID}") || !s.Redirect {
				t.Errorf("success message %+v: want the success_url with the checkout's id, and redirect", s)
			}
			loc := browsertest.Eval[string](t, tab, `location.href`)
			id := loc[strings.Index(loc, "checkout=")+len("checkout="):]
			if o := webtest.OrderByCheckoutID(t, in, id); o.Amount != 2900 {
				t.Errorf("order %+v, want 2900 paid", o)
			}
		})

		t.Run("UnlistedOriginRefused", func(t *testing.T) {
			link := in.LinkURL
			shopURL := merchantShop(t, in, &link)
			allowEmbed(t, in, "https://shop.example.com") // not this page
			tab := browsertest.NewTab(t, browser)
			browsertest.Do(t, tab, chromedp.Navigate(shopURL+"/"))
			browsertest.Until(t, tab, `window.Polar && window.Polar.EmbedCheckout && document.readyState === "complete"`)
			browsertest.Do(t, tab, chromedp.Click(chromedp.ID("buy")))
			// Chromium refuses the frame (frame-ancestors 'none'): it shows its
			// error page in place of the checkout, which never speaks.
			var frame context.Context
			deadline := time.Now().Add(20 * time.Second)
			for frame == nil {
				infos, err := chromedp.Targets(tab)
				if err != nil {
					t.Fatal(err)
				}
				for _, ti := range infos {
					if ti.Type == "iframe" && strings.Contains(ti.URL, "/checkout/") {
						fctx, cancel := chromedp.NewContext(tab, chromedp.WithTargetID(ti.TargetID))
						t.Cleanup(cancel)
						if err := chromedp.Do(fctx); err != nil {
							t.Fatalf("attach to the frame: %v", err)
						}
						frame = fctx
					}
				}
				if frame == nil && time.Now().After(deadline) {
					t.Fatalf("no frame among the targets %v", targetURLs(infos))
				}
				time.Sleep(100 * time.Millisecond)
			}
			browsertest.Until(t, frame, `location.href.indexOf("chrome-error:") === 0`)
			if browsertest.Eval[bool](t, frame, `!!document.getElementById("checkout-form")`) {
				t.Errorf("the checkout shows in a frame of an unlisted origin")
			}
			if got := events(t, tab); len(got) != 0 {
				t.Errorf("the refused checkout sent %q", eventNames(got))
			}
		})

		t.Run("Close", func(t *testing.T) {
			var link string
			shopURL := merchantShop(t, in, &link)
			link = in.LinkURL
			allowEmbed(t, in, shopURL)
			tab := browsertest.NewTab(t, browser)
			browsertest.Do(t, tab, chromedp.Navigate(shopURL+"/"))
			browsertest.Until(t, tab, `window.Polar && window.Polar.EmbedCheckout && document.readyState === "complete"`)
			browsertest.Do(t, tab, chromedp.Click(chromedp.ID("buy")))
			frame := frameContext(t, tab, "/checkout/")
			browsertest.Until(t, frame, `!document.getElementById("embed-close").hidden`)
			browsertest.Do(t, frame, chromedp.Click(chromedp.ID("embed-close")))
			browsertest.Until(t, tab, `document.querySelector("iframe") === null`)
			if names := eventNames(events(t, tab)); names != "loaded,close" {
				t.Errorf("the merchant's page heard %q, want loaded,close", names)
			}
		})
	})
}
