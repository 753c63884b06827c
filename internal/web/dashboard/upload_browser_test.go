package dashboard_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/paylink/paylink/internal/browsertest"
	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
)

// pngFile writes a w×h PNG of one colour into the test's folder.
func pngFile(t *testing.T, name string, w, h int, c color.Color) string {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestBrowserUploadImages: a merchant uploads a product image on the product's
// page and a logo in Settings through the dashboard's uploader (parts hashed in
// the browser, PUT to their signed URLs, completed), saves, and the checkout
// page shows the image (with its alt text, within a phone's width) and the
// logo instead of the shop's initial.
func TestBrowserUploadImages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		ctx := browsertest.New(t)
		in := paylinktest.Start(t, db, nil)
		dashSignInBrowser(t, ctx, in)
		var links struct {
			Items []struct {
				Products []struct {
					ID   string `json:"id"`
					Name string `json:"name"`
				} `json:"products"`
			} `json:"items"`
		}
		in.Must(t, "GET", "/v1/checkout-links/", in.Token, nil, 200, &links)
		prod := links.Items[0].Products[0]

		browsertest.Do(t, ctx, chromedp.Navigate(in.URL+"/dashboard/products/"+prod.ID),
			chromedp.SetUploadFiles(`#medias-file`, []string{pngFile(t, "cover.png", 320, 180, color.RGBA{200, 40, 40, 255})}))
		browsertest.Until(t, ctx, `document.querySelector("#medias [data-upload-status]").textContent.startsWith("Uploaded")`)
		if v := browsertest.Eval[int](t, ctx, `document.querySelector("#medias progress").value`); v != 100 {
			t.Errorf("the progress bar ended at %d", v)
		}
		browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(`//button[normalize-space()="Save"]`)))
		browsertest.WaitURL(t, ctx, func(u string) bool { return strings.Contains(u, "done=product-saved") })

		browsertest.Do(t, ctx, chromedp.Navigate(in.URL+"/dashboard/settings"),
			chromedp.SetUploadFiles(`#logo-file`, []string{pngFile(t, "logo.png", 64, 64, color.RGBA{20, 90, 200, 255})}))
		browsertest.Until(t, ctx, `document.querySelector("#logo [data-upload-status]").textContent.startsWith("Uploaded")`)
		browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(`//button[normalize-space()="Save settings"]`)))
		browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "done=settings-saved") })

		browsertest.Do(t, ctx, chromedp.Navigate(in.LinkURL))
		browsertest.WaitURL(t, ctx, func(u string) bool { return strings.Contains(u, "/checkout/") })
		browsertest.Until(t, ctx, `(() => { const i = document.querySelector(".co-product-image"); return i && i.complete && i.naturalWidth === 320 })()`)
		if alt := browsertest.Eval[string](t, ctx, `document.querySelector(".co-product-image").alt`); alt != prod.Name {
			t.Errorf("image alt %q, want the product's name %q", alt, prod.Name)
		}
		browsertest.Until(t, ctx, `(() => { const i = document.querySelector(".shop-logo"); return i && i.complete && i.naturalWidth === 64 })()`)
		if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll(".shop-mark").length`); n != 0 {
			t.Errorf("the initial is still shown beside the logo")
		}
		browsertest.Screenshot(t, ctx, "checkout-product-image")

		browsertest.Viewport(t, ctx, 390, 844, true)
		browsertest.Do(t, ctx, chromedp.Reload())
		browsertest.Until(t, ctx, `document.querySelector(".co-product-image") !== null`)
		browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS("#order-details summary")))
		browsertest.Until(t, ctx, `document.querySelector(".co-product-image").getBoundingClientRect().width > 0`)
		if over := browsertest.Eval[bool](t, ctx, `document.querySelector(".co-product-image").getBoundingClientRect().right > window.innerWidth`); over {
			t.Error("the product image is wider than a phone's screen")
		}
		browsertest.Screenshot(t, ctx, "checkout-product-image-phone")
	})
}
