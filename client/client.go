// Package client is a small Go client of paylink's Polar-compatible API: typed
// requests and answers for the resources paylink serves, a context on every call,
// and errors that carry Polar's error shape (*Error).
//
//	c := client.New("https://pay.example.com", os.Getenv("PAYLINK_TOKEN"))
//	p, err := c.CreateProduct(ctx, &client.ProductCreate{Name: "Kit",
//		Prices: []client.PriceCreate{{AmountType: "fixed", PriceAmount: 2000, PriceCurrency: "usd"}}})
//
// It speaks Polar's wire format, so it works against Polar's API as far as
// paylink's resources go. Fields paylink always sends as neutral values (trials,
// meters, seats, taxes) are left out of the types; ask for them with Do.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Client calls one paylink server with one token. Its zero value is not usable;
// make it with New. It is safe for concurrent use.
type Client struct {
	base  string
	token string
	http  *http.Client
}

// Option changes a Client made by New.
type Option func(*Client)

// WithHTTPClient makes the client send its requests through hc (timeouts,
// transports, test servers). The default is http.DefaultClient.
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.http = hc } }

// New returns a client of the server at baseURL (e.g. "https://pay.example.com",
// without /v1) that authenticates with token: an organization access token
// (pl_oat_…), a customer session token (pl_cst_…) for the customer-portal
// calls, or "" for the public checkout calls.
func New(baseURL, token string, opts ...Option) *Client {
	c := &Client{base: strings.TrimRight(baseURL, "/"), token: token, http: http.DefaultClient}
	for _, o := range opts {
		o(c)
	}
	return c
}

// WithToken returns a client of the same server and HTTP client that
// authenticates with token instead ("" for none).
func (c *Client) WithToken(token string) *Client {
	cp := *c
	cp.token = token
	return &cp
}

// Metadata is a resource's metadata: string, integer, float or boolean values.
type Metadata map[string]any

// Pagination is a list's place: the total count of matching items and the
// number of pages at the asked limit.
type Pagination struct {
	TotalCount int `json:"total_count"`
	MaxPage    int `json:"max_page"`
}

// List is one page of a list call.
type List[T any] struct {
	Items      []T        `json:"items"`
	Pagination Pagination `json:"pagination"`
}

// ListOptions selects a page (1-based; 0 is the first) of at most Limit items
// (0 is the server's default, 10) and filters the list: Filter's keys are the
// query parameters Polar documents for the list (e.g. "product_id",
// "external_customer_id", "metadata[campaign]"); a repeated value matches any.
type ListOptions struct {
	Page   int
	Limit  int
	Filter url.Values
}

func (o *ListOptions) query() url.Values {
	q := url.Values{}
	if o == nil {
		return q
	}
	for k, vs := range o.Filter {
		q[k] = append([]string(nil), vs...)
	}
	if o.Page > 0 {
		q.Set("page", strconv.Itoa(o.Page))
	}
	if o.Limit > 0 {
		q.Set("limit", strconv.Itoa(o.Limit))
	}
	return q
}

// Do sends one request to path (e.g. "/v1/products/"), with body as JSON when
// it is not nil, and decodes a 2xx answer into out when out is not nil. Any
// other status is an *Error. The typed methods are built on it; use it for
// calls they do not cover.
func (c *Client) Do(ctx context.Context, method, path string, query url.Values, body, out any) error {
	u := c.base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("paylink client: encoding the %s %s body: %w", method, path, err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return fmt.Errorf("paylink client: reading %s %s: %w", method, path, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return newError(method, path, resp.StatusCode, b)
	}
	if out == nil || resp.StatusCode == http.StatusNoContent {
		return nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("paylink client: decoding %s %s (%d): %w", method, path, resp.StatusCode, err)
	}
	return nil
}

// get, post, patch and del are Do with the answer decoded into a new T.
func get[T any](ctx context.Context, c *Client, path string, q url.Values) (*T, error) {
	var out T
	if err := c.Do(ctx, http.MethodGet, path, q, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func send[T any](ctx context.Context, c *Client, method, path string, body any) (*T, error) {
	var out T
	if err := c.Do(ctx, method, path, nil, body, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func list[T any](ctx context.Context, c *Client, path string, o *ListOptions) (*List[T], error) {
	return get[List[T]](ctx, c, path, o.query())
}

// esc escapes an id or secret for a path segment.
func esc(s string) string { return url.PathEscape(s) }
