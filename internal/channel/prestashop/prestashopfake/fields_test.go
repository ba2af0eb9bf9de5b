package prestashopfake

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
)

// referenceDir finds specs/prestashop-webservice: the repository's own
// copy, shared/specs beside it, or PRESTASHOP_SPECS.
func referenceDir(t *testing.T) string {
	if p := os.Getenv("PRESTASHOP_SPECS"); p != "" {
		return p
	}
	dir, _ := os.Getwd()
	for {
		for _, p := range []string{filepath.Join(dir, "specs", "prestashop-webservice"), filepath.Join(dir, "shared", "specs", "prestashop-webservice")} {
			if _, err := os.Stat(p); err == nil {
				return p
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("specs/prestashop-webservice introuvable (réglez PRESTASHOP_SPECS)")
		}
		dir = parent
	}
}

var fieldRow = regexp.MustCompile(`(?m)^\|\s*\*\*([a-z0-9_]+)\*\*`)

// The fake's fields are the reference's, resource by resource, in its
// order (associations apart).
func TestFieldsAreTheReferences(t *testing.T) {
	dir := referenceDir(t)
	for name, res := range resources {
		t.Run(name, func(t *testing.T) {
			doc, err := os.ReadFile(filepath.Join(dir, name+".md"))
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, m := range fieldRow.FindAllStringSubmatch(string(doc), -1) {
				if m[1] != "associations" {
					want = append(want, m[1])
				}
			}
			if !slices.Equal(res.fields, want) {
				t.Errorf("fields\n got %v\nwant %v", res.fields, want)
			}
		})
	}
	// order_rows as the orders reference's blank schema lists them.
	doc, err := os.ReadFile(filepath.Join(dir, "orders.md"))
	if err != nil {
		t.Fatal(err)
	}
	rows := regexp.MustCompile(`(?s)<order_row>(.*?)</order_row>`).FindStringSubmatch(string(doc))
	var want []string
	for _, m := range regexp.MustCompile(`<([a-z0-9_]+)>`).FindAllStringSubmatch(rows[1], -1) {
		want = append(want, m[1])
	}
	if !slices.Equal(orderRowFields, want) {
		t.Errorf("order_rows\n got %v\nwant %v", orderRowFields, want)
	}
}
