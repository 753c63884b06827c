package dashboard

import (
	"encoding/base64"
	"html/template"
	"net/http"
	"strings"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/web"
)

type linkCard struct {
	ID, Label, URL, Status, Discount, Created string
	Products                                  []string
	QR                                        template.URL // a PNG data URI we encoded ourselves
	Active, AllowCodes                        bool
	Counts                                    store.LinkCounts
	Meta                                      []kv
}

type linksPage struct {
	dashPage
	Links []linkCard
	Pager pager
}

func (w *Dashboard) links(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	pg, offset := pageOf(r)
	page := linksPage{dashPage: w.page(r, s, "Checkout Links", "links")}
	now := paylink.Now()
	err := w.Store.Read(r.Context(), func(tx *store.Tx) error {
		list, total, err := tx.CheckoutLinkList(r.Context(), store.CheckoutLinkListParams{OrganizationID: s.Org.ID,
			ListParams: store.ListParams{Limit: pageSize, Offset: offset, OrderBy: "created_at DESC, id DESC"}})
		if err != nil {
			return err
		}
		page.Pager = newPager(r, pg, total)
		names, err := w.productNames(r, tx, s.Org.ID)
		if err != nil {
			return err
		}
		discounts, err := w.discountNames(r, tx, s.Org.ID)
		if err != nil {
			return err
		}
		ids := make([]string, len(list))
		for i, l := range list {
			ids[i] = l.ID
		}
		counts, err := tx.CheckoutLinkCounts(r.Context(), s.Org.ID, ids)
		if err != nil {
			return err
		}
		for _, l := range list {
			c := linkCard{ID: l.ID, Label: deref(l.Label), URL: w.linkURL(l), Status: linkStatus(l, now),
				Active: l.Active, AllowCodes: l.AllowDiscountCodes, Created: when(l.CreatedAt), Counts: counts[l.ID],
				Meta: pairs(l.Metadata)}
			if c.Label == "" {
				c.Label = "Untitled link"
			}
			if l.DiscountID != nil {
				c.Discount = discounts[*l.DiscountID]
			}
			for _, id := range l.ProductIDs {
				c.Products = append(c.Products, names[id])
			}
			c.QR = qrDataURI(c.URL)
			page.Links = append(page.Links, c)
		}
		return nil
	})
	if err != nil {
		return err
	}
	w.Render(rw, r, http.StatusOK, "dash_links", page)
	return nil
}

func (w *Dashboard) linkURL(l *paylink.CheckoutLink) string {
	return w.PublicURL + "/buy/" + l.ClientSecret
}

// linkStatus says whether a visit would open a checkout, and if not why.
func linkStatus(l *paylink.CheckoutLink, now time.Time) string {
	switch {
	case !l.Active:
		return "Inactive"
	case l.ExpiresAt != nil && !now.Before(*l.ExpiresAt):
		return "Expired"
	case l.MaxCompletions != nil && l.CompletionsCount >= *l.MaxCompletions:
		return "Sold out"
	}
	return "Active"
}

// qrDataURI is a PNG QR code of s as a data: URI ("" if s is too long to encode).
func qrDataURI(s string) template.URL {
	png, err := qrcode.Encode(s, qrcode.Medium, 192)
	if err != nil {
		return ""
	}
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
}

// productNames maps the organization's product ids to names (archived ones marked).
func (w *Dashboard) productNames(r *http.Request, tx *store.Tx, orgID string) (map[string]string, error) {
	list, _, err := tx.ProductList(r.Context(), store.ProductListParams{OrganizationID: orgID})
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(list))
	for _, p := range list {
		out[p.ID] = p.Name
		if p.IsArchived {
			out[p.ID] += " (archived)"
		}
	}
	return out, nil
}

// discountNames maps the organization's discount ids to names.
func (w *Dashboard) discountNames(r *http.Request, tx *store.Tx, orgID string) (map[string]string, error) {
	list, _, err := tx.DiscountList(r.Context(), store.DiscountListParams{OrganizationID: orgID})
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(list))
	for _, d := range list {
		out[d.ID] = d.Name
	}
	return out, nil
}

// linkOf loads the link of the path's id, scoped to the user's organization.
func (w *Dashboard) linkOf(r *http.Request, tx *store.Tx, s *dashSession) (*paylink.CheckoutLink, error) {
	id := strings.ToLower(r.PathValue("id"))
	if !paylink.ValidID(id) {
		return nil, paylink.NotFound("checkout link")
	}
	return tx.CheckoutLinkGet(r.Context(), s.Org.ID, id)
}

func (w *Dashboard) linkActive(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	id, err := pathID(r, "checkout link")
	if err != nil {
		return err
	}
	active := r.PostForm.Get("active") == "1"
	if _, err := w.Catalog.LinkSetActive(r.Context(), s.Org.ID, id, active); err != nil {
		return err
	}
	if active {
		done(rw, r, web.DashPath+"/links", "link-activated")
	} else {
		done(rw, r, web.DashPath+"/links", "link-deactivated")
	}
	return nil
}

func (w *Dashboard) linkRotate(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	id, err := pathID(r, "checkout link")
	if err != nil {
		return err
	}
	if _, err := w.Catalog.LinkRotateSecret(r.Context(), s.Org.ID, id); err != nil {
		return err
	}
	done(rw, r, web.DashPath+"/links", "link-rotated")
	return nil
}

func (w *Dashboard) linkDelete(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	id, err := pathID(r, "checkout link")
	if err != nil {
		return err
	}
	if err := w.Catalog.LinkDelete(r.Context(), s.Org.ID, id); err != nil {
		return err
	}
	done(rw, r, web.DashPath+"/links", "link-deleted")
	return nil
}
