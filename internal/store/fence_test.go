package store

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// engineFiles are the only files that may decide by an engine's name: the two
// engine types themselves.
var engineFiles = map[string]bool{
	"internal/store/sqlite.go":   true,
	"internal/store/postgres.go": true,
}

// TestEngineNamesAreFenced fails when code outside sqlite.go and postgres.go
// decides by which engine it runs on, instead of asking the engine (a method of
// Engine, or a field of its Tuning).
func TestEngineNamesAreFenced(t *testing.T) {
	root := moduleRoot(t)
	var found []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "vendor" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") || engineFiles[rel] {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		found = append(found, engineNameComparisons(t, rel, src)...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range found {
		t.Errorf("%s: decides by the engine's name; add a method to store.Engine (sqlite.go, postgres.go) instead", f)
	}
}

// TestEngineNameComparisonsFound shows the check catches each way code has
// compared engine names, and leaves alone the uses that are not comparisons.
func TestEngineNameComparisonsFound(t *testing.T) {
	for _, c := range []struct {
		src  string
		want int
	}{
		{`if s.Engine.Name() == "sqlite" { x() }`, 1},
		{`if tx.Engine().Name() != "postgres" { x() }`, 1},
		{`if a.Engine.Name() == b.Engine.Name() { x() }`, 1},
		{`switch s.Engine.Name() { case "x": }`, 1},
		{`engine := s.Engine.Name(); if engine == "sqlite" { x() }`, 1},
		{`switch name { case "a", "postgres": }`, 1},
		{`if strings.EqualFold(db, "Postgres") { x() }`, 1},
		{`if _, ok := s.Engine.(sqliteEngine); ok { x() }`, 1},
		{`switch s.Engine.(type) { case postgresEngine: }`, 1},
		{`log.Info("serving", "database", s.Engine.Name())`, 0},
		{`sql.Open("sqlite", dsn); t.Run("postgres", f)`, 0},
		{`if p.Processor.Name() == "sandbox" { x() }`, 0},
		{`if strings.HasPrefix(url, "sqlite:") { x() }`, 0},
	} {
		src := "package p\nfunc f() {\n" + c.src + "\n}\n"
		if got := engineNameComparisons(t, "p.go", []byte(src)); len(got) != c.want {
			t.Errorf("%s: found %v, want %d", c.src, got, c.want)
		}
	}
}

// engineNameComparisons returns the position of every comparison in src that
// decides by an engine's name: ==, != or a switch case with "sqlite" or
// "postgres" (any case) on one side, a comparison or switch on X.Name() where X
// names an engine, strings.EqualFold/HasPrefix/HasSuffix/Contains with one of
// the names, or a use of the engine types themselves (a type assertion or switch).
func engineNameComparisons(t *testing.T, name string, src []byte) []string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	report := func(n ast.Node) { out = append(out, fset.Position(n.Pos()).String()) }
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BinaryExpr:
			if (n.Op == token.EQL || n.Op == token.NEQ) &&
				(isEngineName(n.X) || isEngineName(n.Y) || isEngineNameCall(n.X) || isEngineNameCall(n.Y)) {
				report(n)
			}
		case *ast.SwitchStmt:
			if n.Tag != nil && isEngineNameCall(n.Tag) {
				report(n)
				return true
			}
			for _, s := range n.Body.List {
				for _, e := range s.(*ast.CaseClause).List {
					if isEngineName(e) {
						report(e)
					}
				}
			}
		case *ast.Ident:
			if n.Name == "sqliteEngine" || n.Name == "postgresEngine" {
				report(n) // a type assertion or switch on the engine's type
			}
		case *ast.CallExpr:
			if sel, ok := n.Fun.(*ast.SelectorExpr); ok && isIdent(sel.X, "strings") {
				switch sel.Sel.Name {
				case "EqualFold", "HasPrefix", "HasSuffix", "Contains":
					for _, a := range n.Args {
						if isEngineName(a) {
							report(n)
						}
					}
				}
			}
		}
		return true
	})
	return out
}

// isEngineName reports whether e is the string literal "sqlite" or "postgres".
func isEngineName(e ast.Expr) bool {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return false
	}
	v, err := strconv.Unquote(lit.Value)
	v = strings.ToLower(v)
	return err == nil && (v == "sqlite" || v == "postgres")
}

// isEngineNameCall reports whether e is X.Name() with an engine in X
// (s.Engine.Name(), tx.Engine().Name(), engine.Name()).
func isEngineNameCall(e ast.Expr) bool {
	call, ok := e.(*ast.CallExpr)
	if !ok || len(call.Args) != 0 {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Name" {
		return false
	}
	engine := false
	ast.Inspect(sel.X, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && strings.Contains(strings.ToLower(id.Name), "engine") {
			engine = true
		}
		return !engine
	})
	return engine
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

// moduleRoot is the directory of the go.mod above the package's directory.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the package")
		}
		dir = parent
	}
}
