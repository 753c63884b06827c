package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// licenseKeyValidations buys the demo organization a product with a license key
// (through the API and the sandbox, as a customer would) and returns validations
// of that key through the public call, the hottest call of a software seller.
func licenseKeyValidations(ctx context.Context, cfg Config, base, token, engine string) (target, error) {
	c := newClient(cfg)
	call := func(method, path, tok string, body any, out any) error {
		b, _ := json.Marshal(body)
		req, _ := http.NewRequestWithContext(ctx, method, base+path, bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		resp, err := c.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if resp.StatusCode/100 != 2 {
			return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, raw)
		}
		if out != nil {
			return json.Unmarshal(raw, out)
		}
		return nil
	}
	var benefit, product, checkout struct {
		ID           string `json:"id"`
		ClientSecret string `json:"client_secret"`
	}
	var keys struct {
		Items []struct {
			Key            string `json:"key"`
			OrganizationID string `json:"organization_id"`
		} `json:"items"`
	}
	steps := []func() error{
		func() error {
			return call("POST", "/v1/benefits/", token, map[string]any{"type": "license_keys", "description": "Bench key",
				"properties": map[string]any{"prefix": "bench"}}, &benefit)
		},
		func() error {
			return call("POST", "/v1/products/", token, map[string]any{"name": "Bench app", "prices": []map[string]any{
				{"amount_type": "fixed", "price_amount": 1000, "price_currency": "usd"}}}, &product)
		},
		func() error {
			return call("POST", "/v1/products/"+product.ID+"/benefits", token, map[string]any{"benefits": []string{benefit.ID}}, nil)
		},
		func() error {
			return call("POST", "/v1/checkouts/", token, map[string]any{"products": []string{product.ID},
				"customer_email": "bench@example.com"}, &checkout)
		},
		func() error {
			return call("POST", "/v1/checkouts/client/"+checkout.ClientSecret+"/confirm", "", map[string]any{
				"confirmation_token_id": "tok_visa", "customer_billing_address": map[string]any{"country": "US"}}, nil)
		},
		func() error { return call("GET", "/v1/license-keys/?benefit_id="+benefit.ID, token, nil, &keys) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return target{}, fmt.Errorf("license key setup: %w", err)
		}
	}
	if len(keys.Items) != 1 {
		return target{}, fmt.Errorf("license key setup: %d keys after the purchase, want 1", len(keys.Items))
	}
	body := fmt.Sprintf(`{"key":%q,"organization_id":%q}`, keys.Items[0].Key, keys.Items[0].OrganizationID)
	u := base + "/v1/customer-portal/license-keys/validate"
	validate := func(ctx context.Context) error {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := c.Do(req)
		if err != nil {
			return err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		return nil
	}
	if err := validate(ctx); err != nil {
		return target{}, fmt.Errorf("first validation: %w", err)
	}
	return target{name: engine + ": license key validations", op: validate}, nil
}
