package web_test

import (
	"encoding/json"
	"os"
	"sort"
	"strings"
	"testing"
)

type apiRoute struct{ method, path string }

// apiRoutes reads the documented routes, to test each one from outside.
func apiRoutes(t *testing.T) []apiRoute {
	b, err := os.ReadFile("api/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var spec struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	json.Unmarshal(b, &spec)
	var out []apiRoute
	for p, ops := range spec.Paths {
		for m := range ops {
			if m != "parameters" {
				out = append(out, apiRoute{strings.ToUpper(m), p})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path+out[i].method < out[j].path+out[j].method })
	return out
}
