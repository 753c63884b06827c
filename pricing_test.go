package paylink

import (
	"strings"
	"testing"
)

func pwyw(currency string, minimum int64, maximum, preset *int64) *Price {
	return &Price{AmountType: PriceCustom, Currency: currency, MinimumAmount: minimum, MaximumAmount: maximum, PresetAmount: preset}
}

func TestValidateCustomAmount(t *testing.T) {
	usd := pwyw("usd", 500, new(int64(10_000)), nil)
	free := pwyw("usd", 0, nil, nil)
	jpy := pwyw("jpy", 0, nil, nil)
	tests := []struct {
		name   string
		price  *Price
		amount int64
		want   string // "" = valid, else a fragment of the message
	}{
		{"at minimum", usd, 500, ""},
		{"between", usd, 2500, ""},
		{"at maximum", usd, 10_000, ""},
		{"below minimum", usd, 499, "at least 5.00 USD"},
		{"zero with a minimum", usd, 0, "at least 5.00 USD"},
		{"above maximum", usd, 10_001, "at most 100.00 USD"},
		{"negative", usd, -1, "negative"},
		{"zero when minimum is zero", free, 0, ""},
		{"positive below currency floor", free, 49, "0 or at least 0.50 USD"},
		{"at currency floor", free, 50, ""},
		{"at MaxAmount without maximum", free, MaxAmount, ""},
		{"above MaxAmount", free, MaxAmount + 1, "at most 999999.99 USD"},
		{"zero-decimal floor", jpy, CurrencyMinimumAmount("jpy") - 1, "JPY"},
		{"zero-decimal ok", jpy, CurrencyMinimumAmount("jpy"), ""},
		{"minimum below floor still needs floor", pwyw("usd", 10, nil, nil), 20, "must be at least 0.50 USD"},
		{"fixed price, its amount", &Price{AmountType: PriceFixed, Currency: "usd", PriceAmount: 900}, 900, ""},
		{"fixed price, another amount", &Price{AmountType: PriceFixed, Currency: "usd", PriceAmount: 900}, 1000, "pay-what-you-want"},
		{"free price, 0", &Price{AmountType: PriceFree, Currency: "usd"}, 0, ""},
		{"nil price", nil, 0, "no price"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateCustomAmount(tt.price, tt.amount)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("ValidateCustomAmount(%d) = %v, want nil", tt.amount, err)
				}
				return
			}
			if !IsCode(err, EInvalid) {
				t.Fatalf("ValidateCustomAmount(%d) = %v, want EInvalid", tt.amount, err)
			}
			fe := err.(*Error).Fields[0]
			if !strings.Contains(fe.Msg, tt.want) {
				t.Errorf("message %q lacks %q", fe.Msg, tt.want)
			}
			if len(fe.Loc) != 2 || fe.Loc[0] != "body" || fe.Loc[1] != "amount" {
				t.Errorf("loc = %v, want [body amount]", fe.Loc)
			}
		})
	}
}

func TestDefaultAmount(t *testing.T) {
	tests := []struct {
		name  string
		price *Price
		want  int64
	}{
		{"fixed", &Price{AmountType: PriceFixed, PriceAmount: 1234}, 1234},
		{"fixed zero", &Price{AmountType: PriceFixed}, 0},
		{"custom preset", pwyw("usd", 500, nil, new(int64(1500))), 1500},
		{"custom minimum", pwyw("usd", 500, nil, nil), 500},
		{"custom zero minimum", pwyw("usd", 0, nil, nil), 0},
		{"free", &Price{AmountType: PriceFree, PriceAmount: 99}, 0},
		{"nil", nil, 0},
	}
	for _, tt := range tests {
		if got := DefaultAmount(tt.price); got != tt.want {
			t.Errorf("%s: DefaultAmount = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestTotals(t *testing.T) {
	pct := &Discount{Type: DiscountPercentage, BasisPoints: 2500}
	fixed := &Discount{Type: DiscountFixed, Amount: 300, Currency: "usd"}
	tests := []struct {
		name                      string
		amount                    int64
		currency                  string
		d                         *Discount
		wantDisc, wantNet, wantTo int64
	}{
		{"no discount", 1000, "usd", nil, 0, 1000, 1000},
		{"percentage", 1000, "usd", pct, 250, 750, 750},
		{"fixed", 1000, "usd", fixed, 300, 700, 700},
		{"fixed larger than amount", 200, "usd", fixed, 200, 0, 0},
		{"fixed other currency", 1000, "eur", fixed, 0, 1000, 1000},
		{"zero amount", 0, "usd", pct, 0, 0, 0},
	}
	for _, tt := range tests {
		d, n, to := Totals(tt.amount, tt.currency, tt.d)
		if d != tt.wantDisc || n != tt.wantNet || to != tt.wantTo {
			t.Errorf("%s: Totals = (%d, %d, %d), want (%d, %d, %d)", tt.name, d, n, to, tt.wantDisc, tt.wantNet, tt.wantTo)
		}
	}
}

func TestFormatAmount(t *testing.T) {
	tests := []struct {
		amount   int64
		currency string
		want     string
	}{
		{1250, "usd", "12.50 USD"},
		{5, "eur", "0.05 EUR"},
		{0, "gbp", "0.00 GBP"},
		{500, "jpy", "500 JPY"},
		{1234, "kwd", "1.234 KWD"},
		{-150, "usd", "-1.50 USD"},
		{MaxAmount, "usd", "999999.99 USD"},
		{-9223372036854775808, "usd", "-92233720368547758.08 USD"},
	}
	for _, tt := range tests {
		if got := FormatAmount(tt.amount, tt.currency); got != tt.want {
			t.Errorf("FormatAmount(%d, %s) = %q, want %q", tt.amount, tt.currency, got, tt.want)
		}
	}
	if CurrencyDecimals("JPY") != 0 || CurrencyDecimals("usd") != 2 || CurrencyDecimals("bhd") != 3 {
		t.Error("CurrencyDecimals: wrong digits")
	}
}
