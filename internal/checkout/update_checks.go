package checkout

import (
	"fmt"
	"strings"
	"time"

	"github.com/paylink/paylink"
)

// The checks apply makes of the price and the discount a change asks for.

// stillApplies is d when it still applies to p, else nil.
func stillApplies(d *paylink.Discount, p *paylink.Product, now time.Time) *paylink.Discount {
	if ok, _ := d.Applies(p, now); d == nil || !ok {
		return nil
	}
	return d
}

// savesMore says why a code was not applied: the discount kept takes off more.
func savesMore(code, kept *paylink.Discount, c *paylink.Checkout) string {
	off, _, _ := paylink.Totals(c.Amount, c.Currency, code)
	keptOff, _, _ := paylink.Totals(c.Amount, c.Currency, kept)
	return fmt.Sprintf("this code takes off %s; %s, already applied, takes off %s, so it stays",
		paylink.FormatAmount(off, c.Currency), kept.Name, paylink.FormatAmount(keptOff, c.Currency))
}

// priceIn finds the price ch.PriceID names among the session's products: it must
// be a live price, of ch.ProductID when both are sent. Problems go to probs.
func priceIn(products []*paylink.Product, ch Changes, probs *paylink.Problems) (*paylink.Price, bool) {
	id := strings.ToLower(*ch.PriceID)
	for _, p := range products {
		for _, pr := range p.Prices {
			switch {
			case pr.ID != id:
			case pr.IsArchived || p.IsArchived:
				probs.Add("Price is archived.", *ch.PriceID, "body", "product_price_id")
				return nil, false
			case ch.ProductID != nil && !strings.EqualFold(*ch.ProductID, p.ID):
				probs.Add("this price is not a price of product_id", *ch.PriceID, "body", "product_price_id")
				return nil, false
			default:
				return pr, true
			}
		}
	}
	probs.Add("this price is not offered in this checkout", *ch.PriceID, "body", "product_price_id")
	return nil, false
}

// priceChanged says that the product's price is not the one the session was
// opened with, and what it is now.
func priceChanged(p *paylink.Product) string {
	msg := "the price of " + p.Name + " changed since this checkout opened"
	if pr := p.Price(); pr.AmountType == paylink.PriceFixed {
		msg += ": it is now " + paylink.FormatAmount(pr.PriceAmount, pr.Currency)
	}
	return msg + "; check the new total, then confirm again"
}
