package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
)

// pageTargets returns GETs of one open session of the demo link: the checkout
// page (HTML) and the client JSON the page's script reads, each answered 200.
func pageTargets(ctx context.Context, cfg Config, srv served, engine string) ([]target, error) {
	c := newClient(cfg)
	secret, err := confirmTarget(cfg, srv, engine).visit(ctx)
	if err != nil {
		return nil, err
	}
	get := func(u string) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
			req.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) paylink-bench")
			resp, err := c.Do(req)
			if err != nil {
				return err
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("GET %s: status %d", u, resp.StatusCode)
			}
			return nil
		}
	}
	page, api := srv.base+"/checkout/"+secret, srv.base+"/v1/checkouts/client/"+secret
	for _, u := range []string{page, api} {
		if err := get(u)(ctx); err != nil {
			return nil, err
		}
	}
	return []target{{name: engine + ": checkout page (HTML)", op: get(page)},
		{name: engine + ": client JSON", op: get(api)}}, nil
}
